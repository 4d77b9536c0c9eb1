"""Writes of the notifications app: reminders (sweep and send), digests, notifications, preferences."""
