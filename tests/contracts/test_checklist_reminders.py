"""The start checklist's reminders (contracts/reminders.py) with the clock pinned: an item due
within a week to its owner, and a risk analysis to renew a month before its year ends — who
gets them, when, and that they stop once the item is done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.models import User
from contracts.models import ChecklistItem, Contract
from contracts.reminders import ChecklistItemDue, RisicoanalyseRenewal
from contracts.services import checklist as services
from notifications.models import DeliveryStatus, Reminder
from notifications.registry import rules
from tests.contracts.support import a1, user
from tests.contracts.test_lifecycle import registered
from tests.contracts.test_reminders_and_demo import at

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def noors_contract() -> Contract:
    return Contract.objects.select_related("traject__student").get(
        traject__student__first_name="Noor"
    )


def item(contract: Contract, code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(contract=contract, code=code)


def owners(candidates, contract: Contract) -> dict[str, set[str]]:
    """{item code: e-mail addresses} of the candidates about ``contract``'s items."""
    codes = dict(ChecklistItem.objects.filter(contract=contract).values_list("pk", "code"))
    emails = dict(User.objects.values_list("pk", "email"))
    found: dict[str, set[str]] = {}
    for candidate in candidates:
        if candidate.subject_id in codes:
            found.setdefault(codes[candidate.subject_id], set()).add(emails[candidate.recipient_id])
    return found


def test_an_open_item_reminds_its_owner_a_week_before_and_on_its_due_date(demo_cast):
    rule = ChecklistItemDue()
    contract = noors_contract()
    start = contract.start_date  # Dimona, welcome, work clothes; the others the day before
    assert owners(rule.evaluate(now=at(start - 9 * DAY)), contract) == {}
    # A week before the day before the start: the items due then, to their owners only.
    assert owners(rule.evaluate(now=at(start - 8 * DAY)), contract) == {
        "registered": {"coord@sintjozef.demo"},  # RACI "Opmaken contracten": the school
        "risicoanalyse": {"coord@vandenberghe.demo"},  # "Opmaken werkpostfiche": the company
    }
    week = owners(rule.evaluate(now=at(start - 7 * DAY)), contract)
    assert week == {
        "registered": {"coord@sintjozef.demo"},
        "risicoanalyse": {"coord@vandenberghe.demo"},
        "dimona": {"coord@vandenberghe.demo"},  # the employer's declaration
        "onthaal": {"mentor@vandenberghe.demo"},  # RACI "Onthaal": the mentor
        "werkkledij": {"coord@sintjozef.demo"},  # no RACI task: the school's coördinator
    }
    # Done items (intake, afsprakenkader, health, insurance) and "signed" (the parties get
    # contract_unsigned) are never reminded; nor the student, the parents or the directie.
    leads = {
        (c.subject_id, c.lead_days, c.due_date)
        for c in rule.evaluate(now=at(start))
        if c.subject_id == item(contract, "dimona").pk
    }
    assert leads == {(item(contract, "dimona").pk, 0, start)}
    assert "risicoanalyse" not in owners(rule.evaluate(now=at(start)), contract)  # past due
    assert owners(rule.evaluate(now=at(start + DAY)), contract) == {}


def test_a_done_item_is_not_reminded_and_another_owner_is(demo_cast):
    rule = ChecklistItemDue()
    contract = noors_contract()
    start = contract.start_date
    dimona = item(contract, "dimona")
    services.item_mark_done(
        actor=user("coord@vandenberghe.demo"), item=dimona, version=dimona.version,
        done_on=start - 10 * DAY, today=start - 10 * DAY, reference="DIMONA-1",
    )  # fmt: skip
    services.owner_set(
        actor=user("coord@sintjozef.demo"),
        partnership=a1(),
        code="werkkledij",
        role="coordinator_bedrijf",
    )
    found = owners(rule.evaluate(now=at(start - 3 * DAY)), contract)
    assert "dimona" not in found
    assert found["werkkledij"] == {"coord@vandenberghe.demo"}
    # The owner may be the student herself.
    services.owner_set(
        actor=user("coord@sintjozef.demo"), partnership=a1(), code="onthaal", role="leerling"
    )
    assert owners(rule.evaluate(now=at(start - 3 * DAY)), contract)["onthaal"] == {
        "leerling4@sintjozef.demo"
    }


def test_the_sweep_mails_the_owner_once_per_lead_with_a_link_to_the_item(demo_cast, sweep):
    contract = noors_contract()
    start = contract.start_date
    for days in (7, 6, 0):
        sweep(at(start - days * DAY))
    dimona = item(contract, "dimona")
    rows = Reminder.objects.filter(rule="checklist_item_due", subject_id=dimona.pk)
    assert sorted(rows.values_list("lead_days", flat=True)) == [0, 7]
    assert set(rows.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    to_company = [
        m for m in mail.outbox if m.to == ["coord@vandenberghe.demo"] and "Dimona" in m.subject
    ]
    assert len(to_company) == 2
    assert "Noor Peeters" in to_company[0].subject
    assert "#item-dimona" in to_company[0].body
    assert "is nog open" in to_company[0].body


def _risk_analysis_done(contract: Contract, on: dt.date) -> ChecklistItem:
    row = item(contract, "risicoanalyse")
    if row.done_on is not None:
        row = services.item_reopen(
            actor=user("coord@vandenberghe.demo"), item=row, version=row.version
        )
    return services.item_mark_done(
        actor=user("coord@vandenberghe.demo"), item=row, version=row.version, done_on=on,
        today=on,
    )  # fmt: skip


def test_a_risk_analysis_is_renewed_a_month_before_its_year_ends(demo_cast, sweep):
    rule = RisicoanalyseRenewal()
    contract = registered(ready=False)  # 1 October – 30 June
    year = a1().school_year
    made = dt.date(year, 6, 15)  # the June before: renewal due within the contract
    _risk_analysis_done(contract, made)
    renewal = made + dt.timedelta(days=365)
    assert owners(rule.evaluate(now=at(renewal - 31 * DAY)), contract) == {}
    found = [
        c for c in rule.evaluate(now=at(renewal - 30 * DAY)) if c.traject_id == contract.traject_id
    ]
    assert owners(found, contract) == {"risicoanalyse": {"coord@vandenberghe.demo"}}
    assert {(c.due_date, c.lead_days) for c in found} == {(renewal, 30)}
    sweep(at(renewal - 30 * DAY))
    sweep(at(renewal - 20 * DAY))
    rows = Reminder.objects.filter(rule="risicoanalyse_renewal", subject_id=found[0].subject_id)
    assert rows.count() == 1 and rows.get().status == DeliveryStatus.SENT
    [message] = [m for m in mail.outbox if "risicoanalyse" in m.subject.lower()]
    assert message.to == ["coord@vandenberghe.demo"]
    # Renewed: the new analysis is valid for a year, nothing is asked any more.
    _risk_analysis_done(contract, renewal - 10 * DAY)
    assert owners(rule.evaluate(now=at(renewal - 10 * DAY)), contract) == {}
    assert owners(rule.evaluate(now=at(renewal)), contract) == {}


def test_no_renewal_after_the_contract_ends(demo_cast):
    rule = RisicoanalyseRenewal()
    contract = registered(ready=False)  # ends 30 June
    made = dt.date(a1().school_year, 9, 1)  # renewal due 1 September, after the end
    _risk_analysis_done(contract, made)
    renewal = made + dt.timedelta(days=365)
    assert owners(rule.evaluate(now=at(renewal - 30 * DAY)), contract) == {}


def test_the_rules_are_registered_with_dutch_labels():
    from django.utils import translation

    with translation.override("nl-be"):
        assert str(rules["checklist_item_due"].label) == "Punt van de startchecklist vervalt"
        assert str(rules["risicoanalyse_renewal"].label) == "Risicoanalyse te vernieuwen"
