"""The student's day: which leerfiches the opleidingsplan puts where the student is on a day.

The traject's opleidingsplan (its own plan wins over the partnership's) places a leerfiche in a
week range of a period at a place (school, company vestiging, training centre, simulated
learning). The placement's weekly pattern says where the student is on each weekday. The
leerfiches of a day are the plan's entries of that day's week at that day's place:

* a company day: the entries at the company with the placement's vestiging;
* a school day: the entries at school and in gesimuleerd leren (practised at school);
* a training centre day: the entries at the training centre;
* a free day, a weekend or a day without placement: none.

Of those, the one practised last (the latest session up to that day) is preselected; the rest
of the adopted set version is offered as "andere leerfiche". A fixed number of queries,
whatever the number of entries, leerfiches or sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery

from evaluation.models import CriterionScore, Evaluation, Evaluator, Session
from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    PlaceKind,
    PlanEntry,
    SetVersion,
)
from learning.services.plans import plan_for_traject
from partnerships.models import Placement, Traject, Weekday, WeekdayPlace

# Where the weekly pattern puts the student → the plan's places practised there.
PLAN_PLACES: dict[str, tuple[str, ...]] = {
    WeekdayPlace.COMPANY: (PlaceKind.COMPANY,),
    WeekdayPlace.SCHOOL: (PlaceKind.SCHOOL, PlaceKind.SIMULATED),
    WeekdayPlace.TRAINING_CENTRE: (PlaceKind.TRAINING_CENTRE,),
}
# The place a session of a day gets when the plan does not say (a leerfiche picked by hand).
SESSION_PLACE: dict[str, str] = {
    WeekdayPlace.COMPANY: PlaceKind.COMPANY,
    WeekdayPlace.SCHOOL: PlaceKind.SCHOOL,
    WeekdayPlace.TRAINING_CENTRE: PlaceKind.TRAINING_CENTRE,
}
WEEKDAYS = list(Weekday)
# The fields of a leerfiche the day and its saves use (title and key shown, the rest to
# order, check and open a session).
DAY_LEERFICHE_FIELDS = ("id", "version_id", "theme_id", "key", "title", "order", "has_opdracht")


@dataclass
class DayFiche:
    """A leerfiche of the day, with its criteria in order."""

    leerfiche: Leerfiche
    criteria: list[Criterion] = field(default_factory=list)
    # Appendix 2 sheets (behaviour list, measurements, an opdracht) open as their own screen.
    long_sheet: bool = False
    # Where it is practised that day (a PlaceKind value).
    place: str = PlaceKind.COMPANY
    last_practised: dt.date | None = None
    scheduled: bool = True

    @property
    def key(self) -> str:
        return self.leerfiche.key


@dataclass
class Day:
    on: dt.date
    # Where the weekly pattern puts the student (a WeekdayPlace value; FREE on weekends and
    # without a placement on that day).
    place: str
    placement: Placement | None
    version: SetVersion | None
    scheduled: list[DayFiche]
    preselected: DayFiche | None
    # The rest of the adopted version, in the set's order ("andere leerfiche").
    others: list[Leerfiche]

    @property
    def session_place(self) -> str:
        return SESSION_PLACE.get(self.place, PlaceKind.COMPANY)

    def fiche(self, key: str) -> DayFiche | None:
        """The day's leerfiche ``key`` (scheduled or not; None when not in the version)."""
        for fiche in self.scheduled:
            if fiche.key == key:
                return fiche
        return None


def week_in_period(start: dt.date, on: dt.date) -> int:
    """The week number of ``on`` in a period starting on ``start`` (week 1 holds the start
    date, as ``learning.models.Period.weeks`` counts)."""
    first_monday = start.toordinal() - start.weekday()
    return (on.toordinal() - first_monday) // 7 + 1


def placement_on(
    traject: Traject, on: dt.date, *, placements: Iterable[Placement] | None = None
) -> Placement | None:
    """The placement that runs on ``on`` (the latest started, when they overlap); among
    ``placements`` (all the traject's, already read) when given, else one query."""
    if placements is not None:
        running = [p for p in placements if p.start_date <= on <= p.end_date]
        return max(running, key=lambda p: (p.start_date, p.pk), default=None)
    return (
        Placement.objects.filter(traject=traject, start_date__lte=on, end_date__gte=on)
        .order_by("-start_date", "-pk")
        .first()
    )


def place_on(placement: Placement | None, on: dt.date) -> str:
    if placement is None or on.weekday() >= len(WEEKDAYS):
        return WeekdayPlace.FREE
    return getattr(placement, WEEKDAYS[on.weekday()].value)


def todays_leerfiches(
    traject: Traject, on: dt.date, *, placements: Iterable[Placement] | None = None
) -> Day:
    """The leerfiches the plan schedules on ``on`` where the student is that day, the last
    practised one preselected, and the other leerfiches of the adopted version (at most six
    queries; five with ``placements``, all the traject's placements, already read)."""
    plan = plan_for_traject(traject)
    placement = placement_on(traject, on, placements=placements)
    place = place_on(placement, on)
    if plan is None:
        return Day(on, place, placement, None, [], None, [])
    version = plan.set_version
    fiches: list[Leerfiche] = list(
        Leerfiche.objects.filter(version=version)
        .order_by("theme__order", "theme_id", "order", "pk")
        # What the day reads of a leerfiche (the picker lists all of them): not their texts.
        .only(*DAY_LEERFICHE_FIELDS)
        .annotate(with_sheet_items=Exists(_sheet_items().filter(leerfiche=OuterRef("pk"))))
    )
    by_id = {fiche.pk: fiche for fiche in fiches}

    scheduled: dict[int, DayFiche] = {}
    wanted = PLAN_PLACES.get(place, ())
    if wanted:
        entries = PlanEntry.objects.filter(
            plan=plan,
            place__in=wanted,
            period__start_date__lte=on,
            period__end_date__gte=on,
        ).select_related("period")
        if place == WeekdayPlace.COMPANY and placement is not None:
            entries = entries.filter(vestiging_id=placement.vestiging_id)
        for entry in entries.order_by("pk"):
            week = week_in_period(entry.period.start_date, on)
            planned = by_id.get(entry.leerfiche_id)
            if planned is None or not entry.week_from <= week <= entry.week_to:
                continue
            scheduled.setdefault(planned.pk, DayFiche(leerfiche=planned, place=entry.place))

    day_fiches = [scheduled[fiche.pk] for fiche in fiches if fiche.pk in scheduled]
    if day_fiches:
        _complete(day_fiches)
        last = dict(
            Session.objects.filter(
                traject=traject,
                leerfiche_key__in=[fiche.key for fiche in day_fiches],
                date__lte=on,
            )
            .values_list("leerfiche_key")
            .annotate(last=Max("date"))
            .values_list("leerfiche_key", "last")
        )
        for day_fiche in day_fiches:
            day_fiche.last_practised = last.get(day_fiche.key)
    preselected = None
    if day_fiches:
        # The last one practised; never practised: the first of the plan's order.
        preselected = max(
            day_fiches,
            key=lambda fiche: (
                fiche.last_practised or dt.date.min,
                -day_fiches.index(fiche),
            ),
        )
    others = [fiche for fiche in fiches if fiche.pk not in scheduled]
    return Day(on, place, placement, version, day_fiches, preselected, others)


def _sheet_items() -> QuerySet[LeerficheItem]:
    """The lines that give a leerfiche a sheet of its own (behaviour list, measurements)."""
    return LeerficheItem.objects.filter(kind__in=(ItemKind.BEHAVIOUR, ItemKind.MEASUREMENT))


def _complete(day_fiches: list[DayFiche]) -> None:
    """Criteria and the long-sheet flag of ``day_fiches`` (one query; two for leerfiches not
    read by ``todays_leerfiches``, which marks those with sheet items)."""
    ids = [fiche.leerfiche.pk for fiche in day_fiches]
    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(leerfiche_id__in=ids).order_by(
        "leerfiche_id", "order", "pk"
    ):
        criteria.setdefault(criterion.leerfiche_id, []).append(criterion)
    unknown = [f.leerfiche.pk for f in day_fiches if not hasattr(f.leerfiche, "with_sheet_items")]
    with_items = (
        set(_sheet_items().filter(leerfiche_id__in=unknown).values_list("leerfiche_id", flat=True))
        if unknown
        else set()
    )
    for fiche in day_fiches:
        fiche.criteria = criteria.get(fiche.leerfiche.pk, [])
        fiche.long_sheet = (
            fiche.leerfiche.has_opdracht
            or getattr(fiche.leerfiche, "with_sheet_items", False)
            or fiche.leerfiche.pk in with_items
        )


def picked_fiche(day: Day, key: str) -> DayFiche | None:
    """The leerfiche ``key`` for ``day``: a scheduled one as it is, another one of the version
    with its criteria (one query), None when the version has no such leerfiche."""
    found = day.fiche(key)
    if found is not None:
        return found
    for leerfiche in day.others:
        if leerfiche.key == key:
            fiche = DayFiche(leerfiche=leerfiche, place=day.session_place, scheduled=False)
            _complete([fiche])
            return fiche
    return None


@dataclass
class SelfColumn:
    """The student's own marks on one leerfiche on one day, and the form's version token."""

    session: Session | None
    evaluation_version: int
    marks: dict[str, str]
    # The student's column itself, when read locked for a save (``locked_self_column``).
    evaluation: Evaluation | None = None

    @property
    def token(self) -> int:
        return day_token(self.session, self.evaluation_version)

    @property
    def note(self) -> str:
        return self.session.student_note if self.session is not None else ""


def day_token(session: Session | None, evaluation_version: int) -> int:
    """One version for the day form, which saves two versioned rows: the session (the note)
    and the student's column (the marks). Both versions only grow, so their sum changes
    exactly when either does; a new session (version 1) does not change it."""
    return (session.version - 1 if session is not None else 0) + evaluation_version


def locked_self_column(*, session: Session, locked: bool = False) -> SelfColumn:
    """The session and the student's column as they are now, their rows locked until the end
    of the caller's transaction (the day form compares its version token before it saves).
    ``locked``: ``session`` was read locked already in this transaction (it is current)."""

    current = session if locked else Session.objects.select_for_update().get(pk=session.pk)
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(session=current, evaluator=Evaluator.SELF)
        .order_by("pk")
        .first()
    )
    return SelfColumn(current, evaluation.version if evaluation else 0, {}, evaluation)


def self_column(traject: Traject, key: str, on: dt.date) -> SelfColumn:
    """The session of ``key`` on ``on`` (with the version of the student's column) and the
    student's marks on it (two queries)."""

    # One per leerfiche and day: by pk (the model's ordering would join the traject).
    session = (
        Session.objects.filter(traject=traject, leerfiche_key=key, date=on)
        .annotate(
            self_version=Subquery(
                Evaluation.objects.filter(session=OuterRef("pk"), evaluator=Evaluator.SELF).values(
                    "version"
                )[:1]
            )
        )
        .order_by("pk")
        .first()
    )
    if session is None:
        return SelfColumn(None, 0, {})
    version = session.self_version
    marks: dict[str, str] = {}
    if version is not None:
        marks = dict(
            CriterionScore.objects.filter(
                evaluation__session=session, evaluation__evaluator=Evaluator.SELF
            ).values_list("criterion_key", "mark")
        )
    return SelfColumn(session, version or 0, marks)
