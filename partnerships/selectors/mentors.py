"""The one mentor rule: how many students a mentor guides on a day, and how many they may.

A mentor guides a student on a day when they are a mentor of a placement of that student's
traject that runs that day and the traject is open (intake or running): a completed or stopped
traject frees the place. Rotation placements of one traject never add up (students are
counted, not placements), and neither do sequential placements: the count is per day.

The placement validator (``mentor_peak_load``), the company overview (``mentor_load_expression``),
the placement form's mentor options (``with_mentor_load``) and the mentor-overload reminder
(``mentor_loads``) all read the same ``_guides_on`` condition.
The recognition issue adds recognition and eligibility checks beside these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from accounts.models import User
from organisations.models import Organisation
from partnerships.models import (
    MentorLoadRule,
    Partnership,
    PlacementSupervisor,
    TeamMember,
    TeamRole,
    TrajectStatus,
)

OPEN_TRAJECT_STATUSES = (TrajectStatus.INTAKE, TrajectStatus.RUNNING)


def _guides(prefix: str = "") -> Q:
    """A mentor supervision of an open traject (``prefix`` reaches PlacementSupervisor)."""
    return Q(
        **{
            f"{prefix}kind": PlacementSupervisor.Kind.MENTOR,
            f"{prefix}placement__traject__status__in": OPEN_TRAJECT_STATUSES,
        }
    )


def _guides_on(day: date, prefix: str = "") -> Q:
    """A mentor supervision of an open traject whose placement runs on ``day``."""
    return _guides(prefix) & Q(
        **{f"{prefix}placement__start_date__lte": day, f"{prefix}placement__end_date__gte": day}
    )


def mentor_supervisions_on(day: date) -> QuerySet[PlacementSupervisor]:
    """The supervisions through which mentors guide students on ``day`` (the rule as rows)."""
    return PlacementSupervisor.objects.filter(_guides_on(day))


def mentor_load(*, mentor: User, on: date) -> int:
    """The number of students ``mentor`` guides on ``on`` (one query)."""
    return (
        mentor_supervisions_on(on)
        .filter(user=mentor)
        .values("placement__traject")
        .distinct()
        .count()
    )


def mentor_loads(*, on: date, mentor_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{mentor id: students guided on ``on``} for every mentor with at least one (one query)."""
    qs = mentor_supervisions_on(on)
    if mentor_ids is not None:
        qs = qs.filter(user_id__in=list(mentor_ids))
    rows = qs.values("user_id").annotate(load=Count("placement__traject", distinct=True))
    return {row["user_id"]: row["load"] for row in rows}


def mentor_load_expression(*, on: date) -> Count:
    """``mentor_load`` as an annotation on a User queryset (the company overview)."""
    return Count(
        "supervisions__placement__traject", filter=_guides_on(on, "supervisions__"), distinct=True
    )


def mentor_peak_load(
    *, mentor: User, start: date, end: date, exclude_traject_id: int | None = None
) -> int:
    """The most students ``mentor`` guides on any one day of [start, end] (one query).

    ``exclude_traject_id`` leaves out the traject being planned, so a new placement of a
    student the mentor already guides (a rotation back to the same company) is not counted
    twice.
    """
    qs = PlacementSupervisor.objects.filter(
        _guides(), user=mentor, placement__start_date__lte=end, placement__end_date__gte=start
    )
    if exclude_traject_id is not None:
        qs = qs.exclude(placement__traject_id=exclude_traject_id)
    periods: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for traject_id, first, last in qs.values_list(
        "placement__traject_id", "placement__start_date", "placement__end_date"
    ):
        periods[traject_id].append((max(first, start), min(last, end)))
    # The count only rises on a day a placement starts: look at those days alone.
    peak = 0
    for day in {first for spans in periods.values() for first, _last in spans}:
        load = sum(any(first <= day <= last for first, last in spans) for spans in periods.values())
        peak = max(peak, load)
    return peak


def mentor_max_students(*, company: Organisation) -> int:
    """How many students a mentor of ``company`` may guide at the same time: the sector's rule
    by joint committee (``MentorLoadRule``), else ``DUAAL_DEFAULT_MENTOR_MAX_STUDENTS`` (3)."""
    rule = (
        MentorLoadRule.objects.filter(paritair_comite=company.paritair_comite).first()
        if company.paritair_comite
        else None
    )
    return rule.max_students if rule else settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS


def with_mentor_load(
    users: QuerySet[User], *, partnership: Partnership, on: date
) -> QuerySet[User]:
    """``users`` annotated with ``mentor_load`` (students guided on ``on``, as
    ``mentor_load``) and ``mentor_limit`` (``mentor_max_students`` of the company they are a
    mentor for in ``partnership``), in the one query that lists them."""
    default = settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS
    company_pc = (
        TeamMember.objects.filter(
            user=OuterRef("pk"),
            partnership=partnership,
            role=TeamRole.MENTOR,
            organisation__in=partnership.companies.values("company_id"),
        )
        .order_by("pk")
        .values("organisation__paritair_comite")[:1]
    )
    rule = MentorLoadRule.objects.filter(paritair_comite=OuterRef("mentor_pc")).values(
        "max_students"
    )[:1]
    return users.annotate(mentor_pc=Subquery(company_pc)).annotate(
        mentor_load=mentor_load_expression(on=on),
        mentor_limit=Case(
            When(Q(mentor_pc="") | Q(mentor_pc__isnull=True), then=Value(default)),
            default=Coalesce(Subquery(rule), Value(default)),
            output_field=IntegerField(),
        ),
    )
