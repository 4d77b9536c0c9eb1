"""Deadline providers: every app that has dates for the agenda adds a function here.

A provider is ``provider(user, start, end) -> iterable of AgendaEvent`` and returns the events
in [start, end] that concern ``user`` and that ``user`` may see now (filter through
``partnerships.permissions``). It must run a constant number of queries. Register it with
``register_deadline_provider`` (e.g. from the app's ``AppConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from agenda.events import AgendaEvent, agenda_placements

DeadlineProvider = Callable[[User, date, date], Iterable[AgendaEvent]]

DEADLINE_PROVIDERS: list[DeadlineProvider] = []


def register_deadline_provider(provider: DeadlineProvider) -> DeadlineProvider:
    """Add ``provider`` to the agenda (idempotent); usable as a decorator."""
    if provider not in DEADLINE_PROVIDERS:
        DEADLINE_PROVIDERS.append(provider)
    return provider


def deadline_events_for(user: User, start: date, end: date) -> list[AgendaEvent]:
    """The deadlines of every registered provider for ``user`` in [start, end]."""
    events: list[AgendaEvent] = []
    for provider in DEADLINE_PROVIDERS:
        events.extend(provider(user, start, end))
    return events


@register_deadline_provider
def placement_deadlines(user: User, start: date, end: date) -> list[AgendaEvent]:
    """Start and end of the placements of the students the user follows as a team member.

    Students and parents get their days instead (``placement_day_events``).
    """
    placements = (
        agenda_placements(user=user, start=start, end=end)
        .filter(Q(start_date__gte=start) | Q(end_date__lte=end))
        .exclude(traject__student__user=user)
        .filter(is_parent=False)
    )
    events: list[AgendaEvent] = []
    for placement in placements:
        names = {"student": placement.traject.student.full_name, "company": placement.company.name}
        path = reverse("partnerships:traject_detail", args=[placement.traject.public_id])
        if start <= placement.start_date <= end:
            events.append(
                AgendaEvent(
                    uid=f"placement-start-{placement.public_id}@duaal",
                    day=placement.start_date,
                    kind="placement_start",
                    summary=_("Start of placement: %(student)s (%(company)s)") % names,
                    path=path,
                )
            )
        if start <= placement.end_date <= end:
            events.append(
                AgendaEvent(
                    uid=f"placement-end-{placement.public_id}@duaal",
                    day=placement.end_date,
                    kind="placement_end",
                    summary=_("End of placement: %(student)s (%(company)s)") % names,
                    path=path,
                )
            )
    return events
