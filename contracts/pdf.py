"""The contract PDF: its content, rendering it once per version, keeping it immutable.

**Content** (``contract_context``): the tripartite OAO / SOAO — the leerbedrijf with its KBO
number and vestiging, the school with its instellingsnummer, the student, the parents of a minor;
type and hours, start and end, the monthly leervergoeding of an OAO (from the rates table), the
signature block; annexes: the uurrooster from the placements' weekly pattern, the opleidingsplan
(a reference and summary) and the arbeidsreglement reference. Always in Dutch (the contract is
a legal document in the language of the region), with no "generated at" time, so the same
contract version gives the same bytes.

**Why not the engine's queue.** The documents engine renders a request per requester, in their
language, on the ``pdf`` Celery queue, into a fresh file each time. A signature must be of ONE
file that every party sees, so ``pdf_to_sign`` renders the PDF of the current version once
(with the engine's renderer, synchronously, under the contract's row lock so two parties opening
the screen at once do not render twice), stores it in private storage, keyed by version and
hash, and every later view serves that stored file. ``verified_bytes`` re-hashes the stored file
before serving or signing: a file that changed is refused (``PdfTampered``). The engine's kind
(``contracts.documents``) gives the team a draft of a traject's contracts through the usual
request page; it is never what is signed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from contracts.models import (
    Contract,
    ContractPdf,
    ContractState,
    PartyRole,
    PdfKind,
    Signature,
)
from contracts.models.rates import monthly_leervergoeding
from learning.models import ContractType
from learning.services.plans import plan_for_traject
from partnerships.models import Placement, WeekdayPlace

TEMPLATE_NAME = "pdf/contract.html"
CONTRACT_LANGUAGE = "nl-be"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


class PdfTampered(Exception):
    """The stored PDF no longer hashes to the SHA-256 kept with it."""


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _uurrooster(contract: Contract) -> list[dict[str, Any]]:
    placements = Placement.objects.filter(
        traject=contract.traject_id, company=contract.company_id
    ).select_related("vestiging")
    rows = []
    for placement in placements.order_by("start_date", "pk"):
        rows.append(
            {
                "start_date": placement.start_date,
                "end_date": placement.end_date,
                "vestiging": placement.vestiging,
                "hours": placement.workplace_hours_per_week,
                "days": [
                    (
                        Placement._meta.get_field(day).verbose_name,
                        getattr(placement, f"get_{day}_display")(),
                        getattr(placement, day) == WeekdayPlace.COMPANY,
                    )
                    for day in WEEKDAYS
                ],
            }
        )
    return rows


def _opleidingsplan(contract: Contract) -> dict[str, Any] | None:
    plan = plan_for_traject(contract.traject)
    if plan is None:
        return None
    entries = plan.entries.all()
    return {
        "plan": plan,
        "own": plan.traject_id is not None,
        "set_version": plan.set_version,
        "leerfiches": entries.values("leerfiche").distinct().count(),
        "company_leerfiches": entries.filter(place="company")
        .values("leerfiche")
        .distinct()
        .count(),
    }


def contract_context(contract: Contract, *, signed: bool = False) -> dict[str, Any]:
    """The template context of ``contract``'s PDF; with ``signed``, the valid signatures in the
    signature block."""
    traject = contract.traject
    student = traject.student
    parties = list(contract.parties.select_related("organisation", "contact").order_by("pk"))
    signatures: dict[int, Signature] = {}
    if signed:
        signatures = {
            signature.party_id: signature
            for signature in Signature.objects.filter(contract=contract, voided_at__isnull=True)
        }
    amount = None
    if contract.contract_type == ContractType.OAO and contract.leervergoeding_category:
        amount = monthly_leervergoeding(
            category=contract.leervergoeding_category, on=contract.start_date
        )
    return {
        "contract": contract,
        "traject": traject,
        "student": student,
        "school": traject.partnership.school,
        "company": contract.company,
        "vestiging": contract.vestiging,
        "parents": [p for p in parties if p.role == PartyRole.PARENT],
        "signature_rows": [
            {"party": p, "signature": signatures.get(p.pk)} for p in parties if p.required
        ],
        "is_oao": contract.contract_type == ContractType.OAO,
        "leervergoeding": amount,
        "uurrooster": _uurrooster(contract),
        "opleidingsplan": _opleidingsplan(contract),
        "signed": signed,
    }


def render_contract(contract: Contract, *, signed: bool = False) -> bytes:
    """The bytes of ``contract``'s PDF, rendered now (not stored)."""
    from documents import rendering  # WeasyPrint: imported only when a PDF is made

    with translation.override(CONTRACT_LANGUAGE):
        return rendering.render_pdf(
            template_name=TEMPLATE_NAME, context=contract_context(contract, signed=signed)
        ).content


def verified_bytes(stored: ContractPdf) -> bytes:
    """The stored file's bytes, after checking they still hash to ``stored.sha256``."""
    try:
        with stored.file.storage.open(stored.file.name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise PdfTampered(stored.file.name) from exc
    if sha256_of(content) != stored.sha256:
        raise PdfTampered(stored.file.name)
    return content


def _store(contract: Contract, kind: str, content: bytes) -> ContractPdf:
    stored = ContractPdf(
        contract=contract,
        contract_version=contract.version,
        kind=kind,
        sha256=sha256_of(content),
        size=len(content),
    )
    # The file first (its name carries version and hash), then the row. A transaction that
    # rolls back leaves the file without a row: harmless, never served (rows name the files).
    stored.file.save("contract.pdf", ContentFile(content), save=False)
    stored.save()
    return stored


def stored_pdf(contract: Contract, kind: str = PdfKind.TO_SIGN) -> ContractPdf | None:
    """The stored PDF of ``contract``'s current version, if made."""
    return ContractPdf.objects.filter(
        contract=contract, contract_version=contract.version, kind=kind
    ).first()


@transaction.atomic
def pdf_to_sign(contract: Contract) -> tuple[ContractPdf, bool]:
    """The PDF of the contract's current version that the parties sign, and whether it was
    made now: made and stored the first time it is asked for, the stored one afterwards."""
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    existing = stored_pdf(locked)
    if existing is not None:
        return existing, False
    fresh = Contract.objects.select_related(
        "traject", "traject__student", "traject__partnership__school", "company", "vestiging"
    ).get(pk=locked.pk)
    return _store(fresh, PdfKind.TO_SIGN, render_contract(fresh)), True


def store_signed_pdf(contract: Contract) -> ContractPdf:
    """Keep the signed PDF (every signature printed in the block) of a contract that just
    became "getekend" — inside the caller's transaction."""
    existing = stored_pdf(contract, PdfKind.SIGNED)
    if existing is not None:
        return existing
    assert contract.state == ContractState.SIGNED
    return _store(contract, PdfKind.SIGNED, render_contract(contract, signed=True))
