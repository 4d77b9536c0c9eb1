"""OAO or SOAO: the type follows the hours this student learns at the company (brochure 3.4).

"Welke overeenkomst dienstig is, hangt samen met het aantal uren dat de jongere op jaarbasis
gemiddeld in het leerbedrijf zal leren": 20 hours or more on average per week → OAO, fewer →
SOAO. The opleiding's usual hours make one type typical, never fixed (DOMAIN.md).

How the average is taken (docs/decisions/0018-contracts.md):

* The figures are the placements of the traject at that company — each a period with its
  weekly pattern (which weekdays are company days) and its average workplace hours per week.
* The reference period is the contract's own period: from the first day of the first placement
  at that company to the last day of the last one. Weeks between two placements at the same
  company count with zero hours (they are part of the contract's year); weeks at another
  company belong to that company's contract.
* Each placement weighs with its number of calendar days: average = Σ(hours × days) / days of
  the contract period. The threshold is compared exactly (fractions); the stored average is
  rounded to one decimal.

``average_hours_per_week`` and ``contract_type_from_hours`` are pure (the data migration uses
them on historical rows); ``contract_hours`` reads the placements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from learning.models import ContractType

if TYPE_CHECKING:
    from organisations.models import Organisation
    from partnerships.models import Traject

OAO_THRESHOLD = Fraction(20)  # hours per week, on average over the year (brochure 3.4)
COMPANY = "company"  # partnerships.models.WeekdayPlace.COMPANY
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


@dataclass(frozen=True)
class PeriodHours:
    """One placement as far as the hours go."""

    start: date
    end: date
    hours_per_week: Decimal
    company_days: int = 0  # company days in the weekly pattern

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def hours_per_company_day(self) -> Decimal | None:
        if not self.company_days:
            return None
        return (self.hours_per_week / self.company_days).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    def as_json(self) -> dict[str, object]:
        per_day = self.hours_per_company_day
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "hours_per_week": str(self.hours_per_week),
            "company_days": self.company_days,
            "hours_per_company_day": str(per_day) if per_day is not None else None,
        }


def exact_average(periods: Sequence[PeriodHours]) -> Fraction:
    """Σ(hours per week × days) / days from the first start to the last end; 0 for nothing."""
    if not periods:
        return Fraction(0)
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    span = (last - first).days + 1
    total = sum((Fraction(p.hours_per_week) * p.days for p in periods), Fraction(0))
    return total / span


def average_hours_per_week(periods: Sequence[PeriodHours]) -> Decimal:
    """The average, rounded to one decimal (what the contract stores and shows)."""
    average = exact_average(periods)
    return (Decimal(average.numerator) / Decimal(average.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def contract_type_from_hours(periods: Sequence[PeriodHours]) -> str:
    """OAO from 20 hours a week on average (20 included), SOAO below."""
    return ContractType.OAO if exact_average(periods) >= OAO_THRESHOLD else ContractType.SOAO


@dataclass(frozen=True)
class ContractHours:
    """The hours of a traject at one company, and what follows from them."""

    contract_type: str
    average: Decimal
    periods: tuple[PeriodHours, ...]
    vestiging_id: int | None
    warnings: list[str] = field(default_factory=list)

    @property
    def start(self) -> date | None:
        return min((p.start for p in self.periods), default=None)

    @property
    def end(self) -> date | None:
        return max((p.end for p in self.periods), default=None)

    def basis(self) -> list[dict[str, object]]:
        return [p.as_json() for p in self.periods]


def _period(placement: object) -> PeriodHours:
    return PeriodHours(
        start=placement.start_date,  # type: ignore[attr-defined]
        end=placement.end_date,  # type: ignore[attr-defined]
        hours_per_week=placement.workplace_hours_per_week,  # type: ignore[attr-defined]
        company_days=sum(1 for day in WEEKDAYS if getattr(placement, day) == COMPANY),
    )


def contract_hours(*, traject: Traject, company: Organisation | int) -> ContractHours:
    """The hours of ``traject`` at ``company`` from its placements there, the type they give,
    and warnings: a weekly pattern that does not fit the hours, fewer planned hours in the
    year than the opleiding's minimum, a type other than the opleiding's usual hours make
    typical."""
    company_id = company if isinstance(company, int) else company.pk
    placements = list(traject.placements.order_by("start_date"))
    here = [p for p in placements if p.company_id == company_id]
    periods = tuple(_period(p) for p in here)
    contract_type = contract_type_from_hours(periods)
    warnings: list[str] = []
    for period in periods:
        if period.hours_per_week and not period.company_days:
            warnings.append(
                _(
                    "The placement from %(start)s has %(hours)s hours a week but no company day "
                    "in its weekly pattern."
                )
                % {
                    "start": date_format(period.start, "SHORT_DATE_FORMAT"),
                    "hours": number_format(period.hours_per_week),
                }
            )
        elif period.company_days and not period.hours_per_week:
            warnings.append(
                _("The placement from %(start)s has company days but no workplace hours.")
                % {"start": date_format(period.start, "SHORT_DATE_FORMAT")}
            )
    opleiding = traject.partnership.opleiding
    minimum = opleiding.minimum_workplace_hours
    if minimum:
        planned = sum(
            (Fraction(p.hours_per_week) * p.days / 7 for p in map(_period, placements)),
            Fraction(0),
        )
        if planned < minimum:
            warnings.append(
                _(
                    "The placements plan about %(planned)d workplace hours this year; the "
                    "standaardtraject of %(opleiding)s asks at least %(minimum)d."
                )
                % {"planned": int(planned), "opleiding": opleiding, "minimum": minimum}
            )
    usual = ContractType.OAO if opleiding.workplace_hours_per_week >= 20 else ContractType.SOAO
    if periods and contract_type != usual:
        warnings.append(
            _(
                "%(opleiding)s usually has %(hours)d workplace hours a week (%(usual)s); this "
                "student's hours make it an %(type)s."
            )
            % {
                "opleiding": opleiding,
                "hours": opleiding.workplace_hours_per_week,
                "usual": usual,
                "type": contract_type,
            }
        )
    return ContractHours(
        contract_type=contract_type,
        average=average_hours_per_week(periods),
        periods=periods,
        vestiging_id=here[0].vestiging_id if here else None,
        warnings=warnings,
    )


def contract_type_for(traject: Traject, company: Organisation | int) -> str:
    """OAO or SOAO for ``traject`` at ``company`` (see ``contract_hours``)."""
    return contract_hours(traject=traject, company=company).contract_type
