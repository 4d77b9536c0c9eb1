"""Agenda events, as providers (``agenda.registry``) return them, and the feed's window.

Events are all-day (DATE values), so no time zone is involved. Which events appear is decided
by each provider at the moment of the request: a role taken away today disappears from the
feed at the next fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

# The feed covers a month back (recent history) and half a year ahead: small enough for
# calendar apps that refetch it every few hours.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180


@dataclass(frozen=True)
class AgendaEvent:
    """One all-day event. ``uid`` is stable, so calendar apps update instead of duplicating."""

    uid: str
    day: date
    kind: str
    summary: str
    location: str = ""
    description: str = ""
    path: str = ""  # a page of the application about the event, made absolute by the feed


def feed_window(today: date | None = None) -> tuple[date, date]:
    """First and last day (inclusive) that a feed covers."""
    today = today or timezone.localdate()
    return today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
