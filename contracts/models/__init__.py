"""Models of the contracts domain (brochure 3.4 and chapter 5, DOMAIN.md "Contracts")."""

from contracts.models.checklist import ChecklistCode, ChecklistItem, ChecklistOwnerOverride
from contracts.models.contracts import (
    ENDED_STATES,
    SIGNING_STATES,
    Contract,
    ContractParty,
    ContractState,
    PartyRole,
    Signature,
    SignatureMethod,
)
from contracts.models.pdfs import ContractPdf, PdfKind
from contracts.models.rates import FigureSource, LeervergoedingRate, MinimumIncome

__all__ = [
    "ChecklistCode",
    "ChecklistItem",
    "ChecklistOwnerOverride",
    "ENDED_STATES",
    "SIGNING_STATES",
    "Contract",
    "ContractParty",
    "ContractPdf",
    "ContractState",
    "FigureSource",
    "LeervergoedingRate",
    "MinimumIncome",
    "PartyRole",
    "PdfKind",
    "Signature",
    "SignatureMethod",
]
