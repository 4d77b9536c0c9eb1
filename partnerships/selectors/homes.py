"""Reads of the role homes (``partnerships/homes.py``): each person's students, week and
partnerships.

Visibility comes from ``partnerships.permissions`` (``trajects_visible_to``,
``partnerships_visible_to``); a role (``TeamMember``, ``PlacementSupervisor``, the student's
own account, a parent's contact row) only chooses which panel shows which of the visible rows.
Every function runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Window
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agenda.holidays import is_public_holiday
from partnerships import permissions
from partnerships.models import (
    Partnership,
    Placement,
    PlacementSupervisor,
    StudentContact,
    TeamMember,
    TeamRole,
    Traject,
    TrajectStatus,
    WeekdayPlace,
)
from partnerships.selectors.mentors import OPEN_TRAJECT_STATUSES
from partnerships.selectors.partnerships import partnership_list
from partnerships.selectors.trajects import current_placement

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def team_roles(*, user: User) -> dict[str, set[int]]:
    """{team role: ids of the partnerships where ``user`` holds it} (one query)."""
    roles: dict[str, set[int]] = defaultdict(set)
    if not user.is_authenticated:
        return roles
    for role, partnership_id in TeamMember.objects.filter(user=user).values_list(
        "role", "partnership_id"
    ):
        roles[role].add(partnership_id)
    return roles


# --- A day of a placement's weekly pattern ---------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    place: str  # a WeekdayPlace value, "holiday", or "" when no placement runs that day
    label: str | Promise


def week_schedule(placements: list[Placement], days: list[date]) -> list[Day]:
    """Where the student is on each of ``days`` (Monday to Friday), from the placement that
    runs that day; public holidays are days off, days without a placement are empty."""
    schedule = []
    for day in days:
        running = next((p for p in placements if p.start_date <= day <= p.end_date), None)
        if running is None:
            schedule.append(Day(day, "", "—"))
        elif is_public_holiday(day):
            schedule.append(Day(day, "holiday", _("Public holiday")))
        else:
            place = getattr(running, WEEKDAY_FIELDS[day.weekday()])
            schedule.append(Day(day, place, WeekdayPlace(place).label))
    return schedule


# --- Placement state of a traject ------------------------------------------------------------


@dataclass(frozen=True)
class PlacementState:
    code: str  # "running", "upcoming", "ended" or "none"
    placement: Placement | None


def placement_state(traject: Traject, *, today: date) -> PlacementState:
    """Whether the traject's current placement runs, is still to start, has ended, or is
    missing (prefetched placements; no queries)."""
    placement = current_placement(traject, today=today)
    if placement is None:
        return PlacementState("none", None)
    if placement.start_date > today:
        return PlacementState("upcoming", placement)
    if placement.end_date < today:
        return PlacementState("ended", placement)
    return PlacementState("running", placement)


def mentors_of(placement: Placement | None) -> list[User]:
    """The mentors of a placement (prefetched supervisors; no queries)."""
    if placement is None:
        return []
    return [
        s.user for s in placement.supervisors.all() if s.kind == PlacementSupervisor.Kind.MENTOR
    ]


# --- The student's and the parent's own traject ----------------------------------------------


@dataclass
class FamilyTraject:
    traject: Traject
    is_own: bool  # the viewer is the student (else a parent or guardian)
    state: PlacementState
    mentors: list[User]
    week: list[Day]


def _supervisors() -> QuerySet[PlacementSupervisor]:
    """A placement's supervisors as the homes show their mentors (name, else e-mail)."""
    return (
        PlacementSupervisor.objects.select_related("user")
        .only("placement_id", "kind", "user__full_name", "user__email")
        .order_by("kind", "user__full_name")
    )


# What the family panel (``partnerships/home_family.html``) and the student's day
# (``evaluation.homes.day``) read of a traject: no other column leaves the database.
FAMILY_TRAJECT_FIELDS = (
    "public_id",
    "status",
    "student__first_name",
    "student__last_name",
    "student__user_id",
    "partnership__school_year",
    "partnership__school__name",
    "partnership__opleiding__name",
)


def family_trajects(*, user: User, today: date, days: list[date]) -> list[FamilyTraject]:
    """The trajects of ``user`` as student, or of their children as parent or guardian, that
    ``user`` may see, with this week's pattern (three queries). No free-text fields: the
    home shows the traject's facts, the traject page what the student may read."""
    if not user.is_authenticated:
        return []
    own_or_child = Q(student__user=user) | Q(
        Exists(StudentContact.objects.filter(student_id=OuterRef("student_id"), user=user))
    )
    with_mentors = Placement.objects.select_related("company").prefetch_related(
        Prefetch("supervisors", queryset=_supervisors())
    )
    trajects = list(
        permissions.trajects_visible_to(user=user)
        .filter(own_or_child)
        .select_related("student", "partnership__school", "partnership__opleiding")
        .only(*FAMILY_TRAJECT_FIELDS)
        .prefetch_related(
            Prefetch("placements", queryset=with_mentors.order_by("start_date", "pk"))
        )
        .order_by("-partnership__school_year", "student__first_name", "pk")
    )
    found = []
    for traject in trajects:
        state = placement_state(traject, today=today)
        placements = list(traject.placements.all())
        found.append(
            FamilyTraject(
                traject=traject,
                is_own=traject.student.user_id == user.pk,
                state=state,
                mentors=mentors_of(state.placement),
                week=week_schedule(placements, days),
            )
        )
    return found


def is_family(*, user: User) -> bool:
    """Whether ``user`` sees a traject as its student or as a parent or guardian (one query)."""
    return bool(user.is_authenticated) and (
        permissions.trajects_visible_to(user=user)
        .filter(
            Q(student__user=user)
            | Q(Exists(StudentContact.objects.filter(student_id=OuterRef("student_id"), user=user)))
        )
        .exists()
    )


def sees_others_trajects(*, user: User) -> bool:
    """Whether ``user`` sees a traject other than their own or their children's (one query):
    the students list is for the team, not for families."""
    if not user.is_authenticated:
        return False
    return (
        permissions.trajects_visible_to(user=user)
        .exclude(student__user=user)
        .exclude(
            Exists(StudentContact.objects.filter(student_id=OuterRef("student_id"), user=user))
        )
        .exists()
    )


# --- The mentor's week -----------------------------------------------------------------------


@dataclass
class WeekStudent:
    traject: Traject
    placements: list[Placement]
    week: list[Day]
    kind: str  # the viewer's supervision: "mentor" or "begeleider"
    actions: list = field(default_factory=list)  # filled from the home engine's slot


def supervised_placements(*, user: User, start: date, end: date) -> QuerySet[Placement]:
    """Placements overlapping [start, end] of which ``user`` is mentor or begeleider, of open
    trajects ``user`` may see (two queries; one when ``user`` supervises none then).

    The user's own supervisions are read first: the placements query then fetches those few
    rows by primary key, where a subquery let the database join every placement of the week
    with its traject, student and partnership before testing the supervisor."""
    own = list(
        PlacementSupervisor.objects.filter(
            user=user, placement__start_date__lte=end, placement__end_date__gte=start
        ).values_list("placement_id", flat=True)
    )
    if not own:
        return Placement.objects.none()
    return (
        Placement.objects.filter(
            pk__in=own,
            traject__in=permissions.trajects_visible_to(user=user),
            traject__status__in=OPEN_TRAJECT_STATUSES,
            start_date__lte=end,
            end_date__gte=start,
        )
        .annotate(
            as_mentor=Exists(
                PlacementSupervisor.objects.filter(
                    placement=OuterRef("pk"), user=user, kind=PlacementSupervisor.Kind.MENTOR
                )
            )
        )
        .select_related(
            "traject__student",
            "traject__partnership__opleiding",
            "traject__partnership__school",
        )
        .defer("traject__intake_notes", "traject__beginsituatie")
        .order_by("traject__student__first_name", "traject__student__last_name", "start_date")
    )


@dataclass
class Supervised:
    """What the mentor's week shows: the students of ``days`` and the placements that start
    after them, up to ``until``."""

    week: list[WeekStudent]
    upcoming: list[Placement]


def supervised(*, user: User, days: list[date], until: date) -> Supervised:
    """The students ``user`` supervises during ``days`` (a working week), each with where
    they are each day, in the order of their first names; and the placements ``user`` will
    supervise that start in (the week's last day, ``until``]. Two queries for both (one when
    ``user`` supervises nothing then): a placement overlapping the week starts on or before
    its last day, an upcoming one after it, so one read of [first day, ``until``] holds both."""
    last = days[-1]
    by_traject: dict[int, WeekStudent] = {}
    upcoming: list[Placement] = []
    for placement in supervised_placements(user=user, start=days[0], end=until):
        if placement.start_date > last:
            upcoming.append(placement)
            continue
        row = by_traject.get(placement.traject_id)
        if row is None:
            row = by_traject[placement.traject_id] = WeekStudent(
                traject=placement.traject, placements=[], week=[], kind="begeleider"
            )
        row.placements.append(placement)
        if getattr(placement, "as_mentor", False):  # annotated by supervised_placements
            row.kind = PlacementSupervisor.Kind.MENTOR
    for row in by_traject.values():
        row.week = week_schedule(row.placements, days)
    return Supervised(week=list(by_traject.values()), upcoming=upcoming)


# --- Students of the school-side team and the coordinators -----------------------------------

STUDENTS_SHOWN = 12


@dataclass
class StudentRow:
    traject: Traject
    state: PlacementState
    mentors: list[User]


# What a row of the students panel shows (``partnerships/home_students.html``): nothing else
# is read, so no personal field the panel does not show leaves the database.
STUDENT_ROW_FIELDS = (
    "public_id",
    "status",
    "student__first_name",
    "student__last_name",
    "partnership__opleiding__name",
)


def students_overview(
    *, user: User, today: date, limit: int = STUDENTS_SHOWN
) -> tuple[list[StudentRow], int]:
    """The first ``limit`` trajects ``user`` may see (by name) with their placement state,
    and how many there are (three queries: the count is a window over the same rows, taken
    before the limit)."""
    placements = (
        Placement.objects.select_related("company")
        .only("traject_id", "start_date", "end_date", "company__name")
        .prefetch_related(Prefetch("supervisors", queryset=_supervisors()))
        .order_by("start_date", "pk")
    )
    visible = (
        permissions.trajects_visible_to(user=user)
        .select_related("student", "partnership__opleiding")
        .only(*STUDENT_ROW_FIELDS)
        .prefetch_related(Prefetch("placements", queryset=placements))
        .annotate(visible_total=Window(Count("pk")))
        .order_by("student__last_name", "student__first_name", "pk")
    )
    trajects = list(visible[:limit])
    total = trajects[0].visible_total if trajects else 0
    rows = []
    for traject in trajects:
        state = placement_state(traject, today=today)
        rows.append(StudentRow(traject, state, mentors_of(state.placement)))
    return rows, total


# --- Partnerships of coordinators and directors ----------------------------------------------


def partnerships_in_role(*, user: User, partnership_ids: set[int]) -> list[Partnership]:
    """The partnerships among ``partnership_ids`` that ``user`` may see, with school,
    opleiding, companies and ``traject_count`` (trajects ``user`` may see; two queries)."""
    if not partnership_ids:
        return []
    return list(partnership_list(user=user).filter(pk__in=partnership_ids))


@dataclass
class PartnershipCounts:
    partnership: Partnership
    total: int
    by_status: dict[str, int]

    @property
    def intake(self) -> int:
        return self.by_status.get(TrajectStatus.INTAKE, 0)

    @property
    def running(self) -> int:
        return self.by_status.get(TrajectStatus.RUNNING, 0)

    @property
    def completed(self) -> int:
        return self.by_status.get(TrajectStatus.COMPLETED, 0)

    @property
    def stopped(self) -> int:
        return self.by_status.get(TrajectStatus.STOPPED, 0)


def traject_counts(*, user: User, partnership_ids: set[int]) -> list[PartnershipCounts]:
    """Per partnership among ``partnership_ids`` that ``user`` may see: the number of
    trajects ``user`` may see, by status (two queries; none without ``partnership_ids``).
    The partnerships as the list orders them, with their school (what the panel shows)."""
    if not partnership_ids:
        return []
    partnerships = list(
        permissions.partnerships_visible_to(user=user)
        .filter(pk__in=partnership_ids)
        .select_related("school")
        .order_by("-school_year", "name", "pk")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        permissions.trajects_visible_to(user=user)
        .filter(partnership_id__in=[p.pk for p in partnerships])
        .order_by()
        .values("partnership_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["partnership_id"]][row["status"]] = row["n"]
    return [PartnershipCounts(p, sum(counts[p.pk].values()), counts[p.pk]) for p in partnerships]


SCHOOL_TEAM_ROLES = frozenset(
    {TeamRole.TRAJECTBEGELEIDER, TeamRole.LEERKRACHT, TeamRole.OPLEIDINGSCENTRUM}
)
COORDINATOR_ROLES = frozenset({TeamRole.COORDINATOR_SCHOOL, TeamRole.COORDINATOR_BEDRIJF})
DIRECTOR_ROLES = frozenset({TeamRole.DIRECTIE_SCHOOL, TeamRole.DIRECTIE_BEDRIJF})
