"""The mentor's weekly check-in as the screen reads it, and the mentor's week on the home.

``checkin_sheet`` gathers, for one traject and week, in a fixed number of queries whatever
the number of leerfiches and criteria:

* the leerfiches practised that week (the week's sessions, whoever evaluated them) or, when
  there are none, those the opleidingsplan schedules at the company that week;
* per criterion: the mentor's mark this week, else the last one before it (the prefill), and
  the student's own mark this week beside it, with the divergence between the two;
* the short behaviour check (``skills.WEEKLY_SKILLS``), prefilled from the week before;
* the student's open werkpunten (and those closed since the week began, so a tap on
  "opgelost" stays visible), and the werkpunt this check-in opened;
* the screen's version: one token over the check-in and the mentor's column on each
  leerfiche's session of the week (``version_token``), so two people on one check-in never
  overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from evaluation.models import (
    CheckinBehaviour,
    Evaluation,
    Evaluator,
    Session,
    WeeklyCheckin,
    Werkpunt,
)
from evaluation.selectors.marks import latest_marks_before_and_until
from evaluation.services.checkins import week_start_of
from evaluation.skills import SKILLS, WEEKLY_SKILLS
from learning.models import Criterion, Leerfiche, PlaceKind, PlanEntry
from learning.services.plans import plan_for_traject
from partnerships.models import Placement, Traject

MARK_PREFIX = "mark:"
BEHAVIOUR_PREFIX = "behaviour:"
WERKPUNT_PREFIX = "werkpunt:"
NEW_WERKPUNT = "new_werkpunt"
KEEP = "keep"


def mark_field(leerfiche_key: str, criterion_key: str) -> str:
    return f"{MARK_PREFIX}{leerfiche_key}:{criterion_key}"


def behaviour_field(skill_key: str) -> str:
    return f"{BEHAVIOUR_PREFIX}{skill_key}"


def werkpunt_field(werkpunt: Werkpunt) -> str:
    return f"{WERKPUNT_PREFIX}{werkpunt.public_id}"


@dataclass
class CriterionRow:
    leerfiche_key: str
    criterion: Criterion
    mark: str  # the mentor's mark this week ("" when none)
    previous: str  # the mentor's last mark before this week
    self_mark: str  # the student's own mark this week

    @cached_property  # read about ten times per row by the template
    def field(self) -> str:
        return mark_field(self.leerfiche_key, self.criterion.key)

    @cached_property
    def prefill(self) -> str:
        return self.mark or self.previous

    @cached_property
    def divergent(self) -> bool:
        return bool(self.self_mark and self.prefill and self.self_mark != self.prefill)


@dataclass
class FicheBlock:
    leerfiche: Leerfiche
    sessions: int  # sessions of this leerfiche this week
    target: Session | None  # where the mentor's marks of the week go (the latest session)
    mentor_version: int  # the mentor's column on ``target`` (0: none yet)
    criteria: list[CriterionRow] = field(default_factory=list)


@dataclass
class BehaviourRow:
    key: str
    label: str
    rating: str  # this week's
    previous: str  # last week's

    @cached_property  # read about ten times per row by the template
    def field(self) -> str:
        return behaviour_field(self.key)

    @cached_property
    def prefill(self) -> str:
        return self.rating or self.previous


@dataclass
class WerkpuntRow:
    werkpunt: Werkpunt

    @cached_property  # read about ten times per row by the template
    def field(self) -> str:
        return werkpunt_field(self.werkpunt)

    @property
    def value(self) -> str:
        return self.werkpunt.outcome if self.werkpunt.closed_on is not None else KEEP


@dataclass
class CheckinSheet:
    traject: Traject
    week_start: dt.date
    fiches: list[FicheBlock]
    planned: bool  # the leerfiches come from the opleidingsplan (nothing practised yet)
    checkin: WeeklyCheckin | None
    behaviour: list[BehaviourRow]
    werkpunten: list[WerkpuntRow]
    own_werkpunt: Werkpunt | None  # opened by this check-in ("Werkpunt (optioneel)")
    with_marks: bool = True  # False: read for a save, without the marks and ratings

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def week_friday(self) -> dt.date:
        return self.week_start + dt.timedelta(days=4)

    @property
    def week_number(self) -> int:
        return self.week_start.isocalendar().week

    @property
    def done(self) -> bool:
        return self.checkin is not None and self.checkin.done_at is not None

    @property
    def checkin_version(self) -> int:
        return self.checkin.version if self.checkin is not None else 0

    @property
    def version_token(self) -> str:
        return version_token(self.checkin_version, [b.mentor_version for b in self.fiches])

    @property
    def criteria(self) -> list[CriterionRow]:
        return [row for block in self.fiches for row in block.criteria]

    @property
    def divergences(self) -> int:
        return sum(row.divergent for row in self.criteria)

    def values(self) -> dict[str, str]:
        """{input name: value} as the screen shows it (the answer to a stale save)."""
        found = {"version": self.version_token}
        found.update({row.field: row.prefill for row in self.criteria})
        found.update({row.field: row.prefill for row in self.behaviour})
        found.update({row.field: row.value for row in self.werkpunten})
        found[NEW_WERKPUNT] = self.own_werkpunt.text if self.own_werkpunt else ""
        return found


def version_token(checkin_version: int, mentor_versions: Iterable[int]) -> str:
    """ "4.2.0": the check-in's version, then the mentor's column per leerfiche shown."""
    return ".".join(str(number) for number in (checkin_version, *mentor_versions))


def parse_version_token(token: str) -> list[int] | None:
    parts = (token or "").strip().split(".")
    if not all(part.isascii() and part.isdigit() and len(part) < 10 for part in parts):
        return None
    return [int(part) for part in parts]


def planned_company_leerfiches(*, traject: Traject, week_start: dt.date) -> list[Leerfiche]:
    """The leerfiches the traject's opleidingsplan schedules at the company (the vestiging of
    one of the student's placements) in ``week_start``'s week (two queries).

    A small private reading of learning's plan; the student's day has its own (today's
    leerfiches, by the weekly pattern)."""
    plan = plan_for_traject(traject)
    if plan is None:
        return []
    week_end = week_start + dt.timedelta(days=6)
    entries = (
        PlanEntry.objects.filter(
            plan=plan,
            place=PlaceKind.COMPANY,
            period__start_date__lte=week_end,
            period__end_date__gte=week_start,
            vestiging_id__in=Placement.objects.filter(
                traject=traject, start_date__lte=week_end, end_date__gte=week_start
            ).values("vestiging_id"),
        )
        .select_related("period", "leerfiche")
        .order_by("leerfiche__order", "leerfiche__pk")
    )
    found: dict[str, Leerfiche] = {}
    for entry in entries:
        first_monday = week_start_of(entry.period.start_date)
        number = (week_start - first_monday).days // 7 + 1
        if entry.week_from <= number <= entry.week_to:
            found.setdefault(entry.leerfiche.key, entry.leerfiche)
    return list(found.values())


@dataclass
class _WeekFiches:
    leerfiches: list[Leerfiche]
    counts: dict[str, int]
    targets: dict[str, Session]
    planned: bool
    mentor_versions: dict[int, int]  # {session id: the mentor's column version}

    def version(self, fiche: Leerfiche) -> int:
        target = self.targets.get(fiche.key)
        return self.mentor_versions.get(target.pk, 0) if target is not None else 0


def _mentor_version() -> Subquery:
    """The version of the mentor's column on the outer session (None: no column yet)."""
    return Subquery(
        Evaluation.objects.filter(session=OuterRef("pk"), evaluator=Evaluator.MENTOR).values(
            "version"
        )[:1]
    )


def _week_sessions(*, traject: Traject, week_start: dt.date) -> QuerySet[Session]:
    """The week's sessions, in order, each with the version of the mentor's column on it
    (``mentor_version``; one query)."""
    week_end = week_start + dt.timedelta(days=6)
    return (
        Session.objects.filter(traject=traject, date__range=(week_start, week_end))
        .annotate(mentor_version=_mentor_version())
        .order_by("date", "pk")
    )


def _week_fiches(*, traject: Traject, week_start: dt.date) -> _WeekFiches:
    """The week's leerfiches, their sessions and the mentor's column versions (one query,
    three when nothing was practised and the plan is read)."""
    sessions = list(
        _week_sessions(traject=traject, week_start=week_start).select_related("leerfiche")
    )
    counts: dict[str, int] = defaultdict(int)
    targets: dict[str, Session] = {}
    for session in sessions:
        counts[session.leerfiche_key] += 1
        targets[session.leerfiche_key] = session  # the latest wins
    planned = False
    if targets:
        leerfiches = [session.leerfiche for session in targets.values()]
        leerfiches.sort(key=lambda fiche: (fiche.order, fiche.pk))
    else:
        leerfiches = planned_company_leerfiches(traject=traject, week_start=week_start)
        planned = bool(leerfiches)
    mentor_versions = {
        session.pk: session.mentor_version  # type: ignore[attr-defined]
        for session in targets.values()
        if session.mentor_version is not None  # type: ignore[attr-defined]
    }
    return _WeekFiches(leerfiches, counts, targets, planned, mentor_versions)


def week_version_token(*, traject: Traject, week_start: dt.date) -> str:
    """``CheckinSheet.version_token`` without reading the rest of the sheet (what an
    autosave answers with; one query, three or four when nothing was practised that week).

    The same versions as ``_week_fiches``: the latest session of each leerfiche key that
    week, in the leerfiches' order, each with the mentor's column version (0: none)."""
    checkin_version = (
        WeeklyCheckin.objects.filter(traject=traject, week_start=week_start)
        .order_by()
        .values("version")[:1]
    )
    rows = list(
        _week_sessions(traject=traject, week_start=week_start).values_list(
            "leerfiche_key",
            "leerfiche__order",
            "leerfiche_id",
            "mentor_version",
            Subquery(checkin_version),  # the same on every row
        )
    )
    if not rows:  # nothing practised: the planned leerfiches, none with a column yet
        planned = planned_company_leerfiches(traject=traject, week_start=week_start)
        version = checkin_version.values_list("version", flat=True).first()
        return version_token(version or 0, [0 for _fiche in planned])
    latest: dict[str, tuple[int, int, int]] = {}
    for key, order, leerfiche_id, mentor_version, _checkin in rows:
        latest[key] = (order, leerfiche_id, mentor_version or 0)  # the latest wins
    in_order = sorted(latest.values(), key=lambda fiche: (fiche[0], fiche[1]))
    return version_token(rows[0][4] or 0, [fiche[2] for fiche in in_order])


def checkin_sheet(*, traject: Traject, week_start: dt.date, marks: bool = True) -> CheckinSheet:
    """Everything the check-in screen shows (about ten queries, whatever the size).

    ``marks=False`` leaves out the criteria's marks (this week's, the last before it and the
    student's) and the behaviour's ratings: what a save needs to check the form against,
    two queries less. Such a sheet says so (``with_marks``) and is not shown."""
    week_end = week_start + dt.timedelta(days=6)
    week = _week_fiches(traject=traject, week_start=week_start)
    leerfiches, counts, targets, planned = (
        week.leerfiches,
        week.counts,
        week.targets,
        week.planned,
    )
    keys = [fiche.key for fiche in leerfiches] if marks else []

    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.filter(leerfiche__in=[f.pk for f in leerfiches]).order_by(
        "order", "pk"
    ):
        criteria[criterion.leerfiche_id].append(criterion)
    before, now = (
        latest_marks_before_and_until(
            traject_ids=[traject.pk], leerfiche_keys=keys, before=week_start, until=week_end
        )
        if keys
        else ({}, {})
    )

    def this_week(key: tuple[int, str, str, str]) -> str:
        latest = now.get(key)
        return latest.mark if latest is not None and latest.date >= week_start else ""

    fiches = []
    for fiche in leerfiches:
        target = targets.get(fiche.key)
        block = FicheBlock(
            leerfiche=fiche,
            sessions=counts.get(fiche.key, 0),
            target=target,
            mentor_version=week.version(fiche),
        )
        for criterion in criteria.get(fiche.pk, []):
            mentor_key = (traject.pk, fiche.key, criterion.key, Evaluator.MENTOR)
            previous = before.get(mentor_key)
            block.criteria.append(
                CriterionRow(
                    leerfiche_key=fiche.key,
                    criterion=criterion,
                    mark=this_week(mentor_key),
                    previous=previous.mark if previous is not None else "",
                    self_mark=this_week((traject.pk, fiche.key, criterion.key, Evaluator.SELF)),
                )
            )
        fiches.append(block)

    last_week = week_start - dt.timedelta(days=7)
    checkins = {
        checkin.week_start: checkin
        for checkin in WeeklyCheckin.objects.filter(
            traject=traject, week_start__in=[week_start, last_week]
        ).order_by()  # read into a dict: no ordering by the traject (joins)
    }
    ratings: dict[dt.date, dict[str, str]] = defaultdict(dict)
    if marks and checkins:  # a save checks the form against the skills' keys only
        for monday, key, rating in CheckinBehaviour.objects.filter(
            checkin__in=[checkin.pk for checkin in checkins.values()]
        ).values_list("checkin__week_start", "skill_key", "rating"):
            ratings[monday][key] = rating
    behaviour = [
        BehaviourRow(
            key=key,
            label=SKILLS[key].label,
            rating=ratings[week_start].get(key, ""),
            previous=ratings[last_week].get(key, ""),
        )
        for key in WEEKLY_SKILLS
    ]
    checkin = checkins.get(week_start)
    werkpunten = []
    own = None
    for werkpunt in (
        Werkpunt.objects.filter(traject=traject)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=week_start))
        .order_by("opened_on", "pk")
    ):
        if checkin is not None and werkpunt.checkin_id == checkin.pk and own is None:
            own = werkpunt
        else:
            werkpunten.append(WerkpuntRow(werkpunt))
    return CheckinSheet(
        traject=traject,
        week_start=week_start,
        fiches=fiches,
        planned=planned,
        checkin=checkin,
        behaviour=behaviour,
        werkpunten=werkpunten,
        own_werkpunt=own,
        with_marks=marks,
    )


# --- The mentor's week on the home ---------------------------------------------------------


@dataclass(frozen=True)
class WeekState:
    done_at: dt.datetime | None
    open_werkpunten: int


def mentor_week_states_of(
    trajects: QuerySet[Traject], *, week_start: dt.date
) -> dict[int, WeekState]:
    """{traject id: the week's check-in done (when) and open werkpunten} of the rows of
    ``trajects`` (an access-filtered queryset), in the one query that reads them: the week's
    check-in and the open werkpunten are subqueries per row."""
    done = WeeklyCheckin.objects.filter(traject=OuterRef("pk"), week_start=week_start).values(
        "done_at"
    )[:1]
    open_werkpunten = (
        Werkpunt.objects.filter(traject=OuterRef("pk"), closed_on__isnull=True)
        .order_by()
        .values("traject")
        .annotate(number=Count("pk"))
        .values("number")
    )
    rows = (
        trajects.order_by()
        .annotate(
            week_done_at=Subquery(done),
            week_open=Coalesce(Subquery(open_werkpunten), 0),
        )
        .values_list("pk", "week_done_at", "week_open")
    )
    return {pk: WeekState(done_at=done_at, open_werkpunten=number) for pk, done_at, number in rows}
