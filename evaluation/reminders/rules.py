"""evaluation.reminders.rules (registers itself on import)."""
