"""The coordinator's "starts in the next 30 days" (``contracts:starts`` and the home card)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from contracts import checklist
from contracts.access import contracts_visible_to
from contracts.models import ChecklistItem, ContractState
from partnerships import permissions

STARTS_WINDOW = 30
NOT_STARTED = [
    ContractState.CONCEPT,
    ContractState.TO_SIGN,
    ContractState.SIGNED,
    ContractState.REGISTERED,
]


def starts_due(*, user: Any, today: date) -> list[dict[str, Any]]:
    """The contracts ``user`` coordinates that start by ``today`` + 30 days and have not
    started, each with its open blocking items (owners named), in a fixed number of queries
    plus one sync per contract that has no checklist yet."""
    contracts = list(
        contracts_visible_to(user=user)
        .filter(
            permissions.coordinated_contracts_q(user=user),
            state__in=NOT_STARTED,
            start_date__lte=today + timedelta(days=STARTS_WINDOW),
        )
        .select_related(
            "traject__student",
            "traject__partnership__school",
            "traject__partnership__training_centre",
            "company",
        )
        .order_by("start_date", "pk")
    )
    items: dict[int, list[ChecklistItem]] = {}
    for item in ChecklistItem.objects.filter(contract__in=contracts):
        items.setdefault(item.contract_id, []).append(item)
    owner_of = checklist.owners(contracts)
    extra = checklist.extra_blocking(contracts)
    rows = []
    for contract in contracts:
        these = items.get(contract.pk) or checklist.checklist_of(contract)
        rows.append(
            {
                "contract": contract,
                "blocking": checklist.open_blocking(contract, these, owner_of, extra),
                "late": contract.start_date < today,
            }
        )
    return rows
