"""The leerfiches of one traject: those of the set version its opleidingsplan adopted.

The traject's own opleidingsplan (an override) wins over the partnership's plan. Plans hang on
a partnership, so this module may use ``partnerships`` (through the plan models only).
"""

from __future__ import annotations

from django.db.models import Prefetch

from learning.models import Leerfiche, Opleidingsplan, SetVersion, Theme
from partnerships.models import Traject


def adopted_version(*, traject: Traject) -> SetVersion | None:
    """The set version the traject learns from, or None while no plan adopted one (one
    query)."""
    plan = (
        Opleidingsplan.objects.filter(partnership_id=traject.partnership_id)
        .filter(traject=traject)
        .select_related("set_version__leerfiche_set__owner")
        .first()
    ) or (
        Opleidingsplan.objects.filter(partnership_id=traject.partnership_id, traject__isnull=True)
        .select_related("set_version__leerfiche_set__owner")
        .first()
    )
    return plan.set_version if plan is not None else None


def themes_with_leerfiches(*, version: SetVersion) -> list[Theme]:
    """The themes of ``version`` with their leerfiches, in order (two queries)."""
    return list(
        Theme.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("leerfiches", queryset=Leerfiche.objects.order_by("order", "pk"))
        )
    )
