"""evaluation.homes.team (registers itself on import)."""
