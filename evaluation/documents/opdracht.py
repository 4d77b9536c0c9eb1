"""evaluation.documents.opdracht (registers itself on import)."""
