"""Keeps each contract's start checklist in step with the contract (``contracts.checklist``).

A receiver of ``post_save`` on ``Contract`` rather than a call in every lifecycle service:
whatever changes a contract (drawn up, its start moved, its type re-derived, signed,
registered, taken over) saves it, and the checklist follows in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from contracts.models import Contract


@receiver(post_save, sender=Contract, dispatch_uid="contracts.sync_checklist")
def sync_checklist_on_save(sender: type[Contract], *, instance: Contract, raw: bool = False,
                           **kwargs: Any) -> None:  # fmt: skip
    if raw:  # loading a fixture
        return
    from contracts.checklist import sync_checklist

    sync_checklist(instance)
