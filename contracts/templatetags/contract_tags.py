"""``{% visible_contracts traject user [team] as contracts %}``: the contracts of a traject the user
reads, for the traject page's link (partnerships never imports contracts; its template asks)."""

from __future__ import annotations

from typing import Any

from django import template

from contracts.access import traject_contracts_visible_to

register = template.Library()


@register.simple_tag
def visible_contracts(traject: Any, user: Any, team: Any = None) -> list[Any]:
    """The contracts of ``traject`` that ``user`` reads; ``team``: the whole team of the
    traject's partnership when the page has read it (spares asking for the user's seats)."""
    return list(
        traject_contracts_visible_to(user=user, traject=traject, team=team)
        .select_related("company")
        # What the traject page's links show.
        .only("public_id", "contract_type", "state", "company__name")
    )
