"""evaluation.homes.day (registers itself on import)."""
