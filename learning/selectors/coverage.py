"""The coverage matrix of an opleidingsplan and the rotation of each student across companies.

The matrix crosses the plan's leerfiches (grouped by theme) with the places of the
partnership (the school, each company vestiging, the training centre if any, gesimuleerd
leren) and its periods. Three kinds of gap are highlighted and counted:

* ``untaught`` — a leerfiche nobody teaches: no entry at all;
* ``cannot_offer`` — a company entry whose vestiging's activiteitenlijst says "no" for that
  leerfiche ("partly" is a warning, not a gap; no answer is no gap either);
* ``no_student`` — a company entry in a period during which no traject of the partnership (for
  a traject's own plan: that traject) has a placement at that vestiging.

Everything is read in a constant number of queries, whatever the number of leerfiches,
places, periods or students, and returned as dataclasses (no querysets reach a template).
Plans import ``partnerships``; the catalogue never imports this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext

from accounts.models import User
from learning.models import (
    ActiviteitenlijstEntry,
    Leerfiche,
    Offer,
    Opleidingsplan,
    Period,
    PlaceKind,
    PlanEntry,
)
from organisations.models import Vestiging
from partnerships import permissions
from partnerships.models import Partnership, PartnershipCompany, Placement, Traject


class GapKind(StrEnum):
    UNTAUGHT = "untaught"
    CANNOT_OFFER = "cannot_offer"
    NO_STUDENT = "no_student"


GAP_KINDS: tuple[GapKind, ...] = (GapKind.UNTAUGHT, GapKind.CANNOT_OFFER, GapKind.NO_STUDENT)


@dataclass(frozen=True)
class CoveragePlace:
    key: str  # "school", "training_centre", "simulated" or "vestiging-<pk>"
    kind: str  # a PlaceKind value
    name: str  # the organisation or vestiging ("" for gesimuleerd leren)
    vestiging_id: int | None = None
    kind_label: str = ""  # "Bedrijf", "Opleidingscentrum", … (in the active language)

    @property
    def label(self) -> str:
        return f"{self.kind_label}: {self.name}" if self.name else self.kind_label


@dataclass(frozen=True)
class CoveragePeriod:
    pk: int
    name: str
    start_date: date
    end_date: date


@dataclass
class CoverageCell:
    """One leerfiche planned at one place in one period (an entry of the plan)."""

    anchor: str  # the HTML id of the cell, for the links of the gap lists
    label: str  # place and period, e.g. "Bedrijf: Metaalbouw Vandenberghe – Genk · Trimester 1"
    leerfiche_key: str
    leerfiche_title: str
    place: CoveragePlace
    period: CoveragePeriod
    week_from: int
    week_to: int
    offer: str = ""  # the activiteitenlijst's answer at a company vestiging ("" unknown)
    gaps: list[GapKind] = field(default_factory=list)
    planned: bool = True
    # For rendering, set once the gaps are known (cheaper than template logic per cell):
    weeks: str = ""  # "wk 1–4"
    css: str = ""  # coverage__cell--planned / --warn / --gap
    badges: list[tuple[str, str]] = field(default_factory=list)  # (badge class, text)

    @property
    def warning(self) -> bool:
        """A company entry the vestiging can offer only partly."""
        return self.offer == Offer.PARTLY

    @property
    def cannot_offer(self) -> bool:
        return GapKind.CANNOT_OFFER in self.gaps

    @property
    def no_student(self) -> bool:
        return GapKind.NO_STUDENT in self.gaps


@dataclass
class CoverageRow:
    """A leerfiche across every place and period.

    ``cells``: place after place, each period, as the matrix's columns; None where nothing is
    planned (most cells: the matrix stays cheap to build and to render).
    """

    key: str
    title: str
    anchor: str
    cells: list[CoverageCell | None]
    untaught: bool

    @property
    def segments(self) -> list[tuple[CoverageCell | None, int]]:
        """The cells for rendering: each planned cell alone, each run of empty cells as one
        (None, number of columns), so a large matrix renders few table cells."""
        result: list[tuple[CoverageCell | None, int]] = []
        for cell in self.cells:
            if cell is None and result and result[-1][0] is None:
                result[-1] = (None, result[-1][1] + 1)
            else:
                result.append((cell, 1))
        return result


@dataclass
class CoverageTheme:
    key: str
    title: str
    rows: list[CoverageRow]


@dataclass
class Coverage:
    plan: Opleidingsplan
    places: list[CoveragePlace]
    periods: list[CoveragePeriod]
    themes: list[CoverageTheme]
    untaught: list[CoverageRow]  # gap (a)
    cannot_offer: list[CoverageCell]  # gap (b)
    no_student: list[CoverageCell]  # gap (c)
    partly: list[CoverageCell]  # warnings: a vestiging that can offer it only partly
    entries: int  # number of plan entries (cells planned)

    @property
    def counts(self) -> dict[str, int]:
        return {
            GapKind.UNTAUGHT: len(self.untaught),
            GapKind.CANNOT_OFFER: len(self.cannot_offer),
            GapKind.NO_STUDENT: len(self.no_student),
        }

    @property
    def total_gaps(self) -> int:
        return sum(self.counts.values())

    @property
    def leerfiches(self) -> int:
        return sum(len(theme.rows) for theme in self.themes)


def _place_key(kind: str, vestiging_id: int | None) -> str:
    return f"vestiging-{vestiging_id}" if kind == PlaceKind.COMPANY else kind


def _overlaps(start: date, end: date, period: CoveragePeriod) -> bool:
    return start <= period.end_date and end >= period.start_date


def _vestiging_name(company: str, vestiging: str) -> str:
    # Vestiging names usually start with the company's name: do not repeat it.
    return vestiging if company in vestiging else f"{company} – {vestiging}"


def coverage_places(
    partnership: Partnership, extra_vestigingen: dict[int, str], *, centre_used: bool = False
) -> list[CoveragePlace]:
    """The places of ``partnership``: school, each company vestiging, training centre, simulated.

    ``partnership`` comes with its school and training centre; one query for the companies.
    ``extra_vestigingen`` ({pk: name}) adds vestigingen the plan still uses but that left the
    partnership, so no entry disappears from the matrix; ``centre_used`` keeps the training
    centre's column when the plan uses it but the partnership no longer has one.
    """
    labels = {kind: str(kind.label) for kind in PlaceKind}
    places = [
        CoveragePlace(
            "school", PlaceKind.SCHOOL, partnership.school.name, None, labels[PlaceKind.SCHOOL]
        )
    ]
    seen: set[int] = set()
    for company in (
        PartnershipCompany.objects.filter(partnership=partnership)
        .select_related("company", "vestiging")
        .order_by("company__name", "vestiging__name")
    ):
        if company.vestiging_id in seen:
            continue
        seen.add(company.vestiging_id)
        places.append(
            CoveragePlace(
                _place_key(PlaceKind.COMPANY, company.vestiging_id),
                PlaceKind.COMPANY,
                _vestiging_name(company.company.name, company.vestiging.name),
                company.vestiging_id,
                labels[PlaceKind.COMPANY],
            )
        )
    for pk, name in sorted(extra_vestigingen.items(), key=lambda item: item[1]):
        if pk not in seen:
            places.append(
                CoveragePlace(
                    _place_key(PlaceKind.COMPANY, pk),
                    PlaceKind.COMPANY,
                    name,
                    pk,
                    labels[PlaceKind.COMPANY],
                )
            )
    centre = partnership.training_centre if partnership.training_centre_id else None
    if centre is not None or centre_used:
        places.append(
            CoveragePlace(
                "training_centre",
                PlaceKind.TRAINING_CENTRE,
                centre.name if centre is not None else "",
                None,
                labels[PlaceKind.TRAINING_CENTRE],
            )
        )
    places.append(
        CoveragePlace("simulated", PlaceKind.SIMULATED, "", None, labels[PlaceKind.SIMULATED])
    )
    return places


def coverage_periods(partnership: Partnership) -> list[CoveragePeriod]:
    return [
        CoveragePeriod(pk, name, start, end)
        for pk, name, start, end in Period.objects.filter(partnership=partnership)
        .order_by("order", "start_date")
        .values_list("pk", "name", "start_date", "end_date")
    ]


def plan_coverage(*, plan: Opleidingsplan) -> Coverage:
    """The coverage matrix of ``plan`` (the partnership's or a traject's own), in 6 queries
    (two more when the plan still uses a vestiging that left the partnership).

    ``plan`` should come with ``partnership``, its ``school``, ``training_centre`` and
    ``opleiding`` (``select_related``), else those cost a query each.
    """
    partnership = plan.partnership
    periods = coverage_periods(partnership)  # 1
    fiches = list(  # 2
        Leerfiche.objects.filter(version_id=plan.set_version_id)
        .order_by("theme__order", "theme__pk", "order", "pk")
        .values_list("pk", "key", "title", "theme_id", "theme__key", "theme__title")
    )
    entries = list(  # 3
        PlanEntry.objects.filter(plan=plan).values_list(
            "leerfiche_id", "period_id", "place", "vestiging_id", "week_from", "week_to"
        )
    )
    used_vestigingen = {row[3] for row in entries if row[3] is not None}
    centre_used = any(row[2] == PlaceKind.TRAINING_CENTRE for row in entries)
    places = coverage_places(partnership, {}, centre_used=centre_used)  # 4
    known = {place.vestiging_id for place in places if place.vestiging_id}
    missing = used_vestigingen - known
    if missing:  # a vestiging that left the partnership (rare; two more queries then)
        places = coverage_places(
            partnership,
            dict(Vestiging.objects.filter(pk__in=missing).values_list("pk", "name")),
            centre_used=centre_used,
        )
    vestiging_ids = [place.vestiging_id for place in places if place.vestiging_id]

    offers = {  # 5
        (vestiging_id, key): offer
        for vestiging_id, key, offer in ActiviteitenlijstEntry.objects.filter(
            activiteitenlijst__vestiging_id__in=vestiging_ids,
            activiteitenlijst__opleiding_id=partnership.opleiding_id,
        ).values_list("activiteitenlijst__vestiging_id", "leerfiche_key", "offer")
    }
    placements = Placement.objects.filter(vestiging_id__in=vestiging_ids)  # 6
    if plan.traject_id:
        placements = placements.filter(traject_id=plan.traject_id)
    else:
        placements = placements.filter(traject__partnership=partnership)
    staffed: set[tuple[int, int]] = set()  # (vestiging id, period pk) with a student
    for vestiging_id, start, end in placements.values_list(
        "vestiging_id", "start_date", "end_date"
    ):
        for period in periods:
            if _overlaps(start, end, period):
                staffed.add((vestiging_id, period.pk))

    planned: dict[tuple[int, str, int], tuple[int, int]] = {}
    for fiche_id, period_id, place_kind, vestiging_id, week_from, week_to in entries:
        planned[(fiche_id, _place_key(place_kind, vestiging_id), period_id)] = (week_from, week_to)
    taught = {fiche_id for fiche_id, *_rest in entries}

    themes: list[CoverageTheme] = []
    untaught: list[CoverageRow] = []
    cannot_offer: list[CoverageCell] = []
    no_student: list[CoverageCell] = []
    partly: list[CoverageCell] = []
    by_theme: dict[int, CoverageTheme] = {}
    columns = [
        (place, period, f"{place.label} · {period.name}") for place in places for period in periods
    ]
    texts = {
        "weeks": gettext("wk %(start)s–%(end)s"),
        "cannot_offer": gettext("Cannot offer"),
        "no_student": gettext("No student"),
        "partly": gettext("Partly"),
    }
    for fiche_pk, fiche_key, fiche_title, theme_pk, theme_key, theme_title in fiches:
        cells: list[CoverageCell | None] = []
        for place, period, label in columns:
            weeks = planned.get((fiche_pk, place.key, period.pk))
            if weeks is None:
                cells.append(None)
                continue
            cell = CoverageCell(
                anchor=f"cel-{fiche_key}-{place.key}-{period.pk}",
                label=label,
                leerfiche_key=fiche_key,
                leerfiche_title=fiche_title,
                place=place,
                period=period,
                week_from=weeks[0],
                week_to=weeks[1],
            )
            if place.vestiging_id:
                cell.offer = offers.get((place.vestiging_id, fiche_key), "")
                if cell.offer == Offer.NO:
                    cell.gaps.append(GapKind.CANNOT_OFFER)
                    cell.badges.append(("badge--danger", texts["cannot_offer"]))
                    cannot_offer.append(cell)
                elif cell.offer == Offer.PARTLY:
                    cell.badges.append(("badge--warn", texts["partly"]))
                    partly.append(cell)
                if (place.vestiging_id, period.pk) not in staffed:
                    cell.gaps.append(GapKind.NO_STUDENT)
                    cell.badges.append(("badge--danger", texts["no_student"]))
                    no_student.append(cell)
            cell.weeks = texts["weeks"] % {"start": cell.week_from, "end": cell.week_to}
            cell.css = (
                "coverage__cell--gap"
                if cell.gaps
                else "coverage__cell--warn"
                if cell.offer == Offer.PARTLY
                else "coverage__cell--planned"
            )
            cells.append(cell)
        row = CoverageRow(
            key=fiche_key,
            title=fiche_title,
            anchor=f"leerfiche-{fiche_key}",
            cells=cells,
            untaught=fiche_pk not in taught,
        )
        if row.untaught:
            untaught.append(row)
        theme = by_theme.get(theme_pk)
        if theme is None:
            theme = by_theme[theme_pk] = CoverageTheme(theme_key, theme_title, [])
            themes.append(theme)
        theme.rows.append(row)
    return Coverage(
        plan=plan,
        places=places,
        periods=periods,
        themes=themes,
        untaught=untaught,
        cannot_offer=cannot_offer,
        no_student=no_student,
        partly=partly,
        entries=len(entries),
    )


def partnership_plan(partnership: Partnership) -> Opleidingsplan | None:
    """The partnership's own opleidingsplan (not a traject's), with what coverage reads."""
    return (
        Opleidingsplan.objects.filter(partnership=partnership, traject__isnull=True)
        .select_related(
            "partnership",
            "partnership__school",
            "partnership__training_centre",
            "partnership__opleiding",
            "set_version",
            "set_version__leerfiche_set",
        )
        .first()
    )


# --- rotation: where each student is in each period ------------------------------------------


@dataclass(frozen=True)
class RotationStop:
    company: str
    vestiging: str
    start_date: date
    end_date: date


@dataclass
class RotationCell:
    period: CoveragePeriod
    stops: list[RotationStop]  # the placements overlapping the period


@dataclass
class RotationRow:
    traject_public_id: str
    student: str
    cells: list[RotationCell]  # one per period of the partnership
    companies: int  # distinct companies over the year

    @property
    def rotates(self) -> bool:
        return self.companies > 1


def rotation(
    *, partnership: Partnership, periods: list[CoveragePeriod], trajects: QuerySet[Traject]
) -> list[RotationRow]:
    """For each of ``trajects`` (already filtered to what the viewer may see) of
    ``partnership``: its placements per period. Two queries, whatever the number of students."""
    rows = list(
        trajects.filter(partnership=partnership)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "pk")
    )
    stops: dict[int, list[tuple[int, RotationStop]]] = defaultdict(list)
    for traject_id, company_id, company, vestiging, start, end in (
        Placement.objects.filter(traject_id__in=[row.pk for row in rows])
        .order_by("start_date", "pk")
        .values_list(
            "traject_id", "company_id", "company__name", "vestiging__name", "start_date", "end_date"
        )
    ):
        stops[traject_id].append((company_id, RotationStop(company, vestiging, start, end)))
    result = []
    for traject in rows:
        placed = stops.get(traject.pk, [])
        result.append(
            RotationRow(
                traject_public_id=str(traject.public_id),
                student=traject.student.full_name,
                cells=[
                    RotationCell(
                        period,
                        [
                            stop
                            for _company, stop in placed
                            if _overlaps(stop.start_date, stop.end_date, period)
                        ],
                    )
                    for period in periods
                ],
                companies=len({company_id for company_id, _stop in placed}),
            )
        )
    return result


def coverage_for_viewer(*, partnership: Partnership, viewer: User) -> dict:
    """What the coverage page and its PDF show ``viewer`` (who may read the plan): the matrix
    of the partnership's plan (None without a plan) and the rotation of the students
    ``viewer`` may see. A constant number of queries."""
    plan = partnership_plan(partnership)
    matrix = plan_coverage(plan=plan) if plan is not None else None
    periods = matrix.periods if matrix is not None else coverage_periods(partnership)
    return {
        "partnership": partnership,
        "plan": plan,
        "coverage": matrix,
        "periods": periods,
        "rotation": rotation(
            partnership=partnership,
            periods=periods,
            trajects=permissions.trajects_visible_to(user=viewer),
        ),
    }
