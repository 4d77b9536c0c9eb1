"""``{% traject_contracts traject user as contracts %}``: the contracts of a traject the user
reads, for the traject page's link (partnerships never imports contracts; its template asks)."""

from __future__ import annotations

from typing import Any

from django import template

from contracts.access import traject_contracts_visible_to

register = template.Library()


@register.simple_tag
def visible_contracts(traject: Any, user: Any) -> list[Any]:
    return list(traject_contracts_visible_to(user=user, traject=traject).select_related("company"))
