"""partnerships → contracts: the receivers of partnerships' signals (connected in apps.py).

The contracts app sits above partnerships (ARCHITECTURE.md); partnerships never imports it.
When a traject ends, ``partnerships.services.trajects.traject_update`` sends
``traject_ending``; the running contract ends on the same day for the same reason, and what
changed goes back into the traject's one "Traject ended" audit entry.

When a placement's period, weekly pattern, hours or company change (``placements_changed``),
the contracts there that are not registered yet follow (``lifecycle.follow_placements``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import receiver

from accounts.models import User
from partnerships.models import Placement, Traject
from partnerships.signals import placements_changed, traject_ending


@receiver(traject_ending, sender=Traject, dispatch_uid="contracts.end_with_traject")
def end_contracts_with_traject(
    sender: type[Traject],
    *,
    traject: Traject,
    status: str,
    ended_on: date,
    reason: str,
    **kwargs: Any,
) -> dict[str, Any]:
    from contracts.services.lifecycle import end_with_traject

    return end_with_traject(traject=traject, status=status, ended_on=ended_on, reason=reason)


@receiver(placements_changed, sender=Placement, dispatch_uid="contracts.follow_placements")
def follow_placements(
    sender: type[Placement],
    *,
    traject: Traject,
    actor: User | None,
    company_ids: set[int],
    **kwargs: Any,
) -> None:
    from contracts.services.lifecycle import follow_placements

    follow_placements(actor=actor, traject=traject, company_ids=company_ids)
