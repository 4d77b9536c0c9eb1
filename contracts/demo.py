"""The demo data of contracts (plug-in of the demo seed, ``duaal.demo``).

``contracts.contracts`` — every running traject of the demo gets the contract of each company
it is placed at, as the data migration gives them to an existing database: signed (on paper,
taken over) and running — Lotte's, Mohamed's and Jonas's OAO (22.5 h) and Emma's SOAO (8 h).
Each gets its start checklist with every item done, marked "taken over"
(``contracts.checklist.sync_checklist``, run when the contract is saved).
Idempotent: a traject × company that has its contract keeps it.
"""

from __future__ import annotations

from duaal import demo
from duaal.demo import DemoReport


@demo.register("contracts.contracts", after=["partnerships.partnerships"])
def running_contracts(*, password: str) -> DemoReport:
    from contracts.models import Contract
    from contracts.services.lifecycle import contract_take_over
    from partnerships.models import Placement, TrajectStatus

    placements = (
        Placement.objects.filter(traject__status=TrajectStatus.RUNNING)
        .select_related("traject", "traject__student", "traject__partnership", "company")
        .order_by("traject_id", "start_date", "pk")
    )
    have = set(Contract.objects.values_list("traject_id", "company_id"))
    made = 0
    for placement in placements:
        key = (placement.traject_id, placement.company_id)
        if key in have:
            continue
        have.add(key)
        contract_take_over(actor=None, traject=placement.traject, company=placement.company)
        made += 1
    running = Contract.objects.filter(state="running").count()
    return DemoReport(summary=f"Contracten: {running} lopend ({made} nieuw overgenomen).")
