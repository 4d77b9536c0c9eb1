"""What contracts hold about a person (plug-in of ``duaal.privacy``): a student's contracts
with their parties and signatures; for anyone with an account, the signatures they placed.

Erasure: the contract stays (type, dates, state — the school and the company must be able to
show that a contract existed), the names on it and every signature's typed name and IP
address of the erased student become "[verwijderd]". Parents' party rows go with their
contact rows (``partnerships``' erasure deletes those). Whether a SIGNED contract's PDF must
outlive an erasure request (legal retention) is decided with the signed-PDF work (decision
0018, "left open").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contracts.models import (
    ChecklistItem,
    Contract,
    ContractParty,
    ContractPdf,
    PartyRole,
    PdfKind,
    Signature,
)
from duaal.audit import ERASED
from duaal.privacy import Person, Provider, Section, register_provider


@register_provider
class ContractProvider(Provider):
    key = "contracts.contracts"
    order = 55

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        sections = []
        if person.student_id is not None:
            contracts = list(
                Contract.objects.filter(traject__student_id=person.student_id)
                .select_related("company")
                .prefetch_related("parties")
                .order_by("start_date", "pk")
            )
            rows = [
                {
                    _("company"): str(contract.company),
                    _("contract type"): contract.get_contract_type_display(),
                    _("state"): contract.get_state_display(),
                    _("start date"): contract.start_date,
                    _("end date"): contract.end_date,
                    _("average workplace hours per week"): contract.workplace_hours_per_week,
                    _("registration reference"): contract.registration_reference,
                    _("contract parties"): ", ".join(str(p) for p in contract.parties.all()),
                }
                for contract in contracts
            ]
            if rows:
                sections.append(Section("contracts", _("Contracts"), rows))
            items = (
                ChecklistItem.objects.filter(contract__traject__student_id=person.student_id)
                .select_related("contract__company")
                .order_by("contract__start_date", "contract_id", "due_on", "pk")
            )
            checklist = [
                {
                    _("contract"): str(item.contract),
                    _("item"): item.get_code_display(),
                    _("due date"): item.due_on,
                    _("done on"): item.done_on or "",
                    _("done by"): item.done_by_name,
                    _("reference"): item.reference,
                    _("proof"): item.proof_name,
                }
                for item in items
            ]
            if checklist:
                sections.append(Section("checklist", _("Start checklist"), checklist))
        if person.user_id is not None:
            signatures = Signature.objects.filter(user_id=person.user_id).select_related(
                "contract__company", "party"
            )
            rows = [
                {
                    _("contract"): str(signature.contract),
                    _("party"): str(signature.party),
                    _("full name as typed"): signature.typed_name,
                    _("signed at"): signature.signed_at,
                    _("IP address"): signature.ip_address or "",
                    _("SHA-256 of the contract PDF"): signature.pdf_sha256,
                    _("voided at"): signature.voided_at or "",
                }
                for signature in signatures
            ]
            if rows:
                sections.append(Section("signatures", _("Your signatures"), rows))
        return sections

    def erase(self, person: Person) -> int:
        if person.student_id is None:
            return 0
        parties = ContractParty.objects.filter(
            contract__traject__student_id=person.student_id, role=PartyRole.STUDENT
        )
        changed = Signature.objects.filter(party__in=parties).update(
            typed_name=ERASED, ip_address=None
        )
        changed += parties.update(name=ERASED)
        # The PDFs shown for signing carry the name: gone. The SIGNED PDF is the signed
        # agreement itself and is kept for its legal retention, like the contract
        # (docs/decisions/0020-contract-signing.md).
        for stored in ContractPdf.objects.filter(
            contract__traject__student_id=person.student_id, kind=PdfKind.TO_SIGN
        ):
            stored.file.delete(save=False)
            stored.delete()
            changed += 1
        # Proofs of the start checklist can be medical or insurance documents: gone; the
        # dated ticks stay with the contract.
        for item in ChecklistItem.objects.filter(
            contract__traject__student_id=person.student_id
        ).exclude(proof=""):
            item.proof.delete(save=False)
            ChecklistItem.objects.filter(pk=item.pk).update(proof="", proof_name="")
            changed += 1
        return changed
