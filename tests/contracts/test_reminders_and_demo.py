"""The contracts' reminders (contracts/reminders.py) with the clock pinned, and Noor Peeters'
place in the demo (contracts/demo.py): her OAO out for signing, waiting for the company and
her mother."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from accounts.models import User
from contracts.demo import NOOR, NOOR_STARTS_AFTER
from contracts.models import Contract, ContractState, PartyRole, SignatureMethod
from contracts.reminders import ContractSuspendedLong, ContractUnsigned
from contracts.services import lifecycle
from notifications.models import DeliveryStatus, Reminder
from notifications.registry import rules
from partnerships.models import TrajectStatus
from partnerships.selectors.mentors import mentor_max_students, with_mentor_load
from tests.contracts.support import user

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BRUSSELS)


def noors_contract() -> Contract:
    return Contract.objects.select_related("traject__student", "company").get(
        traject__student__user__email=NOOR
    )


def emails(candidates, contract: Contract) -> set[str]:
    ids = {c.recipient_id for c in candidates if c.subject_id == contract.pk}
    return set(User.objects.filter(pk__in=ids).values_list("email", flat=True))


def test_noor_waits_for_the_company_and_her_mother(demo_cast):
    contract = noors_contract()
    traject = contract.traject
    assert traject.student.full_name == "Noor Peeters"
    assert traject.student.school_class.name == "6 LAS"
    assert traject.partnership.name == "Lassen-Constructie duaal"
    assert traject.status == TrajectStatus.INTAKE  # she has not started yet
    assert contract.company.name == "Metaalbouw Vandenberghe"
    assert contract.contract_type == "OAO" and contract.state == ContractState.TO_SIGN
    seeded_on = contract.created_at.astimezone(BRUSSELS).date()
    assert contract.start_date == seeded_on + NOOR_STARTS_AFTER
    roles = sorted(contract.parties.values_list("role", flat=True))
    assert roles == ["company", "parent", "school", "student"]
    signed = {
        s.party.role: s.user.email
        for s in contract.signatures.filter(voided_at__isnull=True).select_related("party", "user")
    }
    assert signed == {PartyRole.SCHOOL: "coord@sintjozef.demo", PartyRole.STUDENT: NOOR}
    assert set(contract.signatures.values_list("method", flat=True)) == {SignatureMethod.TAKEN_OVER}
    waiting = {p.role: p.name for p in lifecycle.missing_signatures(contract)}
    assert waiting == {
        PartyRole.COMPANY: "Metaalbouw Vandenberghe",
        PartyRole.PARENT: "Sofie Peeters",
    }
    parent = traject.student.contacts.get()
    assert parent.user.email == "ouder2@sintjozef.demo"
    # Her mentor stays within the sector's limit.
    mentor = user("mentor@vandenberghe.demo")
    placement = traject.placements.get()
    assert list(placement.supervisors.values_list("user__email", flat=True)) == [mentor.email]
    loaded = with_mentor_load(
        User.objects.filter(pk=mentor.pk), partnership=traject.partnership, on=placement.start_date
    ).get()
    assert 2 <= loaded.mentor_load <= mentor_max_students(company=contract.company)


def test_the_demo_adds_noor_only_once(demo_cast):
    from contracts.demo import noor

    before = noors_contract()
    noor(password="x")
    assert Contract.objects.filter(traject__student__user__email=NOOR).count() == 1
    after = noors_contract()
    assert after.version == before.version and after.signatures.count() == 2


def test_unsigned_contract_reminds_the_missing_parties_14_7_and_3_days_before(demo_cast, sweep):
    rule = ContractUnsigned()
    contract = noors_contract()
    start = contract.start_date
    assert emails(rule.evaluate(now=at(start - dt.timedelta(days=15))), contract) == set()
    found = [
        c
        for c in rule.evaluate(now=at(start - dt.timedelta(days=14)))
        if c.subject_id == contract.pk
    ]
    # The company's coordinator (company party) and Sofie (parent); not the school or Noor.
    assert emails(found, contract) == {"coord@vandenberghe.demo", "ouder2@sintjozef.demo"}
    assert {(c.due_date, c.lead_days) for c in found} == {(start, 14)}
    for days, lead in ((10, 14), (7, 7), (5, 7), (3, 3), (0, 3)):
        leads = {
            c.lead_days
            for c in rule.evaluate(now=at(start - dt.timedelta(days=days)))
            if c.subject_id == contract.pk
        }
        assert leads == {lead}, days
    assert emails(rule.evaluate(now=at(start + dt.timedelta(days=1))), contract) == set()
    # Sweeps on the 14th, 10th, 7th and 3rd day: three reminders per person, each sent once.
    for days in (14, 10, 7, 3):
        sweep(at(start - dt.timedelta(days=days)))
    rows = Reminder.objects.filter(rule="contract_unsigned", subject_id=contract.pk)
    assert sorted(rows.values_list("lead_days", flat=True)) == [3, 3, 7, 7, 14, 14]
    assert set(rows.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    to_sofie = [m for m in mail.outbox if m.to == ["ouder2@sintjozef.demo"]]
    assert len(to_sofie) == 3
    assert to_sofie[0].subject.startswith("Onderteken het contract van Noor Peeters")
    # Once the company signs, only Sofie is left.
    party = contract.parties.get(role=PartyRole.COMPANY)
    lifecycle.record_signature(
        contract=contract, party=party, user=user("coord@vandenberghe.demo"),
        typed_name="Coördinator", pdf_sha256="", ip_address=None, version=contract.version,
        method=SignatureMethod.TAKEN_OVER,
    )  # fmt: skip
    later = rule.evaluate(now=at(start - dt.timedelta(days=2)))
    assert emails(later, contract) == {"ouder2@sintjozef.demo"}


def test_a_school_party_reminds_the_school_coordinator_and_a_student_her_account(demo_cast):
    contract = noors_contract()
    for signature in contract.signatures.all():
        signature.delete()  # as if nobody had signed yet
    found = ContractUnsigned().evaluate(now=at(contract.start_date - dt.timedelta(days=7)))
    assert emails(found, contract) == {
        "coord@vandenberghe.demo",
        "coord@sintjozef.demo",
        "ouder2@sintjozef.demo",
        NOOR,
    }


def test_a_suspension_without_end_reminds_the_school_after_14_days(demo_cast, sweep):
    rule = ContractSuspendedLong()
    contract = Contract.objects.get(traject__student__first_name="Lotte")
    today = dt.date.today()
    lifecycle.contract_suspend(
        actor=user("coord@sintjozef.demo"), contract=contract, version=None,
        on=today, reason="Ziekte",
    )  # fmt: skip
    assert emails(rule.evaluate(now=at(today + dt.timedelta(days=13))), contract) == set()
    found = rule.evaluate(now=at(today + dt.timedelta(days=14)))
    # The school's coordinator and trajectbegeleider; no company, no student, no parent.
    assert emails(found, contract) == {"coord@sintjozef.demo", "tb@sintjozef.demo"}
    assert {c.due_date for c in found if c.subject_id == contract.pk} == {
        today + dt.timedelta(days=14)
    }
    sweep(at(today + dt.timedelta(days=14)))
    sweep(at(today + dt.timedelta(days=20)))
    assert (
        Reminder.objects.filter(rule="contract_suspended_long", subject_id=contract.pk).count() == 2
    )
    # Resumed: nothing is asked any more.
    contract.refresh_from_db()
    lifecycle.contract_resume(actor=user("coord@sintjozef.demo"), contract=contract, version=None)
    assert emails(rule.evaluate(now=at(today + dt.timedelta(days=21))), contract) == set()


def test_the_rules_are_registered_with_dutch_labels():
    from django.utils import translation

    with translation.override("nl-be"):
        assert str(rules["contract_unsigned"].label) == "Contract nog niet ondertekend"
        assert str(rules["contract_suspended_long"].label) == "Contract al twee weken geschorst"
