"""In-app notifications and each person's preferences: the writes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.registry import rules


def notification_create(
    *, user: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Add an entry to ``user``'s in-app list (no e-mail): for features that only inform.

    ``url`` is a path on this site (from ``reverse``); anything else is refused.
    """
    if url and not (url.startswith("/") and not url.startswith("//")):
        raise ValueError("A notification links to a path on this site.")
    return Notification.objects.create(
        user=user, kind=kind, title=title[:300], body=body, url=url[:500]
    )


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of ``user``'s notifications read (idempotent); the caller fetched it for them."""
    if notification.user_id != user.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(
    *, user: User, delivery: str, emailed_kinds: list[str]
) -> NotificationPreference:
    """Store ``user``'s choice: immediate or daily mail, and the kinds that are e-mailed.

    Preferences are opt-out: every kind not in ``emailed_kinds`` is muted (no e-mail, the
    in-app notification stays). Unknown kinds or deliveries raise ``ValidationError``.
    """
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": [_("Choose how you want to receive e-mail.")]})
    unknown = set(emailed_kinds) - set(rules)
    if unknown:
        raise ValidationError({"emailed_kinds": [_("Unknown kind of notification.")]})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    preference.delivery = delivery
    preference.muted_kinds = sorted(set(rules) - set(emailed_kinds))
    preference.save(update_fields=["delivery", "muted_kinds", "updated_at"])
    return preference
