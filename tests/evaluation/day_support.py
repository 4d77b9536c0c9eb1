"""Helpers for the student's day and session sheet tests: Lotte's own plan built by hand, the
day of a week of a period, and the demo's leerfiches by key."""

from __future__ import annotations

import datetime as dt

from learning.models import Leerfiche, Opleidingsplan, Period, PlanEntry
from learning.selectors.traject_leerfiches import adopted_version
from partnerships.models import Traject


def trimester(traject: Traject, order: int = 1) -> Period:
    return Period.objects.get(partnership=traject.partnership, order=order)


def day_in(period: Period, week: int, weekday: int) -> dt.date:
    """Weekday (0 = Monday) of week ``week`` of ``period`` (week 1 holds its start date)."""
    first_monday = period.start_date - dt.timedelta(days=period.start_date.weekday())
    return first_monday + dt.timedelta(weeks=week - 1, days=weekday)


def fiche(traject: Traject, key: str) -> Leerfiche:
    return Leerfiche.objects.get(version=adopted_version(traject=traject), key=key)


def own_plan(traject: Traject, entries: list[tuple[str, str, int, int]]) -> Opleidingsplan:
    """The traject's own plan with exactly ``entries`` [(leerfiche key, place, week from, week
    to)] in the first trimester; a company entry is at the traject's placement's vestiging."""
    partnership_plan = Opleidingsplan.objects.get(
        partnership=traject.partnership, traject__isnull=True
    )
    plan, _ = Opleidingsplan.objects.get_or_create(
        partnership=traject.partnership,
        traject=traject,
        defaults={"set_version": partnership_plan.set_version},
    )
    plan.entries.all().delete()
    period = trimester(traject)
    vestiging = traject.placements.order_by("start_date").first().vestiging
    for key, place, week_from, week_to in entries:
        PlanEntry.objects.create(
            plan=plan,
            leerfiche=fiche(traject, key),
            period=period,
            place=place,
            vestiging=vestiging if place == "company" else None,
            week_from=week_from,
            week_to=week_to,
        )
    return plan
