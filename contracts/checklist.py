"""The hook of the start checklist (brochure chapter 5) — filled in by the checklist work.

``blocking_items(contract)`` answers "what still stops this contract from starting?": a list
of open blocking items (signed before the start, registration, Dimona, risicoanalyse, …), each
with what it is and who owns it. ``contract_start`` and ``start_due_contracts`` refuse to start
a contract while the list is not empty.

Today nothing blocks: the list is always empty. The engineer who builds the checklist replaces
the body (its models live in this app) and keeps the signature: a contract in, a list of
``BlockingItem`` out, in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contracts.models import Contract


@dataclass(frozen=True)
class BlockingItem:
    code: str  # e.g. "dimona", "risicoanalyse"
    label: str  # what the coordinator reads
    owner: str  # who must close it (a role or a person's name)


def blocking_items(contract: Contract) -> list[BlockingItem]:
    """The open items that block the start of ``contract``: none yet (see the module)."""
    return []
