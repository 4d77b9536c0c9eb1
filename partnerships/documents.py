"""The PDFs of partnerships (plug-in of the PDF engine, ``documents``): the RACI matrix of a
partnership (appendix 4 of the brochure, as filled in) and the traject sheet of a student.

Who may ask for one is who may see its subject, and only while they still see it may they
download it (``partnerships.permissions``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from partnerships import permissions, raci
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    RaciCell,
    StudentContact,
    TeamMember,
    TeamRole,
    Traject,
)
from partnerships.models.partnerships import TEAM_ROLES
from partnerships.selectors.trajects import partnership_team, traject_placements

LETTERS = [
    ("R", _("Responsible")),
    ("A", _("Accountable")),
    ("C", _("Consulted")),
    ("I", _("Informed")),
]


# School side first, then company, training centre: the order of the matrix's columns.
ROLE_ORDER = {role: index for index, role in enumerate(raci.MATRIX_ROLES)}


@dataclass
class RaciHolder:
    role: str
    label: str
    names: list[str]
    in_team: bool  # a team role (leerling and ouder are per traject, not in the team)


@dataclass
class RaciSheetRow:
    task: raci.RaciTask
    columns: list[list[RaciHolder]]  # R, A, C, I


@dataclass
class RaciSheetPhase:
    code: str
    label: str
    rows: list[RaciSheetRow] = field(default_factory=list)


def raci_sheet(*, partnership: Partnership) -> list[RaciSheetPhase]:
    """Appendix 4 as printed: per phase and task, the roles (with names) holding R, A, C, I.

    "RA" counts as both R and A. Two queries, whatever the size of the team.
    """
    letters = {
        (task, role): letter
        for task, role, letter in RaciCell.objects.filter(partnership=partnership).values_list(
            "task", "role", "letter"
        )
    }
    names: dict[str, list[str]] = {}
    for role, full_name, email in (
        TeamMember.objects.filter(partnership=partnership)
        .order_by("user__full_name", "user__email")
        .values_list("role", "user__full_name", "user__email")
    ):
        names.setdefault(role, []).append(full_name or email)

    phases = {code: RaciSheetPhase(code=code, label=label) for code, label in raci.PHASES}
    for task in raci.TASKS:
        columns: list[list[RaciHolder]] = [[] for _letter in LETTERS]
        for role in raci.MATRIX_ROLES:
            letter = letters.get((task.code, role), "")
            for index, (column_letter, _label) in enumerate(LETTERS):
                if column_letter in letter:
                    columns[index].append(
                        RaciHolder(
                            role=role,
                            label=TeamRole(role).label,
                            names=names.get(role, []),
                            in_team=role in TEAM_ROLES,
                        )
                    )
        phases[task.phase].rows.append(RaciSheetRow(task=task, columns=columns))
    return list(phases.values())


def raci_sheet_context(*, partnership: Partnership) -> dict:
    """Template context of ``pdf/raci_matrix.html``."""
    return {
        "partnership": partnership,
        "companies": list(
            PartnershipCompany.objects.filter(partnership=partnership)
            .select_related("company", "vestiging")
            .order_by("company__name")
        ),
        "letters": LETTERS,
        "phases": raci_sheet(partnership=partnership),
    }


def traject_sheet_context(*, traject: Traject, show_internal: bool = False) -> dict:
    """Template context of ``pdf/traject_sheet.html`` (a fixed number of queries); the team's
    internal text only with ``show_internal`` (``partnerships.sharing``)."""
    placements = traject_placements(traject=traject)
    for placement in placements:
        supervisors = list(placement.supervisors.all())
        placement.mentors = [s for s in supervisors if s.kind == "mentor"]
        placement.begeleiders = [s for s in supervisors if s.kind == "begeleider"]
    return {
        "traject": traject,
        "student": traject.student,
        "partnership": traject.partnership,
        "contacts": list(
            StudentContact.objects.filter(student=traject.student).order_by("full_name")
        ),
        "team": sorted(
            partnership_team(partnership=traject.partnership),
            key=lambda member: (
                ROLE_ORDER.get(member.role, len(ROLE_ORDER)),
                member.user.full_name,
            ),
        ),
        "placements": placements,
        "show_internal": show_internal,
    }


# --- the kinds --------------------------------------------------------------------------------


@register_kind
class RaciMatrix(DocumentKind):
    """The RACI matrix of a partnership, for anyone who sees the partnership."""

    code = "raci_matrix"
    slug = "raci"
    label = _("RACI matrix")
    template_name = "pdf/raci_matrix.html"
    subject_field = "partnership"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Partnership:
        return permissions.get_partnership_for_user(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Partnership]:
        return permissions.partnerships_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Partnership:
        return Partnership.objects.select_related("school", "training_centre", "opleiding").get(
            pk=pk
        )

    def context(self, *, subject: Partnership, viewer: User) -> dict:
        return raci_sheet_context(partnership=subject)

    def subject_path(self, subject: Partnership) -> str:
        return reverse("partnerships:partnership_detail", args=[subject.public_id])

    def filename_stem(self, subject: Partnership) -> str:
        return f"raci-matrix-{subject.name}-{subject.school_year_label}"


@register_kind
class TrajectSheet(DocumentKind):
    """The file of one student's traject, for anyone who sees the traject."""

    code = "traject_sheet"
    slug = "traject"
    label = _("Traject sheet")
    template_name = "pdf/traject_sheet.html"
    subject_field = "traject"
    subject_related = ("student",)

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Traject:
        return permissions.get_traject_for_user(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Traject]:
        return permissions.trajects_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Traject:
        return Traject.objects.select_related(
            "student",
            "student__school_class",
            "partnership",
            "partnership__school",
            "partnership__training_centre",
            "partnership__opleiding",
        ).get(pk=pk)

    def context(self, *, subject: Traject, viewer: User) -> dict:
        """The sheet as ``viewer`` may read it: without the internal text for the student
        and the parents (asked when rendering, so a role lost meanwhile counts)."""
        return traject_sheet_context(
            traject=subject,
            show_internal=permissions.may_see_internal_text(user=viewer, traject=subject),
        )

    def title(self, subject: Traject) -> str:
        return subject.student.full_name

    def subject_path(self, subject: Traject) -> str:
        return reverse("partnerships:traject_detail", args=[subject.public_id])

    def filename_stem(self, subject: Traject) -> str:
        return f"traject-{subject.student.full_name}"
