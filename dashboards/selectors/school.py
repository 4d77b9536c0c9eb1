"""The school director's dashboard (issue 14, item 1): per partnership (an opleiding in one
school year) the students by status, the contracts, the evaluation completion per week and per
soft-skill round, the criteria reached per leerfiche, the open werkpunten, the students at risk
and the leerfiches of the opleidingsplan that have no place in it (the coverage matrix's
first kind of gap; the matrix itself, one link away, shows the others).

Read from the dashboards' summaries (``dashboards.models``) and the trajects, never from the
raw scores: a fixed number of queries whatever the number of students. Who may see which
partnership, and which student a row may link to, is asked of ``partnerships.permissions``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contracts.models import ContractState
from dashboards.models import LeerficheSummary, TrajectSummary, WeekSummary
from learning.models import ContractType, Leerfiche, Opleidingsplan, Period, PlanEntry
from partnerships import permissions
from partnerships.models import Partnership, Traject, TrajectStatus

# Students at risk (documented in docs/decisions/0023-dashboard-summaries.md).
NO_EVALUATION_DAYS = 14  # no handed-in evaluation or finished check-in for two weeks
NOT_YET_MIN = 5  # at least this many criteria with the team's latest mark on "nog niet bereikt"
DIVERGENT_MIN = 3  # the latest marks of LL, M and LK still disagree on this many criteria
# A contract that should have started (its start date passed) but has not: blocking items open.
NOT_STARTED_STATES = frozenset(
    {ContractState.CONCEPT, ContractState.TO_SIGN, ContractState.SIGNED, ContractState.REGISTERED}
)
MAX_WEEKS = 53


@dataclass(frozen=True)
class WeekRate:
    week_start: dt.date
    self_pct: int
    mentor_pct: int
    teacher_pct: int


@dataclass(frozen=True)
class RoundRate:
    period_id: int
    period: str
    self_pct: int
    mentor_pct: int
    teacher_pct: int


@dataclass(frozen=True)
class ContractRow:
    contract_type: str
    state: str
    count: int
    checklists_complete: int


@dataclass(frozen=True)
class FicheRow:
    key: str
    title: str
    students: int  # students who practised it
    students_complete: int  # all its criteria reached
    reached: int  # criteria reached, summed over the students
    total: int


@dataclass(frozen=True)
class AtRisk:
    traject_id: int
    name: str  # the student's name, or a neutral label when the viewer may not see them
    reasons: list[tuple[str, str]]  # (code, what it says)
    link: str | None

    @property
    def codes(self) -> set[str]:
        return {code for code, _text in self.reasons}

    @property
    def text(self) -> str:
        return "; ".join(text for _code, text in self.reasons)


@dataclass
class SchoolDashboard:
    partnerships: list[Partnership]
    years: list[int]
    year: int | None
    partnership: Partnership | None
    today: dt.date
    students: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, n)
    running: int = 0
    contracts: list[ContractRow] = field(default_factory=list)
    without_contract: int = 0
    checklists_open: int = 0
    weeks: list[WeekRate] = field(default_factory=list)
    rounds: list[RoundRate] = field(default_factory=list)
    fiches: list[FicheRow] = field(default_factory=list)
    open_werkpunten: int = 0
    students_with_werkpunten: int = 0
    at_risk: list[AtRisk] = field(default_factory=list)
    plan_exists: bool = False
    untaught: list[str] = field(default_factory=list)  # leerfiches with no place in the plan
    coverage_url: str = ""


def pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def school_dashboard_partnerships(*, user: User) -> list[Partnership]:
    """The partnerships whose school dashboard ``user`` may see, newest school year first."""
    return list(
        permissions.partnerships_with_school_dashboard(user=user)
        .select_related("school", "training_centre", "opleiding")
        .order_by("-school_year", "name", "pk")
    )


def choose(
    partnerships: list[Partnership], *, year: str | None, partnership_id: str | None
) -> tuple[list[int], int | None, Partnership | None]:
    """The school years, the one chosen (``?year=``; else the newest) and the partnership
    chosen in it (``?partnership=``; else the first). Bad values fall back, never fail."""
    years = sorted({p.school_year for p in partnerships}, reverse=True)
    chosen_year = int(year) if year and year.isascii() and year.isdigit() else None
    if chosen_year not in years:
        chosen_year = None
    if chosen_year is None:
        chosen_year = years[0] if years else None
    in_year = [p for p in partnerships if p.school_year == chosen_year]
    chosen = next((p for p in in_year if str(p.public_id) == partnership_id), None)
    return years, chosen_year, chosen or (in_year[0] if in_year else None)


def _trajects(partnership: Partnership, user: User) -> QuerySet[Traject]:
    """The partnership's trajects with their student, summary and whether ``user`` may see
    them (one query)."""
    visible = permissions.trajects_visible_to(user=user).filter(pk=OuterRef("pk"))
    return (
        Traject.objects.filter(partnership=partnership)
        .select_related("student", "dashboard_summary")
        .annotate(visible=Exists(visible))
        .order_by("student__last_name", "student__first_name", "pk")
    )


def risk_reasons(
    traject: Traject, summary: TrajectSummary | None, today: dt.date
) -> list[tuple[str, str]]:
    """Why a traject needs attention, as (code, text) (empty: it does not): a running one for
    its evaluations and any not yet ended (a traject runs only once its first contract starts)
    for a blocked start."""
    if traject.status not in (TrajectStatus.RUNNING, TrajectStatus.INTAKE):
        return []
    reasons = []
    if traject.status == TrajectStatus.INTAKE:
        return _blocked(summary, today)
    last = summary.last_evaluated_on if summary else None
    if last is None:
        reasons.append(("no_evaluation", _("no evaluation yet")))
    elif (today - last).days > NO_EVALUATION_DAYS:
        days = (today - last).days
        reasons.append(("no_evaluation", _("no evaluation for %(days)d days") % {"days": days}))
    if summary is None:
        return reasons
    if summary.criteria_not_yet >= NOT_YET_MIN:
        count = summary.criteria_not_yet
        reasons.append(("not_yet", _("%(count)d criteria “nog niet bereikt”") % {"count": count}))
    if summary.criteria_divergent >= DIVERGENT_MIN:
        count = summary.criteria_divergent
        reasons.append(
            ("divergent", _("LL/M/LK disagree on %(count)d criteria") % {"count": count})
        )
    return reasons + _blocked(summary, today)


def _blocked(summary: TrajectSummary | None, today: dt.date) -> list[tuple[str, str]]:
    """A contract whose start date has passed with blocking checklist items still open."""
    if (
        summary is None
        or summary.contract_state not in NOT_STARTED_STATES
        or summary.contract_start is None
        or summary.contract_start > today
        or not summary.checklist_blocking_open
    ):
        return []
    count = summary.checklist_blocking_open
    return [("blocked", _("start blocked: %(count)d checklist items open") % {"count": count})]


def _weeks(partnership: Partnership, running: int, start: dt.date, end: dt.date) -> list[WeekRate]:
    """Per week from ``start`` to ``end``: the share of the running students with a
    self-evaluation, a finished check-in, a teacher's column (one query)."""
    rows = {
        row["week_start"]: row
        for row in WeekSummary.objects.filter(
            traject__partnership=partnership,
            traject__status=TrajectStatus.RUNNING,
            week_start__range=(start, end),
        )
        .values("week_start")
        .annotate(
            selfs=Count("pk", filter=Q(self_days__gt=0)),
            mentors=Count("pk", filter=Q(checkin_done=True)),
            teachers=Count("pk", filter=Q(teacher_days__gt=0)),
        )
        .order_by()
    }
    weeks: list[WeekRate] = []
    week = start - dt.timedelta(days=start.weekday())
    while week <= end and len(weeks) < MAX_WEEKS:
        row: Mapping[str, Any] = rows.get(week, {})
        weeks.append(
            WeekRate(
                week,
                pct(row.get("selfs", 0), running),
                pct(row.get("mentors", 0), running),
                pct(row.get("teachers", 0), running),
            )
        )
        week += dt.timedelta(days=7)
    return weeks


def _plan_fiches(partnership: Partnership) -> list[tuple[str, str, bool]]:
    """(key, title, planned) of each leerfiche of the partnership's opleidingsplan, in the
    plan's order; planned: it has an entry in the plan (one query). A leerfiche without one is
    the coverage matrix's gap "nobody teaches it" (``learning.selectors.coverage``)."""
    plan = Opleidingsplan.objects.filter(partnership=partnership, traject__isnull=True)
    entries = PlanEntry.objects.filter(
        plan__partnership=partnership, plan__traject__isnull=True, leerfiche=OuterRef("pk")
    )
    return list(
        Leerfiche.objects.filter(version_id=Subquery(plan.values("set_version_id")[:1]))
        .annotate(planned=Exists(entries))
        .order_by("theme__order", "theme__pk", "order", "pk")
        .values_list("key", "title", "planned")
    )


def _periods(partnership: Partnership) -> QuerySet[Period]:
    """The partnership's periods, each with how many running students handed in their
    soft-skill column as student, mentor and teacher (one query)."""
    running = Q(dashboard_summaries__traject__status=TrajectStatus.RUNNING)
    return (
        Period.objects.filter(partnership=partnership)
        .annotate(
            selfs=Count(
                "dashboard_summaries", filter=running & Q(dashboard_summaries__self_done=True)
            ),
            mentors=Count(
                "dashboard_summaries", filter=running & Q(dashboard_summaries__mentor_done=True)
            ),
            teachers=Count(
                "dashboard_summaries", filter=running & Q(dashboard_summaries__teacher_done=True)
            ),
        )
        .order_by("order", "start_date", "pk")
    )


def school_dashboard(
    *, user: User, year: str | None = None, partnership_id: str | None = None,
    today: dt.date | None = None,
) -> SchoolDashboard:  # fmt: skip
    today = today or timezone.localdate()
    partnerships = school_dashboard_partnerships(user=user)  # 1
    years, chosen_year, partnership = choose(partnerships, year=year, partnership_id=partnership_id)
    board = SchoolDashboard(partnerships, years, chosen_year, partnership, today)
    if partnership is None:
        return board

    trajects = list(_trajects(partnership, user))  # 2
    board.students = len(trajects)
    statuses = Counter(traject.status for traject in trajects)
    board.by_status = [
        (status.value, str(status.label), statuses[status.value])
        for status in TrajectStatus
        if statuses[status.value]
    ]
    board.running = statuses[TrajectStatus.RUNNING]

    contracts: Counter[tuple[str, str]] = Counter()
    complete: Counter[tuple[str, str]] = Counter()
    hidden = 0
    for traject in trajects:
        summary: TrajectSummary | None = getattr(traject, "dashboard_summary", None)
        if summary is not None and summary.contract_state:
            key = (summary.contract_type, summary.contract_state)
            contracts[key] += 1
            if summary.checklist_total and summary.checklist_done == summary.checklist_total:
                complete[key] += 1
            elif summary.contract_state in NOT_STARTED_STATES:
                board.checklists_open += 1
        else:
            board.without_contract += 1
        if summary is not None:
            board.open_werkpunten += summary.open_werkpunten
            board.students_with_werkpunten += bool(summary.open_werkpunten)
        reasons = risk_reasons(traject, summary, today)
        if reasons:
            if getattr(traject, "visible", False):
                name = traject.student.full_name
                link = reverse("partnerships:traject_detail", args=[traject.public_id])
            else:
                hidden += 1
                name, link = _("A student you do not follow (%(n)d)") % {"n": hidden}, None
            board.at_risk.append(AtRisk(traject.pk, name, reasons, link))
    type_labels = dict(ContractType.choices)
    state_labels = dict(ContractState.choices)
    board.contracts = [
        ContractRow(
            str(type_labels.get(kind, kind)), str(state_labels.get(state, state)), count,
            complete[(kind, state)],
        )
        for (kind, state), count in sorted(contracts.items())
    ]  # fmt: skip

    fiches = _plan_fiches(partnership)  # 3
    titles = {key: title for key, title, _planned in fiches}
    board.plan_exists = bool(fiches)
    board.untaught = [title for _key, title, planned in fiches if not planned]
    board.coverage_url = reverse("learning:coverage", args=[partnership.public_id])

    periods = list(_periods(partnership))  # 4
    start = min((p.start_date for p in periods), default=dt.date(partnership.school_year, 9, 1))
    end = max((p.end_date for p in periods), default=dt.date(partnership.school_year + 1, 6, 30))
    board.weeks = _weeks(partnership, board.running, start, min(end, today))  # 5

    per_fiche = (
        LeerficheSummary.objects.filter(traject__partnership=partnership)
        .values("leerfiche_key")
        .annotate(
            students=Count("pk"),
            complete=Count("pk", filter=Q(reached=F("total"), total__gt=0)),
            reached=Sum("reached"),
            total=Sum("total"),
        )
        .order_by("leerfiche_key")
    )  # 6
    board.fiches = [
        FicheRow(
            row["leerfiche_key"], titles.get(row["leerfiche_key"], row["leerfiche_key"]),
            row["students"], row["complete"], row["reached"] or 0, row["total"] or 0,
        )
        for row in per_fiche
    ]  # fmt: skip
    order = {key: index for index, key in enumerate(titles)}
    board.fiches.sort(key=lambda row: (order.get(row.key, len(order)), row.key))
    for period in periods:
        done = [getattr(period, name) for name in ("selfs", "mentors", "teachers")]
        if any(done):
            board.rounds.append(
                RoundRate(period.pk, period.name, *(pct(n, board.running) for n in done))
            )
    return board
