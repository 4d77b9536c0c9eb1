"""Reads of the agenda app: feeds and the events of a user's agenda."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from agenda.events import AgendaEvent
from agenda.models import CalendarFeed
from agenda.registry import providers
from agenda.tokens import hash_feed_secret, is_well_formed_secret


def calendar_feed_active(*, user: User) -> CalendarFeed | None:
    """The user's active (not revoked) feed, or None."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_for_secret(*, secret: str) -> CalendarFeed | None:
    """The active feed whose secret is ``secret`` (with its user), or None.

    None for a malformed, unknown or revoked secret and for a deactivated account; the
    caller answers 404 in every case.
    """
    if not is_well_formed_secret(secret):
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(
            token_hash=hash_feed_secret(secret),
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )


def agenda_events_for(*, user: User, start: date, end: date) -> list[AgendaEvent]:
    """Every agenda event of ``user`` in [start, end], sorted by day.

    The events of every registered provider (placement days and deadlines, ...), each giving
    only what the user may see at this moment; a constant number of queries per provider.
    """
    events: list[AgendaEvent] = []
    for provider in providers.values():
        events.extend(provider(user=user, start=start, end=end))
    events.sort(key=lambda event: (event.day, event.summary, event.uid))
    return events
