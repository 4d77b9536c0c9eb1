"""Reading the opleidingsplan: the grid (leerfiches × periods) and the activiteitenlijsten.

A fixed number of queries whatever the number of leerfiches, periods or entries (tested at 10
and 80 leerfiches): the grid is assembled in Python from one query per table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from learning.models import (
    Leerfiche,
    Offer,
    Opleidingsplan,
    Period,
    PlanComment,
    PlanEntry,
    SetVersion,
    Theme,
    VersionStatus,
)
from learning.services.activiteitenlijsten import offers_of
from learning.services.plans import entry_label
from organisations.models import Vestiging
from partnerships.models import Partnership, PartnershipCompany


@dataclass
class GridCell:
    leerfiche: Leerfiche
    period: Period
    places: list[str] = field(default_factory=list)
    # Companies placed here whose activiteitenlijst says they cannot offer the leerfiche.
    cannot_offer: list[str] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"cell-{self.leerfiche.pk}-{self.period.pk}"


@dataclass
class GridRow:
    leerfiche: Leerfiche
    cells: list[GridCell]


@dataclass
class GridTheme:
    theme: Theme
    rows: list[GridRow]


@dataclass
class Grid:
    plan: Opleidingsplan
    periods: list[Period]
    themes: list[GridTheme]

    @property
    def leerfiche_count(self) -> int:
        return sum(len(theme.rows) for theme in self.themes)


@dataclass
class OfferLine:
    leerfiche: Leerfiche
    offer: str  # "", "yes", "partly", "no"
    offer_label: str
    note: str


@dataclass
class VestigingOffers:
    vestiging: Vestiging
    company_name: str
    lines: list[OfferLine]
    can_edit: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for line in self.lines:
            counts[line.offer or "unknown"] += 1
        return dict(counts)


def training_centre_name(partnership: Partnership) -> str:
    centre = partnership.training_centre if partnership.training_centre_id else None
    return centre.name if centre is not None else ""


def leerfiches_of(version: SetVersion) -> list[Leerfiche]:
    return list(
        Leerfiche.objects.filter(version=version)
        .select_related("theme")
        .order_by("theme__order", "theme__pk", "order", "pk")
    )


def company_links(partnership: Partnership) -> list[PartnershipCompany]:
    return list(
        PartnershipCompany.objects.filter(partnership=partnership)
        .select_related("company", "vestiging")
        .order_by("company__name", "vestiging__name")
    )


def plan_grid(
    plan: Opleidingsplan,
    *,
    fiches: list[Leerfiche] | None = None,
    links: list[PartnershipCompany] | None = None,
    offers: dict[tuple[int, str], Any] | None = None,
) -> Grid:
    """The grid of ``plan``: rows = leerfiches grouped by theme, columns = periods; each cell
    holds its places as "Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6"."""
    partnership = plan.partnership
    periods = list(Period.objects.filter(partnership=partnership).order_by("order", "start_date"))
    fiches = leerfiches_of(plan.set_version) if fiches is None else fiches
    if offers is None:
        links = company_links(partnership) if links is None else links
        offers = offers_of(
            vestiging_ids=[link.vestiging_id for link in links], opleiding=partnership.opleiding
        )
    centre = training_centre_name(partnership)
    cells: dict[tuple[int, int], GridCell] = {}
    themes: list[GridTheme] = []
    for fiche in fiches:
        if not themes or themes[-1].theme.pk != fiche.theme_id:
            themes.append(GridTheme(theme=fiche.theme, rows=[]))
        row = GridRow(leerfiche=fiche, cells=[])
        for period in periods:
            cell = GridCell(leerfiche=fiche, period=period)
            cells[(fiche.pk, period.pk)] = cell
            row.cells.append(cell)
        themes[-1].rows.append(row)
    entries = (
        PlanEntry.objects.filter(plan=plan)
        .select_related("vestiging")
        .order_by("place", "vestiging__name", "week_from", "pk")
    )
    keys = {fiche.pk: fiche.key for fiche in fiches}
    for entry in entries:
        grid_cell = cells.get((entry.leerfiche_id, entry.period_id))
        if grid_cell is None:
            continue
        grid_cell.places.append(entry_label(entry, training_centre_name=centre))
        if entry.vestiging_id:
            offered = offers.get((entry.vestiging_id, keys[entry.leerfiche_id]))
            if offered is not None and offered.offer == Offer.NO and entry.vestiging:
                grid_cell.cannot_offer.append(entry.vestiging.name)
    return Grid(plan=plan, periods=periods, themes=themes)


def vestiging_offers(
    *,
    partnership: Partnership,
    fiches: list[Leerfiche],
    links: list[PartnershipCompany] | None = None,
    offers: dict[tuple[int, str], Any] | None = None,
    editable: set[int] | None = None,
) -> list[VestigingOffers]:
    """Per company vestiging of the partnership: what it can offer of each leerfiche."""
    links = company_links(partnership) if links is None else links
    if offers is None:
        offers = offers_of(
            vestiging_ids=[link.vestiging_id for link in links], opleiding=partnership.opleiding
        )
    labels = dict(Offer.choices)
    result = []
    for link in links:
        lines = []
        for fiche in fiches:
            entry = offers.get((link.vestiging_id, fiche.key))
            offer = entry.offer if entry is not None else ""
            lines.append(
                OfferLine(
                    leerfiche=fiche,
                    offer=offer,
                    offer_label=str(labels.get(offer, "")),
                    note=entry.note if entry is not None else "",
                )
            )
        result.append(
            VestigingOffers(
                vestiging=link.vestiging,
                company_name=link.company.name,
                lines=lines,
                can_edit=link.vestiging_id in (editable or set()),
            )
        )
    return result


PLAN_COMMENTS_PER_PAGE = 10


def plan_comments(
    plan: Opleidingsplan, *, page: Any = 1, per_page: int = PLAN_COMMENTS_PER_PAGE
) -> Page:
    """One page of the comments on ``plan``, newest first (``page`` as the request gives it:
    a number out of range or no number at all is the last or the first page).

    Each comment carries its author and ``leerfiche_title``: the title, in the version the plan
    follows, of the leerfiche it is about ("" when it is about the whole plan, or about a
    leerfiche that version no longer holds). Two queries, whatever the number of comments: the
    count and the page, the title read by a subquery.
    """
    title = Leerfiche.objects.filter(
        version_id=plan.set_version_id, key=OuterRef("leerfiche_key")
    ).values("title")[:1]
    comments = (
        PlanComment.objects.filter(plan=plan)
        .select_related("author")
        .annotate(leerfiche_title=Coalesce(Subquery(title), Value("")))
        .order_by("-created_at", "-pk")
    )
    return Paginator(comments, per_page).get_page(page)


def adoptable_versions(*, partnership: Partnership, readable: Any) -> list[SetVersion]:
    """Published versions of the sets of the partnership's opleiding, among ``readable``
    (``learning.access.versions_readable_by``), newest first per set."""
    return list(
        readable.filter(
            status=VersionStatus.PUBLISHED, leerfiche_set__opleiding=partnership.opleiding
        )
        .select_related("leerfiche_set__owner")
        .order_by("leerfiche_set__name", "-number")
    )
