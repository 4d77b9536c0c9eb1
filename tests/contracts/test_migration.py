"""The data migration ``contracts/0002``: before contracts, a traject ran as soon as it had a
placement. On a database of that time (the demo's running trajects, plus one in intake with a
placement), every running traject's placements get their contract — taken over, type from the
hours, running, signed by every party on paper — and nothing else does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contracts", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_the_latest_schema():
    yield
    _migrate(_leaves())


@pytest.mark.django_db(transaction=True)
def test_running_placements_get_a_taken_over_contract(demo_cast, back_to_the_latest_schema):
    from partnerships.models import Placement, Student, Traject

    _migrate(BEFORE)
    # A traject in intake with a placement (possible before, too): no contract for it.
    lotte = Traject.objects.select_related("partnership").get(student__first_name="Lotte")
    student = Student.objects.create(
        school=lotte.partnership.school,
        first_name="Intake",
        last_name="Test",
        birth_date=date(2009, 1, 1),
        school_class=lotte.student.school_class,
    )
    waiting = Traject.objects.create(student=student, partnership=lotte.partnership)
    source = lotte.placements.get()
    Placement.objects.create(
        traject=waiting,
        company=source.company,
        vestiging=source.vestiging,
        start_date=source.start_date,
        end_date=source.end_date,
        workplace_hours_per_week=Decimal("22.5"),
    )

    _migrate(_leaves())
    from contracts.models import Contract, LeervergoedingRate, MinimumIncome

    contracts = {
        c.traject.student.first_name: c
        for c in Contract.objects.select_related("traject__student").filter(
            traject__partnership__school__name__in=[
                "Technisch Instituut Sint-Jozef",
                "GO! Technisch Atheneum De Ring",
            ]
        )
    }
    assert {name: c.contract_type for name, c in contracts.items()} == {
        "Lotte": "OAO",
        "Mohamed": "OAO",
        "Emma": "SOAO",
        "Jonas": "OAO",
    }
    assert all(c.taken_over and c.state == "running" for c in contracts.values())
    assert contracts["Emma"].workplace_hours_per_week == Decimal("8.0")
    lotte_contract = contracts["Lotte"]
    assert sorted(lotte_contract.parties.values_list("role", flat=True)) == [
        "company",
        "parent",
        "school",
        "student",
    ]
    assert (
        lotte_contract.signatures.filter(method="taken_over", voided_at__isnull=True).count() == 4
    )
    assert not Contract.objects.filter(traject=waiting).exists()
    Traject.objects.filter(pk=waiting.pk).delete()
    # The table of the leervergoeding, marked as coming from outside the brochure.
    assert sorted(LeervergoedingRate.objects.values_list("category", "percentage")) == [
        (1, Decimal("29.00")),
        (2, Decimal("32.00")),
        (3, Decimal("34.50")),
    ]
    assert set(LeervergoedingRate.objects.values_list("source", flat=True)) == {"external"}
    assert MinimumIncome.objects.filter(source="external").exists()
