"""Reads of generated documents and the data the PDF templates print.

A document is its requester's: only they reach it, and only while they may still see its
subject (``partnerships.permissions``). Everyone else gets 404, as for a missing document.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.models import DocumentKind, GeneratedDocument
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

# --- access ----------------------------------------------------------------------------------


def documents_visible_to(*, user: User) -> QuerySet[GeneratedDocument]:
    """The user's own documents whose subject the user may still see (filtered in SQL)."""
    if not user.is_authenticated:
        return GeneratedDocument.objects.none()
    return GeneratedDocument.objects.filter(requester=user).filter(
        Q(partnership__in=permissions.partnerships_visible_to(user=user).values("pk"))
        | Q(traject__in=permissions.trajects_visible_to(user=user).values("pk"))
    )


def get_document_for_user(*, user: User, document_id: uuid.UUID | str) -> GeneratedDocument:
    """The document if ``user`` requested it and may still see its subject; 404 otherwise."""
    try:
        public_id = document_id if isinstance(document_id, uuid.UUID) else uuid.UUID(document_id)
    except ValueError as exc:
        raise Http404 from exc
    document = (
        documents_visible_to(user=user)
        .select_related("partnership", "traject__student", "traject__partnership")
        .filter(public_id=public_id)
        .first()
    )
    if document is None:
        raise Http404
    return document


def download_filename(document: GeneratedDocument) -> str:
    """A readable file name: kind and subject, ASCII only."""
    if document.kind == DocumentKind.RACI_MATRIX:
        partnership = document.partnership
        stem = f"raci-matrix-{partnership.name}-{partnership.school_year_label}"
    else:
        stem = f"traject-{document.traject.student.full_name}"
    return f"{slugify(stem)[:80] or 'document'}.pdf"


# --- what the PDFs print ---------------------------------------------------------------------

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


def traject_sheet_context(*, traject: Traject) -> dict:
    """Template context of ``pdf/traject_sheet.html`` (a fixed number of queries)."""
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
    }
