"""Forms of the recognition screens, one module per side (company, consultant, school)."""
