"""The reminder rules of evaluation (plug-in of the reminder engine, ``notifications``)."""

from __future__ import annotations

from evaluation.reminders import rules  # noqa: F401 - registering
