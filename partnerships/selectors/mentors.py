"""The one mentor rule: how many students a mentor guides on a day, and how many they may.

A mentor guides a student on a day when they are a mentor of a placement of that student's
traject that runs that day and the traject is open (intake or running): a completed or stopped
traject frees the place. Rotation placements of one traject never add up (students are
counted, not placements), and neither do sequential placements: the count is per day.

The placement validator (``mentor_peak_load``), the company overview (``mentor_load_expression``),
the placement form's mentor options (``with_mentor_load``) and the mentor-overload reminder
(``mentor_loads``) all read the same ``_guides_on`` condition.
``mentor_may_take`` adds the recognition rules (``recognition.selectors``) to the load: the
one answer to "may this mentor take this placement?".
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from learning.models import Opleiding
from organisations.models import Organisation, Vestiging
from partnerships.models import (
    MentorLoadRule,
    Partnership,
    Placement,
    PlacementSupervisor,
    TeamMember,
    TeamRole,
    TrajectStatus,
)
from recognition.models import Recognition, RecognitionStatus
from recognition.selectors import (
    CONDITION_LABELS,
    first_uncovered_day,
    mentor_eligibilities,
    mentor_eligibility,
    recognition_gap,
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


def sole_mentor_placements(
    *, user_ids: Iterable[int], partnership_id: int, today: date | None = None
) -> dict[int, list[Placement]]:
    """``placements_only_mentored_by`` for several users at once, in two queries:
    {user id: the placements (ordered by start date) whose only mentor they are}."""
    today = today or timezone.localdate()
    wanted = set(user_ids)
    mentors: dict[int, set[int]] = defaultdict(set)
    for placement_id, user_id in PlacementSupervisor.objects.filter(
        kind=PlacementSupervisor.Kind.MENTOR,
        placement__traject__partnership_id=partnership_id,
        placement__traject__status__in=OPEN_TRAJECT_STATUSES,
        placement__end_date__gte=today,
    ).values_list("placement_id", "user_id"):
        mentors[placement_id].add(user_id)
    sole = {pk: next(iter(ids)) for pk, ids in mentors.items() if len(ids) == 1}
    sole = {pk: user_id for pk, user_id in sole.items() if user_id in wanted}
    found: dict[int, list[Placement]] = {pk: [] for pk in wanted}
    if sole:
        for placement in (
            Placement.objects.filter(pk__in=list(sole))
            .select_related("traject", "traject__student", "company")
            .order_by("start_date", "pk")
        ):
            found[sole[placement.pk]].append(placement)
    return found


def replacement_mentors(*, placement: Placement, leaving: User) -> list[User]:
    """Who may take over ``placement`` from ``leaving``: the partnership's mentors for the
    placement's company (``placement_candidates``' rule) who have room for one more student
    over the placement's period (the one mentor rule). Three queries."""
    return replacement_mentors_for(takeovers=[(placement, leaving.pk)])[placement.pk]


def replacement_mentors_for(*, takeovers: list[tuple[Placement, int]]) -> dict[int, list[User]]:
    """``replacement_mentors`` for several (placement, leaving user id) pairs of one
    partnership at once, in three queries: {placement pk: the eligible users, each with
    ``load`` and ``limit``, ordered by name}."""
    if not takeovers:
        return {}
    partnership_ids = {placement.traject.partnership_id for placement, _leaving in takeovers}
    by_company: dict[tuple[int, int], list[User]] = defaultdict(list)
    for member in (
        TeamMember.objects.filter(
            partnership_id__in=partnership_ids,
            role=TeamRole.MENTOR,
            organisation_id__in={placement.company_id for placement, _leaving in takeovers},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__full_name", "user__email", "user_id")
    ):
        listed = by_company[(member.partnership_id, member.organisation_id)]
        if not listed or listed[-1].pk != member.user_id:
            listed.append(member.user)
    mentor_ids = {user.pk for users in by_company.values() for user in users}
    supervisions: list[tuple[int, int, date, date]] = []
    if mentor_ids:
        supervisions = list(
            PlacementSupervisor.objects.filter(
                _guides(),
                user_id__in=mentor_ids,
                placement__start_date__lte=max(p.end_date for p, _leaving in takeovers),
                placement__end_date__gte=min(p.start_date for p, _leaving in takeovers),
            ).values_list(
                "user_id", "placement__traject_id", "placement__start_date", "placement__end_date"
            )
        )
    rules = dict(
        MentorLoadRule.objects.filter(
            paritair_comite__in={p.company.paritair_comite for p, _leaving in takeovers} - {""}
        ).values_list("paritair_comite", "max_students")
    )
    found: dict[int, list[User]] = {}
    for placement, leaving_id in takeovers:
        candidates = [
            user
            for user in by_company[(placement.traject.partnership_id, placement.company_id)]
            if user.pk != leaving_id
        ]
        start, end = placement.start_date, placement.end_date
        spans: dict[int, dict[int, list[tuple[date, date]]]] = {
            user.pk: defaultdict(list) for user in candidates
        }
        for user_id, traject_id, first, last in supervisions:
            if (
                user_id in spans
                and first <= end
                and last >= start
                and traject_id != placement.traject_id
            ):
                spans[user_id][traject_id].append((max(first, start), min(last, end)))
        pc = placement.company.paritair_comite
        limit = (
            rules.get(pc, settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS)
            if pc
            else (settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS)
        )
        eligible = []
        for user in candidates:
            candidate = copy.copy(user)  # the load differs per placement
            candidate.load = _peak(spans[user.pk])  # type: ignore[attr-defined]
            candidate.limit = limit  # type: ignore[attr-defined]
            if candidate.load + 1 <= limit:  # type: ignore[attr-defined]
                eligible.append(candidate)
        found[placement.pk] = eligible
    return found


# --- recognition and eligibility at assignment (the recognition issue) -----------------------


def recognition_refusal(
    *, vestiging: Vestiging, opleiding: Opleiding, start: date, end: date
) -> str | None:
    """Why ``vestiging`` may not take a student of ``opleiding`` over [start, end], or None
    when it is recognised for it on every day of the period."""
    gap = recognition_gap(vestiging=vestiging, opleiding=opleiding, start=start, end=end)
    if gap is None:
        return None
    return recognition_refusal_text(vestiging=vestiging, opleiding=opleiding, day=gap)


def recognition_refusal_text(*, vestiging: Vestiging, opleiding: Opleiding, day: date) -> str:
    return _(
        "%(vestiging)s is not recognised for %(opleiding)s on %(day)s: a placement needs a valid recognition for the whole period."
    ) % {
        "vestiging": vestiging,
        "opleiding": opleiding,
        "day": date_format(day, "SHORT_DATE_FORMAT"),
    }


def mentor_may_take(
    mentor: User,
    placement: Placement | None = None,
    *,
    company: Organisation | None = None,
    vestiging: Vestiging | None = None,
    opleiding: Opleiding | None = None,
    start: date | None = None,
    end: date | None = None,
    traject_id: int | None = None,
) -> list[str]:
    """Every reason why ``mentor`` may not guide ``placement`` (or the placement described by
    the keywords, before it exists); empty when they may.

    Combines the three rules: the vestiging is recognised for the opleiding on every day of
    the placement (``recognition_refusal``), the mentor is eligible on its first day
    (``recognition.selectors.mentor_eligibility``), and the mentor guides fewer students than
    the sector's limit over its period (``mentor_peak_load``; the placement's own student does
    not count).
    """
    if placement is not None:
        company = company or placement.company
        vestiging = vestiging or placement.vestiging
        opleiding = opleiding or placement.traject.partnership.opleiding
        start = start or placement.start_date
        end = end or placement.end_date
        traject_id = traject_id or placement.traject_id
    if company is None or vestiging is None or opleiding is None or start is None or end is None:
        raise TypeError(
            "mentor_may_take needs a placement or its company, vestiging, opleiding and dates"
        )
    refusal = recognition_refusal(vestiging=vestiging, opleiding=opleiding, start=start, end=end)
    return ([refusal] if refusal else []) + mentor_refusals(
        mentor, company=company, start=start, end=end, traject_id=traject_id
    )


def mentor_refusals(
    mentor: User, *, company: Organisation, start: date, end: date, traject_id: int | None = None
) -> list[str]:
    """The mentor's part of ``mentor_may_take``: every unmet eligibility condition on
    ``start``, and the load over [start, end] against the sector's limit."""
    reasons = [unmet.reason for unmet in mentor_eligibility(mentor, on=start)]
    limit = mentor_max_students(company=company)
    load = mentor_peak_load(mentor=mentor, start=start, end=end, exclude_traject_id=traject_id)
    if load + 1 > limit:
        reasons.append(
            _(
                "%(person)s already guides %(count)d students in this period; a mentor guides at most %(max)d at the same time."
            )
            % {"person": mentor, "count": load, "max": limit}
        )
    return reasons


def placements_losing_eligibility(
    *,
    today: date,
    placement_ids: Iterable[int] | None = None,
    partnership_statuses: Iterable[str] | None = None,
) -> dict[int, tuple[Placement, list[str]]]:
    """{placement id: reasons} of the running and future placements of open trajects that
    ``mentor_may_take`` would refuse now: the vestiging not recognised for the opleiding on a
    day from today to the placement's end, or a mentor no longer eligible (an expired
    recognition, a training overdue). Nothing is changed: the reminder rule flags them to the
    coordinators. A constant number of queries (five), whatever the number of placements;
    ``partnership_statuses`` narrows to partnerships in those statuses."""
    placements = Placement.objects.filter(
        end_date__gte=today, traject__status__in=OPEN_TRAJECT_STATUSES
    )
    if placement_ids is not None:
        placements = placements.filter(pk__in=list(placement_ids))
    if partnership_statuses is not None:
        placements = placements.filter(traject__partnership__status__in=list(partnership_statuses))
    rows = list(
        placements.select_related("vestiging", "traject__partnership__opleiding").order_by("pk")
    )
    if not rows:
        return {}
    pairs = {(p.vestiging_id, p.traject.partnership.opleiding_id) for p in rows}
    periods: dict[tuple[int, int], list[tuple[date, date]]] = defaultdict(list)
    for vestiging_id, opleiding_id, first, last in Recognition.objects.filter(
        status=RecognitionStatus.RECOGNISED,
        vestiging_id__in={v for v, _o in pairs},
        valid_until__gte=today,
    ).values_list("vestiging_id", "opleiding_id", "decided_on", "valid_until"):
        if first and last:  # always, for a recognised one (a constraint)
            periods[(vestiging_id, opleiding_id)].append((first, last))
    supervisions = list(
        PlacementSupervisor.objects.filter(
            placement__in=[p.pk for p in rows], kind=PlacementSupervisor.Kind.MENTOR
        ).select_related("user")
    )
    mentors = {s.user_id: s.user for s in supervisions}
    unmet = mentor_eligibilities(mentors.values(), on=today)
    mentors_of: dict[int, list[User]] = defaultdict(list)
    for supervision in supervisions:
        mentors_of[supervision.placement_id].append(supervision.user)
    found: dict[int, tuple[Placement, list[str]]] = {}
    for placement in rows:
        opleiding = placement.traject.partnership.opleiding
        reasons = []
        start = max(placement.start_date, today)
        gap = first_uncovered_day(
            periods.get((placement.vestiging_id, opleiding.pk), []),
            start=start,
            end=placement.end_date,
        )
        if gap is not None:
            reasons.append(
                recognition_refusal_text(
                    vestiging=placement.vestiging, opleiding=opleiding, day=gap
                )
            )
        for mentor in mentors_of.get(placement.pk, []):
            if unmet.get(mentor.pk):
                reasons.append(
                    _("%(person)s is not eligible as a mentor: %(conditions)s")
                    % {
                        "person": mentor,
                        "conditions": ", ".join(
                            str(CONDITION_LABELS[u.code]) for u in unmet[mentor.pk]
                        ),
                    }
                )
        if reasons:
            found[placement.pk] = (placement, reasons)
    return found
