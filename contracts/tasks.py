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
