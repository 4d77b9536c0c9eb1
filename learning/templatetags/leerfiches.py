"""Template helpers of the leerfiche pages: a leerfiche's items split into its sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.utils.translation import gettext

from learning.models import ItemKind, Leerfiche, LeerficheItem

register = template.Library()


@dataclass
class ItemGroup:
    """Consecutive items under one sub-heading (the heading may be empty)."""

    heading: str
    items: list[LeerficheItem] = field(default_factory=list)


def _grouped(items: list[LeerficheItem]) -> list[ItemGroup]:
    groups: list[ItemGroup] = []
    for item in items:
        if not groups or groups[-1].heading != item.heading:
            groups.append(ItemGroup(heading=item.heading))
        groups[-1].items.append(item)
    return groups


@register.simple_tag
def leerfiche_sections(leerfiche: Leerfiche) -> dict[str, list[ItemGroup]]:
    """The items of ``leerfiche`` per kind, grouped by sub-heading, in order.

    Reads ``leerfiche.items.all()`` (prefetched by ``learning.selectors.catalogue``): no query.
    """
    by_kind: dict[str, list[LeerficheItem]] = {kind: [] for kind in ItemKind.values}
    for item in sorted(leerfiche.items.all(), key=lambda i: (i.order, i.pk)):
        by_kind.setdefault(item.kind, []).append(item)
    return {kind: _grouped(items) for kind, items in by_kind.items()}


@register.filter
def names_its_norm(text: str) -> bool:
    """Whether a criterion's text already ends with "norm" ("Oppervlakteporiën vlgs norm"),
    so the page shows the number without adding "vlgs norm" again."""
    return text.rstrip().lower().endswith("norm")


def is_free_of(text: str) -> bool:
    """Whether a criterion's text ends with a "…vrij" adjective ("Scheurvrij", "Spatvrij",
    "kort, vlak en scheurvrij"): the norm number names the defect the weld is free of, and
    appendix 2 prints it bare ("Scheurvrij 100", "Spatvrij 602")."""
    words = text.rstrip(" .").split()
    return bool(words) and words[-1].lower().endswith("vrij")


@register.filter
def norm_label(criterion: Any) -> str:
    """What follows a criterion's text for its norm reference, as appendix 2 prints it:
    "vlgs norm 2017" after "Oppervlakteporiën", the bare number after a text that names its
    norm already or after a "…vrij" criterion ("Scheurvrij 100"); "" without a reference."""
    reference = (criterion.norm_reference or "").strip()
    if not reference:
        return ""
    text = criterion.text or ""
    if names_its_norm(text) or is_free_of(text):
        return reference
    words = gettext("vlgs norm")
    return f"{words} {reference}"


@dataclass
class CriterionGroup:
    heading: str
    criteria: list = field(default_factory=list)


@register.simple_tag
def criterion_groups(leerfiche: Leerfiche) -> list[CriterionGroup]:
    """The criteria of ``leerfiche`` in order, grouped by sub-heading (prefetched: no query)."""
    groups: list[CriterionGroup] = []
    for criterion in leerfiche.criteria.all():
        if not groups or groups[-1].heading != criterion.heading:
            groups.append(CriterionGroup(heading=criterion.heading))
        groups[-1].criteria.append(criterion)
    return groups


# How the brochure writes the metals a student chooses from (stored as short keys).
METAL_LABELS = {"staal": "Staal", "rvs": "RVS", "alu": "ALU", "aluminium": "ALU"}


@register.filter
def metal_labels(metals: list[str]) -> list[str]:
    """``["staal", "rvs", "alu"]`` → ``["Staal", "RVS", "ALU"]``; other values as they are."""
    return [METAL_LABELS.get(str(metal).strip().lower(), str(metal)) for metal in metals]


@register.filter
def processes_not_named(leerfiche: Leerfiche) -> list[str]:
    """The lasprocessen (ISO 4063 numbers) the lasprocédé's text does not name already, so
    "Halfautomaat 131, 135, 136 en 138" is not followed by the same numbers again."""
    text = leerfiche.lasprocede or ""
    return [str(number) for number in leerfiche.lasprocessen if str(number) not in text]
