"""Reads of the notifications app: lists filtered in the database, constant query counts.

Who may follow which reminder rows is asked of the registered overviews (``registry``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.functional import Promise

from accounts.models import User
from duaal.homes import kept_per_person
from notifications.models import DeliveryStatus, Notification, NotificationPreference, Reminder
from notifications.registry import overviews, rules


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


def reminders_visible_to(*, user: User) -> QuerySet[Reminder]:
    """Reminders ``user`` may follow on the overview page, as each registered overview
    (the owner of the rows' scope) allows; none without an overview."""
    if not user.is_authenticated:
        return Reminder.objects.none()
    allowed = Q(pk__in=[])
    for overview in overviews.values():
        allowed |= overview.visible(user=user)
    return Reminder.objects.filter(allowed)


def reminder_scope_options(*, user: User) -> list[tuple[str, str]]:
    """(value, label) of the scopes (partnerships) whose reminders ``user`` follows."""
    if not user.is_authenticated:
        return []
    return [option for overview in overviews.values() for option in overview.options(user=user)]


def follows_reminders(*, user: User) -> bool:
    """Whether ``user`` follows any scope's reminders: the link to the overview on the
    notifications page and the home. Kept like the menu (its sources are the grants, which
    bump the menu's version); the overview itself asks ``reminders_visible_to``."""
    if not user.is_authenticated:
        return False
    return kept_per_person(
        "follows-reminders", user.pk, lambda: bool(reminder_scope_options(user=user))
    )


def reminder_scope_filter(*, user: User, value: str) -> Q:
    """The filter of one scope of the overview page; 404 when no overview knows ``value``
    for ``user``, 403 (``PermissionDenied``) when the scope is seen but not followed."""
    for overview in overviews.values():
        narrowed = overview.narrow(user=user, value=value)
        if narrowed is not None:
            return narrowed
    raise Http404


def reminder_list(*, user: User, status: str = "", scope: Q | None = None) -> QuerySet[Reminder]:
    """The coordinator's overview: newest first, subjects prefetched per kind (no N+1)."""
    reminders = reminders_visible_to(user=user)
    if status:
        reminders = reminders.filter(status=status)
    if scope is not None:
        reminders = reminders.filter(scope)
    # One queryset per subject model: two rules about the same model share the first's.
    querysets: dict[type, QuerySet] = {}
    for rule in rules.values():
        querysets.setdefault(rule.subject_model, rule.subject_queryset())
    return reminders.select_related("recipient", "partnership", "subject_type").prefetch_related(
        GenericPrefetch("subject", list(querysets.values()))
    )


OPEN_REMINDERS_SHOWN = 10
OPEN_REMINDERS_SCANNED = 200


@dataclass(frozen=True)
class OpenReminder:
    """A reminder of ``user`` whose subject still needs it: what, about what, where to act."""

    rule: str
    label: str | Promise
    description: str
    url: str
    due_date: date


def open_reminders(*, user: User, now: datetime) -> list[OpenReminder]:
    """``user``'s own reminders (the latest ``OPEN_REMINDERS_SCANNED`` rows) whose rule still
    asks for them at ``now``, one per rule and subject, soonest due first.

    A reminder row stays after it was sent; whether it still waits is the rule's answer
    (``evaluate`` for these subjects: a fixed number of queries per rule, whatever the number
    of rows), so a solved problem leaves the list at once.
    """
    if not user.is_authenticated:
        return []
    rows = list(
        Reminder.objects.filter(recipient=user)
        .exclude(status=DeliveryStatus.CANCELLED)
        .filter(rule__in=list(rules))
        .select_related("partnership")
        .order_by("-due_date", "-pk")[:OPEN_REMINDERS_SCANNED]
    )
    subject_ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        subject_ids[row.rule].add(row.subject_id)
    still: set[tuple[str, int]] = set()
    for code, ids in subject_ids.items():
        still |= {
            (code, candidate.subject_id)
            for candidate in rules[code].evaluate(now=now, subject_ids=ids)
            if candidate.recipient_id == user.pk
        }
    latest: dict[tuple[str, int], Reminder] = {}
    for row in rows:
        if (row.rule, row.subject_id) in still:
            latest.setdefault((row.rule, row.subject_id), row)
    waiting = list(latest.values())
    querysets: dict[type, QuerySet] = {}
    for code in subject_ids:
        rule = rules[code]
        querysets.setdefault(rule.subject_model, rule.subject_queryset())
    if waiting:
        prefetch_related_objects(waiting, GenericPrefetch("subject", list(querysets.values())))
    found = []
    for row in waiting:
        if row.subject is None:
            continue
        rule = rules[row.rule]
        found.append(
            OpenReminder(
                rule=row.rule,
                label=rule.label,
                description=rule.describe(row.subject),
                url=rule.link(row.subject, partnership=row.partnership),
                due_date=row.due_date,
            )
        )
    found.sort(key=lambda item: item.due_date)
    return found
