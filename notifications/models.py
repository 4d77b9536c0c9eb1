"""Models arrive with issue 4."""
