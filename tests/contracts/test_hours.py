"""OAO or SOAO from the student's own hours at the company (brochure 3.4, lines 572–582):
20 hours a week or more on average over the contract's year → OAO, fewer → SOAO."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.hours import (
    PeriodHours,
    average_hours_per_week,
    contract_hours,
    contract_type_for,
    contract_type_from_hours,
)
from tests.contracts.support import DAEMS, PATTERN_2, a1, company, new_traject, place

Y = 2026


def period(start: date, end: date, hours: str, days: int = 3) -> PeriodHours:
    return PeriodHours(start=start, end=end, hours_per_week=Decimal(hours), company_days=days)


def test_exactly_twenty_hours_is_an_oao_and_just_below_is_an_soao():
    year = (date(Y, 9, 1), date(Y + 1, 6, 30))
    assert contract_type_from_hours([period(*year, "20")]) == "OAO"
    assert contract_type_from_hours([period(*year, "19.9")]) == "SOAO"


def test_an_average_of_exactly_twenty_over_two_patterns_is_an_oao():
    # 24 h for 30 days and 16 h for 30 days: exactly 20 on average.
    periods = [
        period(date(Y, 9, 1), date(Y, 9, 30), "24"),
        period(date(Y, 10, 1), date(Y, 10, 30), "16", days=2),
    ]
    assert average_hours_per_week(periods) == Decimal("20.0")
    assert contract_type_from_hours(periods) == "OAO"
    # 150 days at 24 h and 151 at 16 h: 19.99 h, shown as 20.0 but compared exactly — SOAO.
    periods = [
        period(date(Y, 9, 1), date(Y + 1, 1, 28), "24"),
        period(date(Y + 1, 1, 29), date(Y + 1, 6, 28), "16", days=2),
    ]
    assert average_hours_per_week(periods) == Decimal("20.0")
    assert contract_type_from_hours(periods) == "SOAO"


def test_a_placement_covering_part_of_the_year_is_averaged_over_its_own_period():
    # From February only, 22.5 h a week: the contract runs from February, so OAO.
    late = [period(date(Y + 1, 2, 1), date(Y + 1, 6, 30), "22.5")]
    assert average_hours_per_week(late) == Decimal("22.5")
    assert contract_type_from_hours(late) == "OAO"


def test_weeks_between_two_placements_at_the_same_company_count_as_zero():
    # 24 h in Sept–Oct and again in May–June, nothing in between: the contract's year
    # averages far below 20.
    periods = [
        period(date(Y, 9, 1), date(Y, 10, 31), "24"),
        period(date(Y + 1, 5, 1), date(Y + 1, 6, 30), "24"),
    ]
    assert average_hours_per_week(periods) < Decimal(12)
    assert contract_type_from_hours(periods) == "SOAO"


def test_nothing_planned_is_zero_hours():
    assert average_hours_per_week([]) == Decimal("0.0")
    assert contract_type_from_hours([]) == "SOAO"


@pytest.mark.django_db
def test_a_rotation_over_two_companies_has_a_type_per_company(demo_cast):
    traject = new_traject("Rotatie", birth_date=date(2008, 1, 1))
    year = a1().school_year
    place(traject, start=date(year, 9, 1), end=date(year + 1, 1, 31), hours="24")
    place(
        traject,
        at=DAEMS,
        start=date(year + 1, 2, 1),
        end=date(year + 1, 6, 30),
        hours="16",
        pattern=PATTERN_2,
        mentor="mentor@daems.demo",
    )
    vandenberghe, daems = company("Metaalbouw Vandenberghe"), company(DAEMS)
    assert contract_type_for(traject, vandenberghe) == "OAO"
    assert contract_type_for(traject, daems) == "SOAO"
    hours = contract_hours(traject=traject, company=daems)
    assert hours.average == Decimal("16.0")
    assert (hours.start, hours.end) == (date(year + 1, 2, 1), date(year + 1, 6, 30))
    [basis] = hours.basis()
    assert basis["company_days"] == 2 and basis["hours_per_company_day"] == "8.00"


@pytest.mark.django_db
def test_warnings_for_a_pattern_without_company_days_and_an_unusual_type(demo_cast):
    traject = new_traject("Waarschuwing", birth_date=date(2008, 1, 1))
    year = a1().school_year
    only_school = dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), "school")
    place(
        traject, start=date(year, 9, 1), end=date(year + 1, 6, 30), hours="8", pattern=only_school
    )
    hours = contract_hours(traject=traject, company=company("Metaalbouw Vandenberghe"))
    assert hours.contract_type == "SOAO"
    text = " ".join(hours.warnings)  # the tests speak Dutch, the default language
    assert "heeft 8,0 uur per week maar geen bedrijfsdag" in text
    # Lassen-Constructie duaal usually has 20 h (OAO): this student's 8 h make an SOAO.
    assert "gewoonlijk 20 uur per week op de werkplek (OAO)" in text


@pytest.mark.django_db
def test_a_warning_when_the_year_plans_fewer_hours_than_the_opleidings_minimum(demo_cast):
    traject = new_traject("Minimum", birth_date=date(2008, 1, 1))
    year = a1().school_year
    opleiding = traject.partnership.opleiding
    opleiding.minimum_workplace_hours = 2000
    opleiding.save(update_fields=["minimum_workplace_hours"])
    place(traject, start=date(year, 9, 1), end=date(year + 1, 6, 30), hours="22.5")
    hours = contract_hours(traject=traject, company=company("Metaalbouw Vandenberghe"))
    assert hours.contract_type == "OAO"
    assert any("vraagt er minstens 2000" in warning for warning in hours.warnings)
    opleiding.minimum_workplace_hours = 500
    opleiding.save(update_fields=["minimum_workplace_hours"])
    hours = contract_hours(traject=traject, company=company("Metaalbouw Vandenberghe"))
    assert not any("vraagt er minstens" in warning for warning in hours.warnings)
