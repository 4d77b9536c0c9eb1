"""The one mentor rule: how many students a mentor guides on a day, and how many they may.

A mentor guides a student on a day when they are a mentor of a placement of that student's
traject that runs that day and the traject is open (intake or running): a completed or stopped
traject frees the place. Rotation placements of one traject never add up (students are
counted, not placements), and neither do sequential placements: the count is per day.

The placement validator (``mentor_peak_load``), the company overview (``mentor_load_expression``)
and the mentor-overload reminder (``mentor_loads``) all read the same ``_guides_on`` condition.
The recognition issue adds recognition and eligibility checks beside these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from organisations.models import Organisation
from partnerships.models import (
    MentorLoadRule,
    Placement,
    PlacementSupervisor,
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
    return _peak(periods)


def mentor_max_students(*, company: Organisation) -> int:
    """How many students a mentor of ``company`` may guide at the same time: the sector's rule
    by joint committee (``MentorLoadRule``), else ``DUAAL_DEFAULT_MENTOR_MAX_STUDENTS`` (3)."""
    rule = (
        MentorLoadRule.objects.filter(paritair_comite=company.paritair_comite).first()
        if company.paritair_comite
        else None
    )
    return rule.max_students if rule else settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS


def _peak(spans_by_traject: dict[int, list[tuple[date, date]]]) -> int:
    """The most trajects with a span on any one day (the count only rises on a first day)."""
    peak = 0
    for day in {first for spans in spans_by_traject.values() for first, _last in spans}:
        load = sum(
            any(first <= day <= last for first, last in spans)
            for spans in spans_by_traject.values()
        )
        peak = max(peak, load)
    return peak


def mentor_peak_loads(
    *, mentor_ids: Iterable[int], start: date, end: date, exclude_traject_id: int | None = None
) -> dict[int, int]:
    """``mentor_peak_load`` for several mentors at once (one query): {mentor id: peak}."""
    ids = list(mentor_ids)
    qs = PlacementSupervisor.objects.filter(
        _guides(), user_id__in=ids, placement__start_date__lte=end, placement__end_date__gte=start
    )
    if exclude_traject_id is not None:
        qs = qs.exclude(placement__traject_id=exclude_traject_id)
    spans: dict[int, dict[int, list[tuple[date, date]]]] = {pk: defaultdict(list) for pk in ids}
    for user_id, traject_id, first, last in qs.values_list(
        "user_id", "placement__traject_id", "placement__start_date", "placement__end_date"
    ):
        spans[user_id][traject_id].append((max(first, start), min(last, end)))
    return {pk: _peak(by_traject) for pk, by_traject in spans.items()}


def placements_only_mentored_by(
    *, user: User, partnership_id: int, today: date | None = None
) -> QuerySet[Placement]:
    """Running and future placements of open trajects in a partnership whose only mentor is
    ``user``: removing them from the team would leave the student without a mentor."""
    today = today or timezone.localdate()
    other_mentor = PlacementSupervisor.objects.filter(
        placement=OuterRef("pk"), kind=PlacementSupervisor.Kind.MENTOR
    ).exclude(user=user)
    return (
        Placement.objects.filter(
            traject__partnership_id=partnership_id,
            traject__status__in=OPEN_TRAJECT_STATUSES,
            end_date__gte=today,
            supervisors__user=user,
            supervisors__kind=PlacementSupervisor.Kind.MENTOR,
        )
        .exclude(Exists(other_mentor))
        .select_related("traject", "traject__student", "company")
        .distinct()
        .order_by("start_date", "pk")
    )


def replacement_mentors(*, placement: Placement, leaving: User) -> list[User]:
    """Who may take over ``placement`` from ``leaving``: the partnership's mentors for the
    placement's company (``placement_candidates``' rule) who have room for one more student
    over the placement's period (the one mentor rule). Three queries."""
    candidates = list(
        User.objects.filter(
            is_active=True,
            team_roles__partnership_id=placement.traject.partnership_id,
            team_roles__role=TeamRole.MENTOR,
            team_roles__organisation_id=placement.company_id,
        )
        .exclude(pk=leaving.pk)
        .distinct()
        .order_by("full_name", "email")
    )
    if not candidates:
        return []
    loads = mentor_peak_loads(
        mentor_ids=[c.pk for c in candidates],
        start=placement.start_date,
        end=placement.end_date,
        exclude_traject_id=placement.traject_id,
    )
    limit = mentor_max_students(company=placement.company)
    eligible = []
    for candidate in candidates:
        candidate.load = loads.get(candidate.pk, 0)  # type: ignore[attr-defined]
        candidate.limit = limit  # type: ignore[attr-defined]
        if loads.get(candidate.pk, 0) + 1 <= limit:
            eligible.append(candidate)
    return eligible
