"""Signing a contract on the signing screen: who signs for which party, the typed name, the
PDF shown — each step in the audit trail (docs/decisions/0018-contracts.md, "Signatures").

``record_signature`` (lifecycle) keeps the signature and refuses a hash other than that of the
PDF stored for the current version; this module adds what the screen knows: the signer's
account (``partnerships.permissions.may_sign_contract``), the full name they typed (it must be
theirs), and the refusals written to the trail.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from contracts import pdf
from contracts.models import Contract, ContractParty, ContractPdf, PartyRole, Signature
from contracts.services.lifecycle import _record, record_signature
from partnerships import permissions

PDF_REFUSALS = frozenset({"pdf_mismatch", "pdf_tampered"})


def may_sign(*, user: User, contract: Contract, party: ContractParty) -> bool:
    return permissions.may_sign_contract(
        user=user,
        traject=contract.traject,
        company_id=contract.company_id,
        role=party.role,
        contact_id=party.contact_id,
    )


def parties_signable_by(*, user: User, contract: Contract) -> list[ContractParty]:
    """The required parties of ``contract`` that ``user`` signs for."""
    return [
        party
        for party in contract.parties.filter(required=True).order_by("pk")
        if may_sign(user=user, contract=contract, party=party)
    ]


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def expected_names(*, user: User, party: ContractParty) -> list[str]:
    """The names the signer may type: their account's; for the student or a parent also the
    name the contract shows for them."""
    names = [user.full_name]
    if party.role in (PartyRole.STUDENT, PartyRole.PARENT):
        names.append(party.name)
    return [name for name in names if name.strip()]


def pdf_for_signing(*, actor: User, contract: Contract) -> ContractPdf:
    """The stored PDF of the current version (made now the first time, in the trail)."""
    stored, made = pdf.pdf_to_sign(contract)
    if made:
        _record(
            actor=actor,
            action="contract.pdf_made",
            contract=contract,
            changes={
                "contract_version": (None, stored.contract_version),
                "pdf_sha256": (None, stored.sha256),
            },
        )
    return stored


def sign(
    *,
    actor: User,
    contract: Contract,
    party: ContractParty,
    typed_name: str,
    pdf_sha256: str,
    ip_address: str | None,
    version: int,
) -> Signature:
    """``actor`` signs for ``party``. PermissionDenied when they may not; ValidationError for a
    name that is not theirs, a stale version or a PDF other than the current version's (the
    last two written to the trail)."""
    if party.contract_id != contract.pk or not may_sign(user=actor, contract=contract, party=party):
        raise PermissionDenied
    typed = " ".join((typed_name or "").split())
    if typed and _fold(typed) not in {
        _fold(name) for name in expected_names(user=actor, party=party)
    }:
        raise ValidationError(
            {
                "typed_name": _(
                    "The name you typed is not your full name as Duaal knows it (%(name)s). "
                    "Type your first and last name exactly like that; capitals do not matter."
                )
                % {"name": actor.full_name}
            },
            code="name_mismatch",
        )
    try:
        return record_signature(
            contract=contract,
            party=party,
            user=actor,
            typed_name=typed,
            pdf_sha256=pdf_sha256,
            ip_address=ip_address,
            version=version,
        )
    except ValidationError as error:
        if getattr(error, "code", None) in PDF_REFUSALS:
            _record(
                actor=actor,
                action="contract.pdf_refused",
                contract=contract,
                changes={
                    "party": (None, f"{party.get_role_display()}: {party.name}"),
                    "pdf_sha256": (None, (pdf_sha256 or "")[:64]),
                    "refusal": (None, error.code),
                },
            )
        raise
