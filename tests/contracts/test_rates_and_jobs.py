"""The dated leervergoeding table, the daily start job, and what contracts add to a person's
data export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import LeervergoedingRate, MinimumIncome
from contracts.models.rates import monthly_leervergoeding
from duaal.celery import app
from duaal.privacy import Person, collect

pytestmark = pytest.mark.django_db


def test_the_leervergoeding_follows_the_rows_valid_on_the_day():
    # The migration's rows: 29 % of the GGMMI for category 1.
    ggmmi = MinimumIncome.objects.get(valid_from=date(2024, 4, 1)).monthly_amount
    assert monthly_leervergoeding(category=1, on=date(2026, 10, 1)) == (
        ggmmi * Decimal("0.29")
    ).quantize(Decimal("0.01"))
    assert monthly_leervergoeding(category=1, on=date(2020, 1, 1)) is None  # no figure yet
    # An indexation and a new percentage apply from their dates on, not before.
    MinimumIncome.objects.create(valid_from=date(2027, 1, 1), monthly_amount=Decimal("2200"))
    LeervergoedingRate.objects.create(
        category=3, valid_from=date(2027, 1, 1), percentage=Decimal("35"), source="official"
    )
    assert monthly_leervergoeding(category=3, on=date(2027, 2, 1)) == Decimal("770.00")
    assert monthly_leervergoeding(category=3, on=date(2026, 12, 31)) == (
        ggmmi * Decimal("0.345")
    ).quantize(Decimal("0.01"))


def test_the_daily_job_starts_due_contracts(demo_cast):
    from contracts.tasks import start_due_contracts

    entry = app.conf.beat_schedule["start-due-contracts"]
    assert entry["task"] == start_due_contracts.name == "contracts.start_due_contracts"
    # The demo's contracts run already: nothing is due.
    assert start_due_contracts() == 0


def test_a_students_export_lists_their_contracts(demo_cast):
    from partnerships.models import Student

    lotte = Student.objects.get(first_name="Lotte")
    sections = {
        s.key: s
        for s in collect(
            Person(label="Lotte", user_id=lotte.user_id, student_id=lotte.pk), internal=False
        )
    }
    [row] = sections["contracts"].rows
    values = [str(v) for v in row.values()]
    assert "Metaalbouw Vandenberghe" in values and "22.5" in values
    assert any("Katrien Janssens" in v for v in values)
