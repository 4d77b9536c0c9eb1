"""evaluation.documents.report (registers itself on import)."""
