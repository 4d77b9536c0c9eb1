"""Access to notifications: a notification belongs to one person; anyone else gets 404."""

from __future__ import annotations

import uuid

from django.http import Http404

from accounts.models import User
from notifications.models import Notification


def get_notification_for_user(*, user: User, notification_id: uuid.UUID | str) -> Notification:
    """``user``'s notification with this public id, else 404 (also for another person's)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Notification.objects.get(user=user, public_id=notification_id)
    except (Notification.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
