"""Reads of partnerships, their team, invitations and RACI matrix.

Visibility always comes from ``partnerships.permissions``; these functions only shape the rows
of what the caller may already see, in a number of queries that does not grow with the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from accounts.models import User
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships import permissions, raci
from partnerships.models import (
    Invitation,
    Partnership,
    PartnershipCompany,
    RaciCell,
    TeamMember,
    TeamRole,
    Traject,
)


def partnership_list(*, user: User, query: str = "", school_year: int | None = None) -> QuerySet:
    """Partnerships visible to ``user`` with school, opleiding, companies and a
    ``traject_count`` of the trajects *the user* may see; optionally filtered by name and year.
    """
    visible_trajects = (
        permissions.trajects_visible_to(user=user)
        .filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partnerships = (
        permissions.partnerships_visible_to(user=user)
        .select_related("school", "opleiding", "training_centre")
        .prefetch_related(
            Prefetch(
                "companies",
                queryset=PartnershipCompany.objects.select_related("company", "vestiging").order_by(
                    "company__name"
                ),
            )
        )
        .annotate(
            traject_count=Coalesce(Subquery(visible_trajects, output_field=IntegerField()), 0)
        )
        .order_by("-school_year", "name", "pk")
    )
    if query:
        partnerships = partnerships.filter(name__icontains=query)
    if school_year is not None:
        partnerships = partnerships.filter(school_year=school_year)
    return partnerships


def partnership_school_years(*, user: User) -> list[int]:
    """The school years of the partnerships ``user`` can see, newest first (for a filter)."""
    return list(
        permissions.partnerships_visible_to(user=user)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )


def schools_administered_by(*, user: User) -> QuerySet[Organisation]:
    """Schools of which ``user`` is an administrator: the ones that may start a partnership."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL,
        memberships__user=user,
        memberships__is_admin=True,
    ).order_by("name")


def company_vestigingen(
    *, schools: Iterable[Organisation] | QuerySet[Organisation]
) -> QuerySet[Vestiging]:
    """The establishments a school may pick a company from: those of the companies it already
    works with (in any of its partnerships) and of the companies that opted in to be found
    (``Organisation.findable``); never another school's private partners. With several
    ``schools`` (a person administering more than one), the union of theirs."""
    school_ids: Any = (
        schools.values("pk") if isinstance(schools, QuerySet) else [school.pk for school in schools]
    )
    partners = PartnershipCompany.objects.filter(
        partnership__school__in=school_ids, company=OuterRef("organisation")
    )
    return (
        Vestiging.objects.filter(organisation__kind=OrganisationKind.COMPANY)
        .filter(Q(organisation__findable=True) | Exists(partners))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def training_centres() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.TRAINING_CENTRE).order_by("name")


def partnership_companies(*, partnership: Partnership) -> QuerySet[PartnershipCompany]:
    return (
        PartnershipCompany.objects.filter(partnership=partnership)
        .select_related("company", "vestiging")
        .order_by("company__name", "vestiging__name")
    )


def partnership_organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    """The school, the companies and the training centre of ``partnership``."""
    condition = Q(pk=partnership.school_id) | Q(company_partnerships__partnership=partnership)
    if partnership.training_centre_id:
        condition |= Q(pk=partnership.training_centre_id)
    return Organisation.objects.filter(
        pk__in=Organisation.objects.filter(condition).values("pk")
    ).order_by("name")


def team_candidate_organisations(*, partnership: Partnership, user: User) -> QuerySet[Organisation]:
    """Organisations of ``partnership`` whose members ``user`` may pick for the team.

    Only the actor's own organisations: member lists are internal to an organisation
    (ARCHITECTURE.md item 1); people of the other side join through an invitation.
    """
    return partnership_organisations(partnership=partnership).filter(memberships__user=user)


def team_candidate_users(*, partnership: Partnership, user: User) -> QuerySet[User]:
    """Members of the ``team_candidate_organisations`` (see there why only those)."""
    organisations = team_candidate_organisations(partnership=partnership, user=user)
    return User.objects.filter(
        pk__in=Membership.objects.filter(organisation__in=organisations).values("user_id"),
        is_active=True,
    ).order_by("full_name", "email")


StrOrPromise = str | Promise


@dataclass
class RoleGroup:
    role: str
    label: StrOrPromise
    members: list[TeamMember] = field(default_factory=list)


def team_by_role(*, partnership: Partnership) -> list[RoleGroup]:
    """The duaal team grouped by role, in the order of ``TeamRole`` (one query)."""
    groups = {value: RoleGroup(value, label) for value, label in TeamRole.choices}
    members = (
        TeamMember.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("user__full_name", "pk")
    )
    for member in members:
        groups[member.role].members.append(member)
    return [group for group in groups.values() if group.members]


def open_invitations(*, partnership: Partnership) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones included: they can be re-sent)."""
    return (
        Invitation.objects.filter(
            partnership=partnership, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("organisation")
        .order_by("-created_at")
    )


def partnership_trajects(*, partnership: Partnership, user: User) -> QuerySet[Traject]:
    """The trajects of ``partnership`` that ``user`` may see."""
    return (
        permissions.trajects_visible_to(user=user)
        .filter(partnership=partnership)
        .select_related("student", "student__school_class")
        .order_by("student__last_name", "student__first_name")
    )


@dataclass
class RaciRow:
    task: raci.RaciTask
    cells: list[dict]


@dataclass
class RaciPhase:
    code: str
    label: str
    rows: list[RaciRow]


def raci_cell_letter(*, partnership: Partnership, task: str, role: str) -> str:
    """The letter of one cell ('' when empty)."""
    return (
        RaciCell.objects.filter(partnership=partnership, task=task, role=role)
        .values_list("letter", flat=True)
        .first()
        or ""
    )


def raci_cell(*, task: raci.RaciTask, role: str, letter: str) -> dict[str, str | Promise]:
    """One cell of the matrix, with the task's and the role's names for labels on phones and
    for the accessible name of its edit link ("Wijzig Screening – Mentor: R")."""
    return {
        "task": task.code,
        "role": role,
        "letter": letter,
        "task_name": task.name,
        "role_label": TeamRole(role).label,
    }


def raci_matrix(*, partnership: Partnership) -> list[RaciPhase]:
    """The appendix-4 grid: phases of tasks, one cell per role of ``raci.MATRIX_ROLES``."""
    letters = {
        (task, role): letter
        for task, role, letter in RaciCell.objects.filter(partnership=partnership).values_list(
            "task", "role", "letter"
        )
    }
    phases = []
    for code, label in raci.PHASES:
        rows = [
            RaciRow(
                task=task,
                cells=[
                    raci_cell(task=task, role=role, letter=letters.get((task.code, role), ""))
                    for role in raci.MATRIX_ROLES
                ],
            )
            for task in raci.TASKS
            if task.phase == code
        ]
        phases.append(RaciPhase(code=code, label=label, rows=rows))
    return phases


def raci_role_columns(*, partnership: Partnership) -> list[dict]:
    """The matrix's columns: role, label and the names of the team members holding it."""
    names: dict[str, list[str]] = {}
    for role, full_name, email in (
        TeamMember.objects.filter(partnership=partnership)
        .order_by("user__full_name")
        .values_list("role", "user__full_name", "user__email")
    ):
        names.setdefault(role, []).append(full_name or email)
    return [
        {"role": role, "label": TeamRole(role).label, "names": names.get(role, [])}
        for role in raci.MATRIX_ROLES
    ]
