"""evaluation.homes.mentor (registers itself on import)."""
