"""Reads of students, trajects, placements and student imports.

Every list starts from ``permissions.trajects_visible_to`` (or an organisation membership) and
loads its related rows with a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation
from partnerships import permissions
from partnerships.models import (
    AccountInvitation,
    Partnership,
    Placement,
    PlacementSupervisor,
    Student,
    StudentContact,
    StudentImport,
    TeamMember,
    TeamRole,
    Traject,
    Weekday,
)
from partnerships.selectors.mentors import mentor_load_expression

SEARCH_MAX_LENGTH = 100
STUDENT_PICKER_LIMIT = 50


def clean_search(value: str | None) -> str:
    """A free-text search term fit for the database: PostgreSQL refuses NUL characters, and a
    search never needs more than ``SEARCH_MAX_LENGTH`` characters."""
    return (value or "").replace("\x00", "")[:SEARCH_MAX_LENGTH].strip()


# --- students of a school: who may manage them -------------------------------------------


def get_student_import(*, school: Organisation, import_id: uuid.UUID | str) -> StudentImport:
    """An import of ``school`` (the caller authorised the school); 404 otherwise."""
    student_import = (
        StudentImport.objects.select_related("partnership", "created_by")
        .filter(school=school, public_id=import_id)
        .first()
    )
    if student_import is None:
        raise Http404
    return student_import


def student_imports_of(*, school: Organisation, limit: int = 10) -> QuerySet[StudentImport]:
    """The school's latest imports, without their rows."""
    return (
        StudentImport.objects.filter(school=school)
        .select_related("created_by", "partnership")
        .defer("rows")
        .order_by("-created_at")[:limit]
    )


def students_without_traject(*, partnership: Partnership, q: str = "") -> QuerySet[Student]:
    """Students of the partnership's school who have no traject in it yet; ``q`` searches
    name, stamnummer and class (every word must match one of them)."""
    qs = Student.objects.filter(school_id=partnership.school_id).exclude(
        trajects__partnership=partnership
    )
    for word in clean_search(q).split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(stamnummer__icontains=word)
            | Q(school_class__name__icontains=word)
        )
    return qs.select_related("school_class").order_by("last_name", "first_name", "pk")


def traject_student_candidates(
    *, partnership: Partnership, q: str = "", limit: int = STUDENT_PICKER_LIMIT
) -> tuple[list[Student], bool]:
    """At most ``limit`` students for the traject picker, and whether more match (one query)."""
    found = list(students_without_traject(partnership=partnership, q=q)[: limit + 1])
    return found[:limit], len(found) > limit


# --- trajects list ---------------------------------------------------------------------------


def _placements_prefetch(queryset: QuerySet[Placement] | None = None) -> Prefetch:
    placements = (queryset if queryset is not None else Placement.objects.all()).select_related(
        "company", "vestiging"
    )
    return Prefetch(
        "placements",
        queryset=placements.prefetch_related(
            Prefetch(
                "supervisors",
                queryset=PlacementSupervisor.objects.select_related("user").order_by(
                    "kind", "user__full_name"
                ),
            )
        ).order_by("start_date", "pk"),
    )


@dataclass(frozen=True)
class TrajectFilters:
    q: str = ""
    opleiding: str = ""
    year: int | None = None
    company: uuid.UUID | None = None
    status: str = ""


def traject_list(*, user: User, filters: TrajectFilters) -> QuerySet[Traject]:
    """The trajects ``user`` may see, filtered and searched in the database, with everything
    a list row shows (student, class, school, partnership, opleiding, placements, mentors)."""
    qs = permissions.trajects_visible_to(user=user)
    for word in clean_search(filters.q).split()[:5]:
        qs = qs.filter(
            Q(student__first_name__icontains=word)
            | Q(student__last_name__icontains=word)
            | Q(student__stamnummer__icontains=word)
        )
    if filters.opleiding:
        qs = qs.filter(partnership__opleiding__code=filters.opleiding)
    if filters.year is not None:
        qs = qs.filter(partnership__school_year=filters.year)
    if filters.company is not None:
        qs = qs.filter(
            Exists(
                Placement.objects.filter(traject=OuterRef("pk"), company__public_id=filters.company)
            )
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    return (
        qs.select_related(
            "student",
            "student__school_class",
            "partnership",
            "partnership__school",
            "partnership__opleiding",
        )
        .prefetch_related(_placements_prefetch())
        .order_by("student__last_name", "student__first_name", "pk")
    )


@dataclass(frozen=True)
class TrajectFilterOptions:
    opleidingen: list[tuple[str, str]]
    years: list[int]
    companies: list[tuple[str, str]]
    statuses: list[str]


def traject_filter_options(*, user: User) -> TrajectFilterOptions:
    """Only the values that occur in the user's visible trajects (one query: the distinct
    combinations of status, school year, opleiding and placement company; each list is then
    sorted as the database sorted the four queries it replaces)."""
    rows = (
        permissions.trajects_visible_to(user=user)
        .order_by()
        .values_list(
            "status",
            "partnership__school_year",
            "partnership__opleiding__code",
            "partnership__opleiding__name",
            "placements__company__public_id",
            "placements__company__name",
        )
        .distinct()
    )
    statuses: set[str] = set()
    years: set[int] = set()
    opleidingen: set[tuple[str, str]] = set()
    companies: set[tuple[str, str]] = set()
    for status, year, code, opleiding, company_id, company in rows:
        statuses.add(status)
        years.add(year)
        opleidingen.add((code, opleiding))
        if company_id is not None:
            companies.add((str(company_id), company))
    return TrajectFilterOptions(
        opleidingen=sorted(opleidingen, key=lambda o: (o[1], o[0])),
        years=sorted(years, reverse=True),
        companies=sorted(companies, key=lambda c: (c[1], c[0])),
        statuses=sorted(statuses),
    )


def current_placement(traject: Traject, *, today: date | None = None) -> Placement | None:
    """The placement running today, else the next one, else the last one (prefetched rows)."""
    today = today or timezone.localdate()
    placements = list(traject.placements.all())
    for placement in placements:
        if placement.start_date <= today <= placement.end_date:
            return placement
    upcoming = [p for p in placements if p.start_date > today]
    if upcoming:
        return upcoming[0]
    return placements[-1] if placements else None


def attach_current_placements(trajects: list[Traject], *, today: date | None = None) -> None:
    """Set ``traject.current_placement`` on each traject of a page (no queries)."""
    today = today or timezone.localdate()
    for traject in trajects:
        traject.current_placement = current_placement(traject, today=today)


# --- traject detail --------------------------------------------------------------------------


def is_minor(*, birth_date: date, today: date | None = None) -> bool:
    """Younger than 18 on ``today``."""
    today = today or timezone.localdate()
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    return age < 18


def traject_placements(*, traject: Traject) -> list[Placement]:
    """The traject's placements with company, vestiging, mentors and begeleiders (3 queries)."""
    return list(
        Placement.objects.filter(traject=traject)
        .select_related("company", "vestiging")
        .prefetch_related(
            Prefetch(
                "supervisors",
                queryset=PlacementSupervisor.objects.select_related("user").order_by(
                    "kind", "user__full_name"
                ),
            )
        )
        .order_by("start_date", "pk")
    )


def usual_weekly_pattern(*, traject: Traject) -> dict[str, str]:
    """The weekdays of a new placement: the pattern of the traject's most recent placement,
    else of the partnership's most recent one; empty when the partnership has none (one
    query)."""
    latest = (
        Placement.objects.filter(traject__partnership_id=traject.partnership_id)
        .annotate(own=Case(When(traject_id=traject.pk, then=1), default=0))
        .order_by("-own", "-created_at", "-pk")
        .values(*(day.value for day in Weekday))
        .first()
    )
    return dict(latest) if latest else {}


def placement_initial(placement: Placement) -> dict[str, object]:
    """The placement form's initial values for editing ``placement`` (two queries)."""
    entry = (
        placement.traject.partnership.companies.filter(
            company_id=placement.company_id, vestiging_id=placement.vestiging_id
        )
        .values_list("pk", flat=True)
        .first()
    )
    people = list(placement.supervisors.values_list("user_id", "kind"))
    return {
        "company_vestiging": entry,
        "start_date": placement.start_date,
        "end_date": placement.end_date,
        **{day.value: getattr(placement, day.value) for day in Weekday},
        "workplace_hours_per_week": placement.workplace_hours_per_week,
        "mentors": [pk for pk, kind in people if kind == PlacementSupervisor.Kind.MENTOR],
        "begeleiders": [pk for pk, kind in people if kind == PlacementSupervisor.Kind.BEGELEIDER],
    }


def partnership_team(*, partnership: Partnership) -> QuerySet[TeamMember]:
    """The duaal team with people and organisations, school side first."""
    return (
        TeamMember.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("organisation__kind", "role", "user__full_name")
    )


def team_with_role_labels(*, partnership: Partnership) -> list[TeamMember]:
    """``partnership_team`` as the traject page shows it: a list, each member with
    ``role_label`` (``get_role_display`` translates every choice of the role to compare them;
    this translates each role once)."""
    labels: dict[str, str] = {}
    team = list(
        # What the traject page shows (not the people's other columns, their password hash).
        partnership_team(partnership=partnership).only(
            "partnership_id",
            "user_id",
            "role",
            "organisation_id",
            "user__full_name",
            "user__email",
            "organisation__kind",
            "organisation__name",
        )
    )
    for member in team:
        if member.role not in labels:
            labels[member.role] = member.get_role_display()
        member.role_label = labels[member.role]
    return team


PLACEMENT_SUPERVISOR_ROLES = (TeamRole.MENTOR, TeamRole.BEGELEIDER)


def placement_candidates(
    *, partnership: Partnership, roles: tuple[str, ...] = PLACEMENT_SUPERVISOR_ROLES
) -> QuerySet[User]:
    """People who may be mentor or begeleider of a placement: those in ``partnership``'s team
    in one of ``roles`` for one of its companies. Not every member of the companies: a
    company's member list is internal to the company."""
    return User.objects.filter(
        Exists(
            TeamMember.objects.filter(
                user=OuterRef("pk"),
                partnership=partnership,
                role__in=roles,
                organisation__in=partnership.companies.values("company_id"),
            )
        ),
        is_active=True,
    ).order_by("full_name", "email")


def student_contacts(
    *,
    student: Student,
    invitations: dict[int | None, AccountInvitation] | None = None,
) -> list[StudentContact]:
    """The student's parents and guardians, each with ``open_invitation``: their open account
    invitation or None (``invitations`` as from ``open_account_invitations``, else loaded)."""
    if invitations is None:
        invitations = open_account_invitations(student=student)
    contacts = list(student.contacts.order_by("full_name", "pk"))
    for contact in contacts:
        contact.open_invitation = invitations.get(contact.pk)
    return contacts


def open_account_invitations(*, student: Student) -> dict[int | None, AccountInvitation]:
    """The open (not accepted, not revoked; maybe expired) account invitations of a student
    and their contacts, keyed by contact id (None for the student's own)."""
    return {
        invitation.contact_id: invitation
        for invitation in AccountInvitation.objects.filter(
            student=student, accepted_at__isnull=True, revoked_at__isnull=True
        )
    }


def get_account_invitation(
    *, traject: Traject, invitation_id: uuid.UUID | str
) -> AccountInvitation:
    """An account invitation of the traject's student or their contacts (the caller authorised
    the traject); 404 otherwise."""
    invitation = (
        AccountInvitation.objects.select_related("student", "contact")
        .filter(student_id=traject.student_id, public_id=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_student_contact(*, traject: Traject, contact_id: int) -> StudentContact:
    """A parent or guardian of the traject's student; 404 otherwise."""
    contact = StudentContact.objects.filter(student_id=traject.student_id, pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


# --- company overview ------------------------------------------------------------------------


def company_placements(*, user: User, company: Organisation, q: str = "") -> QuerySet[Placement]:
    """Placements at ``company`` of the trajects ``user`` may see, across schools."""
    qs = Placement.objects.filter(
        company=company, traject__in=permissions.trajects_visible_to(user=user)
    )
    for word in clean_search(q).split()[:5]:
        qs = qs.filter(
            Q(traject__student__first_name__icontains=word)
            | Q(traject__student__last_name__icontains=word)
            | Q(traject__student__stamnummer__icontains=word)
        )
    return (
        qs.select_related(
            "vestiging",
            "traject",
            "traject__student",
            "traject__student__school_class",
            "traject__partnership",
            "traject__partnership__school",
            "traject__partnership__opleiding",
        )
        .prefetch_related(
            Prefetch(
                "supervisors",
                queryset=PlacementSupervisor.objects.select_related("user").order_by(
                    "kind", "user__full_name"
                ),
            )
        )
        .order_by(
            "traject__partnership__school__name",
            "traject__student__last_name",
            "traject__student__first_name",
            "start_date",
            "pk",
        )
    )


def company_mentors(*, company: Organisation, today: date | None = None) -> QuerySet[User]:
    """The company's mentors (members who are mentor in a team or a placement of the company),
    each annotated with ``load``: the students they guide today (``selectors.mentors``)."""
    today = today or timezone.localdate()
    is_member = Exists(Membership.objects.filter(user=OuterRef("pk"), organisation=company))
    is_mentor = Exists(
        TeamMember.objects.filter(user=OuterRef("pk"), organisation=company, role=TeamRole.MENTOR)
    ) | Exists(
        PlacementSupervisor.objects.filter(
            user=OuterRef("pk"), kind=PlacementSupervisor.Kind.MENTOR, placement__company=company
        )
    )
    return (
        User.objects.filter(is_member, is_mentor)
        .annotate(load=mentor_load_expression(on=today))
        .order_by("full_name", "email")
    )
