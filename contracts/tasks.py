"""Thin Celery tasks of the contracts app."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="contracts.start_due_contracts", acks_late=True, time_limit=600, soft_time_limit=540
)
def start_due_contracts() -> int:
    """The daily beat job: registered contracts whose start date has come start running."""
    from contracts.services.lifecycle import start_due_contracts as start

    return len(start())


@shared_task(
    name="contracts.prepare_pdf_to_sign", acks_late=True, time_limit=300, soft_time_limit=240
)
def prepare_pdf_to_sign(contract_id: int) -> bool:
    """Render and store the PDF the parties will sign, right after the contract is sent for
    signing, so the first party to open the signing screen does not wait for WeasyPrint.
    Harmless when a party was quicker: the PDF is made once per contract version."""
    from contracts.models import Contract, ContractState
    from contracts.pdf import pdf_to_sign

    contract = Contract.objects.filter(pk=contract_id, state=ContractState.TO_SIGN).first()
    if contract is None:  # signed, voided or changed back meanwhile: nothing to prepare
        return False
    return pdf_to_sign(contract)[1]
