"""What a domain app plugs into the reminder engine: rules, and who follows their rows.

A **rule** (``ReminderRule``, registered with ``@register_rule`` in ``<app>/reminders.py``)
answers, set-based from the database (a fixed number of queries, never one per row): which
subjects need a reminder today, for whom, with which due date and which lead time. The sweeper
(``notifications.services.reminders``) turns the answer into reminder rows; the same rule
renders the mail (``emails/notifications/<code>_subject.txt``, ``.txt``, ``.html``), says where
the in-app notification links to, and re-checks at sending time that its subject still needs
the reminder. Its code is also the kind people can opt out of.

Lead times: a rule with leads (14, 3) reminds 14 days before the due date and again 3 days
before. When a subject is first seen late (5 days before), only the most recent lead that has
passed (14) is used, so nobody gets two mails on one day for one subject (``current_lead``).
Rules without a natural deadline describe a state: their due date is the Monday of the current
week (``monday_of``), so a problem that lasts is recalled once a week, never more.

An **overview** (``ReminderOverview``, ``register_overview``) answers the access questions of
the coordinators' page ``/notifications/reminders/``: which rows a person may follow there and
how the page's scope filter narrows them. Reminder rows carry two scope columns (partnership,
traject); the app that owns those decides who sees them.

The engine imports no domain app; see docs/decisions/0007-engines-and-plugins.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import User
from duaal.registry import Registry

Key = tuple[str, int, int, int, date, int]


@dataclass(frozen=True)
class Candidate:
    """One reminder a rule asks for: the future row's unique key plus its scope."""

    rule: str
    subject_type_id: int
    subject_id: int
    recipient_id: int
    due_date: date
    lead_days: int
    partnership_id: int | None = None
    traject_id: int | None = None

    @property
    def key(self) -> Key:
        return (
            self.rule,
            self.subject_type_id,
            self.subject_id,
            self.recipient_id,
            self.due_date,
            self.lead_days,
        )

    @property
    def send_on(self) -> date:
        return self.due_date - timedelta(days=self.lead_days)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_lead(*, due: date, today: date, leads: Iterable[int]) -> int | None:
    """The most recent lead time that has passed for ``due``, or None when it is too early."""
    days_left = (due - today).days
    passed = [lead for lead in leads if lead >= days_left]
    return min(passed) if passed else None


class ReminderRule:
    """Base class of a rule: a code (also the opt-out kind), a label, a subject model, leads.

    A plug-in overrides ``evaluate`` and usually ``subject_queryset``, ``describe``, ``link``
    and ``context``; mail templates are named after ``code``.
    """

    code: ClassVar[str]
    label: ClassVar[Promise]
    help_text: ClassVar[Promise]
    subject_model: ClassVar[type[models.Model]]
    lead_days: ClassVar[tuple[int, ...]] = (0,)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        """Every reminder this rule asks for at ``now`` (optionally for some subjects only)."""
        raise NotImplementedError

    def subject_queryset(self) -> QuerySet:
        """Subjects with what ``describe`` and the mail need (used for GenericPrefetch too)."""
        return self.subject_model.objects.all()

    def describe(self, subject: Any) -> str:
        return str(subject)

    def link(self, subject: Any, *, partnership: models.Model | None) -> str:
        """Path of the page where the recipient can act on the reminder (the scope's own
        page is the plug-in's to choose; the engine only knows the home page)."""
        return reverse("home")

    def context(self, subject: Any, *, reminder: Any) -> dict[str, Any]:
        """Extra context of the mail templates (may query: it runs once per mail)."""
        return {}

    def applies(self, reminder: Any, *, now: datetime) -> bool:
        """Whether the reminder's subject still needs it (re-checked just before sending)."""
        return any(
            c.recipient_id == reminder.recipient_id and c.due_date == reminder.due_date
            for c in self.evaluate(now=now, subject_ids=[reminder.subject_id])
        )

    def content_type_id(self) -> int:
        return ContentType.objects.get_for_model(self.subject_model).pk

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self.code!r}>"


class ReminderOverview(Protocol):
    """Access to the reminder rows on the coordinators' page, answered by the scope's owner."""

    def visible(self, *, user: User) -> Q:
        """The reminder rows ``user`` may follow (a filter on ``Reminder``, in SQL)."""
        ...

    def options(self, *, user: User) -> list[tuple[str, str]]:
        """(value, label) of each scope ``user`` follows, for the page's filter."""
        ...

    def narrow(self, *, user: User, value: str) -> Q | None:
        """The filter of the scope ``value``: None when it is not one ``user`` can see (the
        page answers 404); raises ``PermissionDenied`` when it is seen but not followed."""
        ...


rules: Registry[ReminderRule] = Registry("reminder rule")
overviews: Registry[ReminderOverview] = Registry("reminder overview")


def register_rule[R: type[ReminderRule]](rule_class: R) -> R:
    """Class decorator: register one instance of ``rule_class`` under its ``code``."""
    rules.register(rule_class.code, rule_class())
    return rule_class


def register_overview(key: str) -> Callable[[type], type]:
    """Class decorator: register one instance of a ``ReminderOverview`` under ``key``."""

    def decorator(overview_class: type) -> type:
        overviews.register(key, overview_class())
        return overview_class

    return decorator


def kinds() -> list[tuple[str, Promise, Promise]]:
    """(code, label, help text) of every kind of reminder a person can opt out of."""
    return [(rule.code, rule.label, rule.help_text) for rule in rules.values()]
