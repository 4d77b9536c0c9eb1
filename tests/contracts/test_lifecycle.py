"""The contract's lifecycle services: transitions, parties, signatures voided by a change,
optimistic locking, the start (and the traject with it), suspension and the end — each event
ONE entry in the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contracts import checklist
from contracts.checklist import BlockingItem
from contracts.models import Contract, ContractState, PartyRole, Signature
from contracts.services import lifecycle
from duaal.models import AuditEntry
from partnerships.models import Placement, StudentContact, Traject
from partnerships.services.trajects import student_contact_add, traject_update
from tests.contracts.support import (
    a1,
    company,
    complete_checklist,
    new_traject,
    place,
    shown,
    user,
)

pytestmark = pytest.mark.django_db

MINOR = date(2010, 5, 5)
ADULT = date(2005, 5, 5)


def concept(
    first_name: str = "Nina",
    *,
    birth_date: date = MINOR,
    parent: str | None = "Ouder",
    mentor: str = "mentor@vandenberghe.demo",
):
    traject = new_traject(first_name, birth_date=birth_date, parent=parent)
    year = a1().school_year
    place(traject, start=date(year, 10, 1), end=date(year + 1, 6, 30), hours="22.5", mentor=mentor)
    contract = lifecycle.contract_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=company("Metaalbouw Vandenberghe"),
        leervergoeding_category=1,
    )
    return traject, contract


def sign_all(contract: Contract) -> None:
    for party in contract.parties.all():
        contract.refresh_from_db()
        lifecycle.record_signature(
            contract=contract,
            party=party,
            user=None,
            typed_name=party.name,
            pdf_sha256=shown(contract),
            ip_address="192.0.2.7",
            version=contract.version,
        )


def registered(first_name: str = "Nina", *, ready: bool = True, **kwargs) -> Contract:
    _traject, contract = concept(first_name, **kwargs)
    coord = user("coord@sintjozef.demo")
    contract = lifecycle.contract_send_for_signing(
        actor=coord, contract=contract, version=contract.version
    )
    sign_all(contract)
    contract.refresh_from_db()
    contract = lifecycle.contract_register(
        actor=coord, contract=contract, version=contract.version, reference="WPD-2026-0042"
    )
    if ready:  # the start checklist in order (tests/contracts/test_checklist.py tests it)
        complete_checklist(contract)
    return contract


def entries(action: str, contract: Contract) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_id=str(contract.pk)).order_by("pk"))


def test_a_placement_leaves_the_traject_in_intake_and_a_concept_follows_from_its_hours(
    demo_cast,
):
    traject, contract = concept()
    traject.refresh_from_db()
    assert traject.status == "intake"
    assert (contract.state, contract.contract_type) == ("concept", "OAO")
    assert str(contract.workplace_hours_per_week) == "22.5"
    assert contract.start_date == date(a1().school_year, 10, 1)
    assert contract.leervergoeding_category == 1
    assert contract.hours_basis[0]["hours_per_week"] == "22.5"
    assert len(entries("contract.create", contract)) == 1
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_create(
            actor=user("coord@sintjozef.demo"),
            traject=traject,
            company=company("Metaalbouw Vandenberghe"),
        )
    assert error.value.code == "duplicate"


def test_no_contract_without_a_placement_at_that_company(demo_cast):
    traject = new_traject("Zonder", birth_date=ADULT)
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_create(
            actor=user("coord@sintjozef.demo"),
            traject=traject,
            company=company("Koeltechniek Daems"),
        )
    assert error.value.code == "no_placement"


def test_the_parent_of_a_minor_is_a_party_the_parent_of_an_adult_is_not(demo_cast):
    mina, minor = concept("Mina", birth_date=MINOR, parent="Ouder van Mina")
    assert sorted(minor.parties.values_list("role", flat=True)) == sorted(
        ["company", "school", "student", "parent"]
    )
    assert minor.parties.get(role=PartyRole.PARENT).name == "Ouder van Mina"
    start = minor.start_date
    # The mentor also guides Lotte and Noor (demo): free Mina's place within the limit of 3.
    mina.delete()
    _traject, adult = concept("Adam", birth_date=ADULT, parent="Ouder van Adam")
    assert sorted(adult.parties.values_list("role", flat=True)) == sorted(
        ["company", "school", "student"]
    )
    # Minor on the START date decides: eighteen the day after the start is still a minor.
    almost = date(start.year - 18, start.month, start.day) + timedelta(days=1)
    _traject, turning = concept(
        "Tess", birth_date=almost, parent="Ouder van Tess", mentor="mentor2@vandenberghe.demo"
    )
    assert turning.parties.filter(role=PartyRole.PARENT).exists()


def test_a_minor_without_a_parent_on_record_cannot_be_sent_for_signing(demo_cast):
    traject, contract = concept("Solo", parent=None)
    coord = user("coord@sintjozef.demo")
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    assert error.value.code == "parent_missing"
    student_contact_add(actor=coord, student=traject.student, full_name="Mama", relation="parent")
    contract = lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    assert contract.state == "to_sign"
    assert contract.parties.filter(role=PartyRole.PARENT, name="Mama").exists()


def test_every_party_signs_then_the_contract_is_signed(demo_cast):
    _traject, contract = concept()
    coord = user("coord@sintjozef.demo")
    contract = lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    parties = list(contract.parties.all())
    for party in parties[:-1]:
        lifecycle.record_signature(
            contract=contract,
            party=party,
            user=None,
            typed_name=f"  {party.name} ",
            pdf_sha256=shown(contract),
            ip_address="192.0.2.7",
            version=contract.version,
        )
        contract.refresh_from_db()
        assert contract.state == "to_sign"
    with pytest.raises(ValidationError) as error:
        lifecycle.record_signature(
            contract=contract,
            party=parties[0],
            user=None,
            typed_name="Again",
            pdf_sha256=shown(contract),
            ip_address=None,
            version=contract.version,
        )
    assert error.value.code == "already_signed"
    with pytest.raises(ValidationError) as error:
        lifecycle.record_signature(
            contract=contract,
            party=parties[-1],
            user=None,
            typed_name="Name",
            pdf_sha256="not-a-hash",
            ip_address=None,
            version=contract.version,
        )
    assert error.value.code == "pdf_hash"
    lifecycle.record_signature(
        contract=contract,
        party=parties[-1],
        user=None,
        typed_name=parties[-1].name,
        pdf_sha256=shown(contract),
        ip_address="192.0.2.7",
        version=contract.version,
    )
    contract.refresh_from_db()
    assert contract.state == "signed"
    signature = Signature.objects.get(party=parties[0])
    assert (signature.typed_name, signature.pdf_sha256, signature.ip_address) == (
        parties[0].name,
        shown(contract),
        "192.0.2.7",
    )
    signed = entries("contract.sign", contract)
    assert len(signed) == len(parties)
    # The last signature and the state change are one event.
    assert signed[-1].changes["state"] == ["to_sign", "signed"]


def test_a_change_after_a_signature_voids_all_signatures_with_a_visible_reason(demo_cast):
    _traject, contract = concept()
    coord = user("coord@sintjozef.demo")
    contract = lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    sign_all(contract)
    contract.refresh_from_db()
    assert contract.state == "signed"
    version = contract.version
    contract = lifecycle.contract_update(
        actor=coord,
        contract=contract,
        version=version,
        data={"end_date": contract.end_date - timedelta(days=30)},
    )
    assert contract.state == "to_sign" and contract.version == version + 1
    assert not Signature.objects.filter(contract=contract, voided_at__isnull=True).exists()
    voided = Signature.objects.filter(contract=contract)
    assert voided.count() == contract.parties.count()
    assert {s.void_reason for s in voided} == {
        "Het contract is na deze handtekening gewijzigd (einddatum): onderteken het opnieuw."
    }
    [entry] = entries("contract.update", contract)
    assert entry.changes["signatures_voided"] == [0, voided.count()]
    assert entry.changes["state"] == ["signed", "to_sign"]
    # The parties sign the new version.
    sign_all(contract)
    contract.refresh_from_db()
    assert contract.state == "signed"
    assert set(
        Signature.objects.filter(voided_at__isnull=True)
        .filter(contract=contract)
        .values_list("contract_version", flat=True)
    ) == {version + 1}


def test_a_stale_version_is_refused(demo_cast):
    _traject, contract = concept()
    coord = user("coord@sintjozef.demo")
    lifecycle.contract_update(
        actor=coord, contract=contract, version=1, data={"leervergoeding_category": 2}
    )
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_update(
            actor=coord, contract=contract, version=1, data={"leervergoeding_category": 3}
        )
    assert error.value.code == "stale"
    contract.refresh_from_db()
    assert contract.leervergoeding_category == 2


def test_invalid_transitions_are_refused_in_dutch(demo_cast):
    _traject, contract = concept()
    coord = user("coord@sintjozef.demo")
    with translation.override("nl-be"), pytest.raises(ValidationError) as error:
        lifecycle.contract_register(actor=coord, contract=contract, version=1, reference="X")
    assert error.value.code == "invalid_transition"
    assert "Een contract dat “Concept” is, kan niet geregistreerd worden." in error.value.messages
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_suspend(
            actor=coord, contract=contract, version=1, on=date.today(), reason="x"
        )
    assert error.value.code == "invalid_transition"
    contract.refresh_from_db()
    assert (contract.state, contract.version) == ("concept", 1)


def test_registration_needs_a_reference(demo_cast):
    _traject, contract = concept()
    coord = user("coord@sintjozef.demo")
    lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    sign_all(contract)
    contract.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_register(
            actor=coord, contract=contract, version=contract.version, reference="  "
        )
    assert "registration_reference" in error.value.message_dict
    contract = lifecycle.contract_register(
        actor=coord, contract=contract, version=contract.version, reference=" WPD 42 "
    )
    assert (contract.state, contract.registration_reference) == ("registered", "WPD 42")


def test_the_traject_runs_when_its_first_contract_starts(demo_cast):
    contract = registered()
    traject = contract.traject
    start = contract.start_date
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_start(
            actor=None, contract=contract, version=None, today=start - timedelta(days=1)
        )
    assert error.value.code == "not_yet"
    assert lifecycle.start_due_contracts(start - timedelta(days=1)) == []
    traject.refresh_from_db()
    assert traject.status == "intake"

    started = lifecycle.start_due_contracts(start)
    assert [c.pk for c in started] == [contract.pk]
    contract.refresh_from_db()
    traject.refresh_from_db()
    assert (contract.state, traject.status) == ("running", "running")
    [entry] = entries("contract.start", contract)
    assert entry.changes["traject_status"] == ["intake", "running"]
    assert entry.actor_kind == AuditEntry.ActorKind.SYSTEM  # the daily job
    # Running it again changes nothing.
    assert lifecycle.start_due_contracts(start) == []


def test_an_open_blocking_item_holds_the_start(demo_cast, monkeypatch):
    contract = registered()
    item = BlockingItem(code="dimona", label="Dimona", owner="Koeltechniek")
    monkeypatch.setattr(lifecycle, "blocking_items", lambda c: [item])
    assert lifecycle.start_due_contracts(contract.start_date) == []
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_start(
            actor=None, contract=contract, version=None, today=contract.start_date
        )
    assert error.value.code == "blocked" and "Dimona (Koeltechniek)" in error.value.messages[0]
    monkeypatch.setattr(lifecycle, "blocking_items", checklist.blocking_items)
    assert [c.pk for c in lifecycle.start_due_contracts(contract.start_date)] == [contract.pk]


def test_suspending_pauses_the_placement_and_resuming_goes_on(demo_cast):
    contract = registered()
    lifecycle.start_due_contracts(contract.start_date)
    coord = user("coord@sintjozef.demo")
    contract.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_suspend(
            actor=coord, contract=contract, version=contract.version, on=date.today(), reason=""
        )
    assert "suspension_reason" in error.value.message_dict
    on = contract.start_date + timedelta(days=20)
    contract = lifecycle.contract_suspend(
        actor=coord, contract=contract, version=contract.version, on=on, reason="Ziekte"
    )
    placement = Placement.objects.get(traject=contract.traject)
    assert (contract.state, contract.suspended_on, placement.suspended_on) == (
        "suspended",
        on,
        on,
    )
    contract = lifecycle.contract_resume(actor=coord, contract=contract, version=contract.version)
    placement.refresh_from_db()
    assert (contract.state, contract.suspended_on, placement.suspended_on) == (
        "running",
        None,
        None,
    )
    assert entries("contract.suspend", contract)[0].changes["placements_paused"] == [0, 1]


def test_ending_early_needs_a_date_and_a_reason_and_ends_the_placement(demo_cast):
    contract = registered()
    lifecycle.start_due_contracts(contract.start_date)
    coord = user("coord@sintjozef.demo")
    contract.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_end(
            actor=coord,
            contract=contract,
            version=contract.version,
            on=contract.start_date,
            reason=" ",
            early=True,
        )
    assert "end_reason" in error.value.message_dict
    on = contract.start_date + timedelta(days=40)
    contract = lifecycle.contract_end(
        actor=coord,
        contract=contract,
        version=contract.version,
        on=on,
        reason="Andere richting gekozen",
        early=True,
    )
    assert (contract.state, contract.ended_on, contract.end_reason) == (
        "ended_early",
        on,
        "Andere richting gekozen",
    )
    assert Placement.objects.get(traject=contract.traject).end_date == on
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_resume(actor=coord, contract=contract, version=contract.version)
    assert error.value.code == "invalid_transition"


def test_stopping_the_traject_ends_its_running_contract_in_one_audit_entry(demo_cast):
    contract = registered()
    lifecycle.start_due_contracts(contract.start_date)
    traject = Traject.objects.get(pk=contract.traject_id)
    on = contract.start_date + timedelta(days=10)
    before = AuditEntry.objects.count()
    with translation.override("nl-be"):
        traject_update(
            actor=user("coord@sintjozef.demo"),
            traject=traject,
            data={"status": "stopped", "end_reason": "Stopt met de opleiding", "ended_on": on},
        )
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "traject.end"
    assert entry.changes["status"] == ["running", "stopped"]
    assert entry.changes["contracts"] == [
        ["Metaalbouw Vandenberghe: Lopend"],
        [f"Metaalbouw Vandenberghe: Vroegtijdig beëindigd ({on:%d/%m/%Y})"],
    ]
    contract.refresh_from_db()
    assert (contract.state, contract.ended_on, contract.end_reason) == (
        "ended_early",
        on,
        "Stopt met de opleiding",
    )
    assert Placement.objects.get(traject=traject).end_date == on
    traject.refresh_from_db()
    assert traject.ended_on == on


def test_completing_the_traject_ends_the_contract_normally(demo_cast):
    contract = registered()
    lifecycle.start_due_contracts(contract.start_date)
    traject = Traject.objects.get(pk=contract.traject_id)
    traject_update(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        data={"status": "completed", "end_reason": "Diploma behaald", "ended_on": None},
    )
    contract.refresh_from_db()
    assert contract.state == "ended" and contract.end_reason == "Diploma behaald"


def test_the_demo_cast_has_signed_running_contracts(demo_cast):
    contracts = {
        c.traject.student.first_name: c
        for c in Contract.objects.select_related("traject__student")
        .filter(
            traject__partnership__name__in=[
                "Lassen-Constructie duaal",
                "Elektromechanische technieken duaal",
            ]
        )
        .exclude(traject__student__first_name="Noor")  # out for signing: test_reminders_and_demo
    }
    assert {name: c.contract_type for name, c in contracts.items()} == {
        "Lotte": "OAO",
        "Mohamed": "OAO",
        "Jonas": "OAO",
        "Emma": "SOAO",
    }
    assert all(c.state == ContractState.RUNNING and c.taken_over for c in contracts.values())
    assert str(contracts["Emma"].workplace_hours_per_week) == "8.0"
    # Lotte is a minor: her mother signed too; Mohamed is an adult.
    assert contracts["Lotte"].parties.filter(role="parent", name="Katrien Janssens").exists()
    assert not contracts["Mohamed"].parties.filter(role="parent").exists()
    for contract in contracts.values():
        assert not lifecycle.missing_signatures(contract)
        assert contract.signatures.filter(method="taken_over").count() == contract.parties.count()
    assert StudentContact.objects.filter(student__first_name="Lotte").exists()


def test_rederiving_after_a_placement_change_can_turn_an_oao_into_an_soao(demo_cast):
    traject, contract = concept()
    placement = traject.placements.get()
    Placement.objects.filter(pk=placement.pk).update(workplace_hours_per_week=16)
    contract = lifecycle.contract_update(
        actor=user("coord@sintjozef.demo"), contract=contract, version=1, rederive_hours=True
    )
    assert (contract.contract_type, contract.leervergoeding_category) == ("SOAO", None)
    assert contract.hours_basis[0]["hours_per_week"] == "16.0"
    [entry] = entries("contract.update", contract)
    assert entry.changes["contract_type"] == ["OAO", "SOAO"]
    assert entry.changes["workplace_hours_per_week"] == ["22.5", "16.0"]
    assert "hours_basis" not in entry.changes
