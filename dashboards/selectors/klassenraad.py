"""The klassenraad report of a class in a school year (issue 14, item 6): per student of the
class with a traject the viewer sees, the traject's status, the company, the criteria reached
per leerfiche, the open werkpunten, the weeks with a self-evaluation / a mentor's check-in / a
teacher's column, the state of the current soft-skill round and whether the student needs
attention (the school dashboard's rule: ``dashboards.selectors.school.risk_reasons``).

Read from the dashboards' summaries and the trajects, never from the raw scores: a fixed
number of queries whatever the size of the class. Which trajects appear is asked of
``partnerships.permissions``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from dashboards.models import (
    ClassYear,
    LeerficheSummary,
    PeriodSummary,
    TrajectSummary,
    WeekSummary,
)
from dashboards.selectors.school import risk_reasons
from learning.models import Leerfiche, Opleidingsplan, Period
from partnerships import permissions
from partnerships.models import Partnership, Placement, Traject
from partnerships.selectors.trajects import current_placement


@dataclass(frozen=True)
class FicheProgress:
    key: str
    title: str
    reached: int
    total: int


@dataclass(frozen=True)
class RoundState:
    period: str
    self_done: bool
    mentor_done: bool
    teacher_done: bool


@dataclass
class StudentRow:
    traject: Traject
    name: str
    status: str
    partnership: str
    company: str
    fiches: list[FicheProgress] = field(default_factory=list)
    open_werkpunten: int = 0
    weeks: int = 0  # weeks of the school year so far
    self_weeks: int = 0
    mentor_weeks: int = 0
    teacher_weeks: int = 0
    softskills: RoundState | None = None
    attention: list[tuple[str, str]] = field(default_factory=list)

    @property
    def attention_text(self) -> str:
        return "; ".join(text for _code, text in self.attention)


@dataclass
class KlassenraadReport:
    class_year: ClassYear
    today: dt.date
    students: list[StudentRow] = field(default_factory=list)

    @property
    def needing_attention(self) -> int:
        return sum(1 for row in self.students if row.attention)


def school_year_weeks(
    partnership: Partnership, periods: list[Period], today: dt.date
) -> tuple[dt.date, dt.date]:
    """The first Monday and the last day of the school year so far, as the school dashboard
    counts its weeks: from the first period's start (else 1 September) to today or the last
    period's end, whichever comes first."""
    year = partnership.school_year
    start = min((p.start_date for p in periods), default=dt.date(year, 9, 1))
    end = max((p.end_date for p in periods), default=dt.date(year + 1, 6, 30))
    return start - dt.timedelta(days=start.weekday()), min(end, today)


def _week_count(start: dt.date, end: dt.date) -> int:
    return max(0, (end - start).days // 7 + 1)


def class_trajects(*, class_year: ClassYear, viewer: User) -> list[Traject]:
    """The class's trajects of the school year that ``viewer`` sees, by student (one query,
    the placements with their company in a second)."""
    placements = Placement.objects.select_related("company").order_by("start_date", "pk")
    return list(
        permissions.trajects_visible_to(user=viewer)
        .filter(
            student__school_class_id=class_year.school_class_id,
            partnership__school_year=class_year.school_year,
        )
        .select_related("student", "partnership", "dashboard_summary")
        .prefetch_related(Prefetch("placements", queryset=placements))
        .order_by("student__last_name", "student__first_name", "pk")
    )


def klassenraad_report(
    *, class_year: ClassYear, viewer: User, today: dt.date | None = None
) -> KlassenraadReport:
    today = today or timezone.localdate()
    report = KlassenraadReport(class_year, today)
    trajects = class_trajects(class_year=class_year, viewer=viewer)  # 2
    if not trajects:
        return report
    ids = [traject.pk for traject in trajects]
    partnership_ids = {traject.partnership_id for traject in trajects}

    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(partnership_id__in=partnership_ids).order_by(
        "order", "start_date", "pk"
    ):  # 3
        periods[period.partnership_id].append(period)
    ranges = {
        traject.partnership_id: school_year_weeks(
            traject.partnership, periods[traject.partnership_id], today
        )
        for traject in trajects
    }

    fiches: dict[int, list[LeerficheSummary]] = defaultdict(list)
    for fiche in LeerficheSummary.objects.filter(traject_id__in=ids):  # 4
        fiches[fiche.traject_id].append(fiche)
    keys = {fiche.leerfiche_key for found in fiches.values() for fiche in found}
    # A leerfiche's key is unique within a set version only: each traject's titles come from
    # the version its plan adopted (the traject's own plan, else its partnership's).
    version_of: dict[int, int] = {}
    for partnership_id, traject_id, version_id in Opleidingsplan.objects.filter(
        partnership_id__in=partnership_ids
    ).values_list("partnership_id", "traject_id", "set_version_id"):  # 5
        version_of[-partnership_id if traject_id is None else traject_id] = version_id
    titles: dict[tuple[int | None, str], str] = {}
    order: dict[tuple[int | None, str], int] = {}
    for index, (version_id, key, title) in enumerate(
        Leerfiche.objects.filter(version_id__in=set(version_of.values()), key__in=keys)
        .order_by("theme__order", "order", "pk")
        .values_list("version_id", "key", "title")
    ):  # 6
        titles[(version_id, key)] = title
        order.setdefault((version_id, key), index)

    # Weeks with a self-evaluation / a finished check-in / a teacher's column (one query; the
    # range of each traject's partnership filters in Python: a class has few partnerships).
    first = min(start for start, _end in ranges.values())
    last = max(end for _start, end in ranges.values())
    weeks: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    partnership_of = {traject.pk: traject.partnership_id for traject in trajects}
    for traject_id, week_start, self_days, checkin_done, teacher_days in WeekSummary.objects.filter(
        traject_id__in=ids, week_start__range=(first, last)
    ).values_list("traject_id", "week_start", "self_days", "checkin_done", "teacher_days"):  # 7
        start, end = ranges[partnership_of[traject_id]]
        if not start <= week_start <= end:
            continue
        counted = weeks[traject_id]
        counted["self"] += bool(self_days)
        counted["mentor"] += bool(checkin_done)
        counted["teacher"] += bool(teacher_days)

    current = {
        partnership_id: next(
            (p for p in reversed(found) if p.start_date <= today), None
        )
        for partnership_id, found in periods.items()
    }  # fmt: skip
    rounds = {
        (summary.traject_id, summary.period_id): summary
        for summary in PeriodSummary.objects.filter(
            traject_id__in=ids,
            period_id__in=[p.pk for p in current.values() if p is not None],
        )
    }  # 8

    for traject in trajects:
        summary: TrajectSummary | None = getattr(traject, "dashboard_summary", None)
        placement = current_placement(traject, today=today)
        start, end = ranges[traject.partnership_id]
        counted = weeks.get(traject.pk, {})
        row = StudentRow(
            traject=traject,
            name=traject.student.full_name,
            status=str(traject.get_status_display()),
            partnership=traject.partnership.name,
            company=placement.company.name if placement else "",
            open_werkpunten=summary.open_werkpunten if summary else 0,
            weeks=_week_count(start, end),
            self_weeks=counted.get("self", 0),
            mentor_weeks=counted.get("mentor", 0),
            teacher_weeks=counted.get("teacher", 0),
            attention=risk_reasons(traject, summary, today),
        )
        version = version_of.get(traject.pk, version_of.get(-traject.partnership_id))
        row.fiches = sorted(
            (
                FicheProgress(
                    f.leerfiche_key,
                    titles.get((version, f.leerfiche_key), f.leerfiche_key),
                    f.reached,
                    f.total,
                )
                for f in fiches[traject.pk]
            ),
            key=partial(_fiche_order, order, version),
        )
        now = current.get(traject.partnership_id)
        if now is not None:
            state = rounds.get((traject.pk, now.pk))
            row.softskills = RoundState(
                now.name,
                bool(state and state.self_done),
                bool(state and state.mentor_done),
                bool(state and state.teacher_done),
            )
        report.students.append(row)
    return report


def _fiche_order(
    order: dict[tuple[int | None, str], int], version: int | None, fiche: FicheProgress
) -> tuple[int, str]:
    """A leerfiche's place in its version's order (theme, then leerfiche); unknown ones last."""
    return (order.get((version, fiche.key), len(order)), fiche.key)
