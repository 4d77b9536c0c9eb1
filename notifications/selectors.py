"""Reads of the notifications app: lists filtered in the database, constant query counts."""

from __future__ import annotations

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet

from accounts.models import User
from notifications.models import Notification, NotificationPreference, Reminder
from partnerships.models import Partnership
from partnerships.permissions import partnerships_with_permission, trajects_visible_to

# Who sees the reminders of a partnership: the people who run its team or approve for it.
OVERVIEW_PERMISSIONS = ("manage_team", "approve_partnership")


def preference_for(*, user: User) -> NotificationPreference:
    """``user``'s preferences; an unsaved default (everything e-mailed at once) when none."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def reminder_overview_partnerships(*, user: User) -> QuerySet[Partnership]:
    """Partnerships whose reminders ``user`` may follow (manage_team or approve_partnership)."""
    allowed = Q()
    for codename in OVERVIEW_PERMISSIONS:
        allowed |= Q(pk__in=partnerships_with_permission(user=user, codename=codename).values("pk"))
    return Partnership.objects.filter(allowed)


def reminders_visible_to(*, user: User) -> QuerySet[Reminder]:
    """Reminders of the partnerships ``user`` oversees; about a student only if the student is
    visible to ``user`` (a company coördinator does not see another company's students)."""
    if not user.is_authenticated:
        return Reminder.objects.none()
    return Reminder.objects.filter(
        partnership__in=reminder_overview_partnerships(user=user).values("pk")
    ).filter(Q(traject__isnull=True) | Q(traject__in=trajects_visible_to(user=user).values("pk")))


def reminder_list(
    *, user: User, status: str = "", partnership: Partnership | None = None
) -> QuerySet[Reminder]:
    """The coordinator's overview: newest first, subjects prefetched per kind (no N+1)."""
    from notifications.rules import RULES

    reminders = reminders_visible_to(user=user)
    if status:
        reminders = reminders.filter(status=status)
    if partnership is not None:
        reminders = reminders.filter(partnership=partnership)
    return reminders.select_related("recipient", "partnership", "subject_type").prefetch_related(
        GenericPrefetch("subject", [rule.subject_queryset() for rule in RULES.values()])
    )
