"""A contract follows its placements until it is registered (contracts.services.lifecycle
.follow_placements, through partnerships.signals.placements_changed): a concept silently, a
contract out for signing or signed as a new version whose signatures are void (decision 0020);
a registered or running contract never changes under the signatures."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from contracts.models import Contract, ContractState, Signature
from contracts.services import lifecycle
from duaal.models import AuditEntry
from organisations.models import Vestiging
from partnerships.models import PartnershipCompany, Placement
from partnerships.services.trajects import placement_delete, placement_update
from recognition.models import Recognition, RecognitionStatus
from tests.contracts.support import PATTERN_2, PATTERN_3, a1, place, shown, user
from tests.contracts.test_lifecycle import concept, registered

pytestmark = pytest.mark.django_db
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def change(placement: Placement, **overrides) -> Placement:
    """``placement_update`` by the school's coördinator with ``overrides`` over the current
    values (``weekly_pattern``, ``workplace_hours_per_week``, dates, ``mentors``)."""
    placement = Placement.objects.select_related("company", "vestiging", "traject").get(
        pk=placement.pk
    )
    values = {
        "company": placement.company,
        "vestiging": placement.vestiging,
        "start_date": placement.start_date,
        "end_date": placement.end_date,
        "weekly_pattern": {day: getattr(placement, day) for day in WEEKDAYS},
        "workplace_hours_per_week": placement.workplace_hours_per_week,
        "mentors": [s.user for s in placement.supervisors.filter(kind="mentor")],
    }
    values.update(overrides)
    return placement_update(actor=user("coord@sintjozef.demo"), placement=placement, **values)


def updates(contract: Contract) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action="contract.update", object_id=str(contract.pk)).order_by(
            "pk"
        )
    )


def sign(contract: Contract, role: str) -> None:
    contract.refresh_from_db()
    lifecycle.record_signature(
        contract=contract, party=contract.parties.get(role=role), user=None,
        typed_name="Naam", pdf_sha256=shown(contract), ip_address="192.0.2.7",
        version=contract.version,
    )  # fmt: skip


def test_a_concept_takes_the_new_hours_of_its_placement(demo_cast):
    traject, contract = concept()
    assert (contract.contract_type, contract.leervergoeding_category) == ("OAO", 1)
    change(traject.placements.get(), workplace_hours_per_week=Decimal("16"))
    contract.refresh_from_db()
    assert contract.state == ContractState.CONCEPT
    assert (contract.contract_type, contract.leervergoeding_category) == ("SOAO", None)
    assert contract.workplace_hours_per_week == Decimal("16.0")
    assert contract.hours_basis[0]["hours_per_week"] == "16.0"
    [entry] = updates(contract)
    assert entry.actor_id == user("coord@sintjozef.demo").pk
    assert entry.changes["contract_type"] == ["OAO", "SOAO"]
    # Its start checklist follows the type: an SOAO has no Dimona.
    assert not contract.checklist_items.filter(code="dimona").exists()


def test_a_concept_takes_a_new_period_and_weekly_pattern(demo_cast):
    traject, contract = concept()
    year = a1().school_year
    change(
        traject.placements.get(),
        start_date=date(year, 11, 1),
        weekly_pattern=PATTERN_2,  # two company days instead of three, same hours
    )
    contract.refresh_from_db()
    assert contract.start_date == date(year, 11, 1)
    assert contract.hours_basis[0]["company_days"] == 2
    assert contract.checklist_items.get(code="dimona").due_on == date(year, 11, 1)


def test_a_concept_follows_its_placement_to_another_vestiging(demo_cast):
    traject, contract = concept()
    placement = traject.placements.get()
    other = Vestiging.objects.create(
        organisation=placement.company,
        vestigingsnummer="2999999999",
        name="Werkplaats Oost",
        city="Genk",
        postcode="3600",
    )
    PartnershipCompany.objects.create(
        partnership=traject.partnership, company=placement.company, vestiging=other
    )
    # The same recognition for the new workplace (a copy of the current one's).
    recognition = Recognition.objects.get(
        vestiging=placement.vestiging,
        opleiding=traject.partnership.opleiding,
        status=RecognitionStatus.RECOGNISED,
    )
    recognition.pk, recognition.public_id, recognition.vestiging = None, uuid.uuid4(), other
    recognition.save()
    assert contract.vestiging_id == placement.vestiging_id != other.pk
    change(placement, vestiging=other)
    contract.refresh_from_db()
    assert contract.vestiging_id == other.pk
    [entry] = updates(contract)
    old, new = entry.changes["vestiging"]
    assert (old["id"], new["id"]) == (placement.vestiging_id, other.pk)
    assert "Werkplaats Oost" in new["label"]


def test_a_change_of_mentor_only_leaves_the_contract_alone(demo_cast):
    traject, contract = concept()
    version = contract.version
    change(traject.placements.get(), mentors=[user("mentor2@vandenberghe.demo")])
    contract.refresh_from_db()
    assert contract.version == version and updates(contract) == []


def test_out_for_signing_a_new_pattern_voids_the_signatures_with_the_reason(demo_cast):
    traject, contract = concept()
    contract = lifecycle.contract_send_for_signing(
        actor=user("coord@sintjozef.demo"), contract=contract, version=contract.version
    )
    sign(contract, "school")
    contract.refresh_from_db()
    version = contract.version
    # Company days move from Wednesday–Friday to Monday, Thursday, Friday: hours, type and
    # period stay, but the uurrooster annex of the PDF the school signed does not.
    change(
        traject.placements.get(),
        weekly_pattern={**PATTERN_3, "monday": "company", "wednesday": "school"},
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.TO_SIGN
    assert contract.version == version + 1
    [voided] = Signature.objects.filter(contract=contract)
    assert voided.voided_at is not None and "uurrooster" in voided.void_reason
    assert {p.role for p in lifecycle.missing_signatures(contract)} == {
        "company", "school", "student", "parent",
    }  # fmt: skip
    [entry] = updates(contract)
    assert entry.changes["signatures_voided"] == [0, 1]
    assert entry.changes["contract_version"] == [version, version + 1]


def test_a_signed_contract_goes_back_to_signing_when_its_period_changes(demo_cast):
    traject, contract = concept()
    contract = lifecycle.contract_send_for_signing(
        actor=user("coord@sintjozef.demo"), contract=contract, version=contract.version
    )
    for role in ("company", "school", "student", "parent"):
        sign(contract, role)
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED
    placement = traject.placements.get()
    change(placement, end_date=placement.end_date - timedelta(days=30))
    contract.refresh_from_db()
    assert contract.state == ContractState.TO_SIGN
    assert contract.end_date == placement.end_date - timedelta(days=30)
    assert not Signature.objects.filter(contract=contract, voided_at__isnull=True).exists()
    assert Signature.objects.filter(contract=contract).count() == 4


def test_a_registered_contract_does_not_change_under_its_signatures(demo_cast):
    contract = registered()
    before = Contract.objects.get(pk=contract.pk)
    change(contract.traject.placements.get(), workplace_hours_per_week=Decimal("16"))
    after = Contract.objects.get(pk=contract.pk)
    assert (after.version, after.contract_type, after.workplace_hours_per_week) == (
        before.version,
        before.contract_type,
        before.workplace_hours_per_week,
    )
    assert not Signature.objects.filter(contract=contract, voided_at__isnull=False).exists()


def test_a_concept_follows_a_second_placement_and_keeps_itself_when_the_last_goes(demo_cast):
    traject, contract = concept()
    first = traject.placements.get()
    year = a1().school_year
    change(first, end_date=date(year + 1, 1, 31))
    place(traject, start=date(year + 1, 3, 1), end=date(year + 1, 6, 30), hours="22.5",
          mentor="mentor2@vandenberghe.demo")  # fmt: skip
    contract.refresh_from_db()
    assert len(contract.hours_basis) == 2
    assert (contract.start_date, contract.end_date) == (first.start_date, date(year + 1, 6, 30))
    # February between the two counts as zero hours: 22.5 × 245 / 273 days, still an OAO.
    assert (contract.contract_type, contract.workplace_hours_per_week) == ("OAO", Decimal("20.2"))
    autumn, spring = traject.placements.order_by("start_date")
    placement_delete(actor=user("coord@sintjozef.demo"), placement=autumn)
    contract.refresh_from_db()
    assert contract.start_date == date(year + 1, 3, 1) and len(contract.hours_basis) == 1
    # The last placement there goes: the concept stays as it was (its page says so).
    placement_delete(actor=user("coord@sintjozef.demo"), placement=spring)
    contract.refresh_from_db()
    assert contract.state == ContractState.CONCEPT and len(contract.hours_basis) == 1
