"""evaluation.documents.softskills (registers itself on import)."""
