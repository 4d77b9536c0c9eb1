"""The contract as a kind of the PDF engine (``documents``): a DRAFT of a traject's contract,
requested through the engine's usual page, for whoever reads a contract of that traject.

The engine keeps a subject in one of its scope columns (decision 0007); a contract is not one,
so the subject is the traject and the draft shows its first contract the requester reads (a
rotation's second contract is printed from its own signing page). What is SIGNED is never
this draft: ``contracts.pdf`` renders the same template once per contract version and stores it.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from contracts import pdf
from contracts.access import contracts_visible_to
from contracts.models import Contract
from documents.registry import DocumentKind, register_kind
from partnerships import permissions
from partnerships.models import Traject


def _first_contract(*, user: User, traject: Traject) -> Contract | None:
    return (
        contracts_visible_to(user=user)
        .filter(traject=traject)
        .select_related("traject__student", "traject__partnership__school", "company", "vestiging")
        .order_by("start_date", "pk")
        .first()
    )


@register_kind
class ContractDraft(DocumentKind):
    code = "contract"
    slug = "contract"
    label = _("Contract (draft)")
    template_name = pdf.TEMPLATE_NAME
    subject_field = "traject"
    subject_related = ("student",)

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Traject:
        traject = permissions.get_traject_for_contracts(user=user, public_id=subject_id)
        if _first_contract(user=user, traject=traject) is None:
            raise Http404
        return traject

    def subjects_visible_to(self, *, user: User) -> QuerySet[Traject]:
        return Traject.objects.filter(pk__in=contracts_visible_to(user=user).values("traject"))

    def context(self, *, subject: Traject, viewer: User) -> dict:
        contract = _first_contract(user=viewer, traject=subject)
        if contract is None:
            raise Http404
        return pdf.contract_context(contract)

    def title(self, subject: Traject) -> str:
        return f"{_('Contract')} – {subject.student.full_name}"

    def subject_path(self, subject: Traject) -> str:
        return reverse("partnerships:traject_detail", args=[subject.public_id])

    def filename_stem(self, subject: Traject) -> str:
        return f"contract-{subject.student.full_name}"
