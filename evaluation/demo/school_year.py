"""evaluation.demo.school_year (registers itself on import)."""
