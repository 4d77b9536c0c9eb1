"""Writes of the agenda app: creating, rotating and revoking a user's calendar feed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agenda.models import CalendarFeed
from agenda.tokens import hash_feed_secret, new_feed_secret
from duaal import audit


def _lock_user(user: User) -> None:
    # Serialises concurrent create/revoke of one user so the one-active-feed rule holds
    # without an IntegrityError in the loser (PostgreSQL; SQLite serialises writers anyway).
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    """Revoke the user's active feed, if any; returns how many were revoked (0 or 1).

    The old URL answers 404 from the next request on. Audited.
    """
    _lock_user(user)
    active = list(CalendarFeed.objects.filter(user=user, revoked_at__isnull=True))
    if not active:
        return 0
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(pk__in=[feed.pk for feed in active]).update(
        revoked_at=now
    )
    for feed in active:
        audit.record(
            action="calendar_feed.revoke",
            actor=user,
            obj=feed,
            object_label=str(user),
            changes={"revoked_at": (None, now)},
        )
    return revoked


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """Create a new feed for ``user`` (revoking the active one) and return it with its secret.

    The secret (``secrets.token_urlsafe(32)``, 256 bits) is returned once and never stored:
    the caller shows it to the user and forgets it.
    """
    calendar_feed_revoke(user=user)
    secret = new_feed_secret()
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_feed_secret(secret))
    audit.record(action="calendar_feed.create", actor=user, obj=feed, object_label=str(user))
    return feed, secret


def calendar_feed_mark_used(*, feed: CalendarFeed) -> None:
    """Record that a calendar app fetched the feed (one UPDATE, no read-modify-write)."""
    feed.last_used_at = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=feed.last_used_at)
