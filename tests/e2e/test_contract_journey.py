"""Issue 11's journey in a real Chromium on a 390 px phone: Noor Peeters' OAO goes from "ter
ondertekening" to "lopend" through the screens only.

The demo leaves her contract (Metaalbouw Vandenberghe, starting three weeks after seeding)
waiting for signatures, with Dimona and the risk analysis open. Here every party still missing
signs on the signing screen (reached from the contract page's "ondertekenen" link) with their
typed name and agreement; the contract becomes "getekend" and the school's coördinator registers
it; the owners close the blocking checklist items until nothing blocks the start; then the clock
is pinned to her start day, the daily job runs, and the contract and her traject are running.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from contracts import pdf
from contracts.models import (
    ChecklistItem,
    Contract,
    ContractState,
    PdfKind,
    Signature,
    SignatureMethod,
)
from contracts.services import lifecycle
from contracts.tasks import start_due_contracts
from duaal import demo
from duaal.models import AuditEntry
from partnerships.models import Student, TrajectStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NOOR = "leerling4@sintjozef.demo"
SCHOOL_COORD = "coord@sintjozef.demo"
COMPANY_COORD = "coord@vandenberghe.demo"
PARENT = "ouder2@sintjozef.demo"
# Who signs for each party of Noor's contract (partnerships.permissions.may_sign_contract).
SIGNER_OF = {"company": COMPANY_COORD, "parent": PARENT, "school": SCHOOL_COORD, "student": NOOR}
REFERENCE = "WDL-2026-004512"
COMPANY_ITEMS = ("dimona", "risicoanalyse")


def phone_page(browser, live_server, email: str):
    """A fresh phone browser with ``email`` logged in (its own cookies)."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="nl-BE"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def sign_as(browser, live_server, email: str, contract_url: str, party) -> str:
    """``email`` opens the contract page, follows "ondertekenen", and signs for ``party``
    with their full name; returns the SHA-256 the signing screen showed."""
    user = User.objects.get(email=email)
    page = phone_page(browser, live_server, email)
    try:
        page.goto(contract_url)
        expect(page.get_by_test_id("contract-state")).to_have_text("Ter ondertekening")
        page.get_by_test_id("sign-link").click()
        page.wait_for_url(re.compile(r"/contracts/[0-9a-f-]{36}/sign/$"))
        expect(page.get_by_role("heading", name="Onderteken het contract", level=1)).to_be_visible()
        shown_hash = page.get_by_test_id("pdf-hash").inner_text().strip()
        assert re.fullmatch(r"[0-9a-f]{64}", shown_hash), shown_hash
        form = page.get_by_test_id("sign-form")
        form.locator("[name=party]").select_option(str(party.pk))
        # Agreement first, the name left empty: refused beside the field, nothing signed.
        form.locator("[name=agree]").check()
        page.get_by_test_id("sign").click()
        expect(page.get_by_test_id("sign-form")).to_contain_text("Dit veld is verplicht")
        assert not Signature.objects.filter(party=party, voided_at__isnull=True).exists()
        form = page.get_by_test_id("sign-form")
        form.locator("[name=party]").select_option(str(party.pk))
        form.locator("[name=typed_name]").fill(user.full_name)
        form.locator("[name=agree]").check()
        fits_the_phone(page)
        page.get_by_test_id("sign").click()
        expect(page.locator(".messages")).to_contain_text(
            f"Je hebt het contract ondertekend voor {party.name}."
        )
        expect(page.get_by_test_id("parties")).to_contain_text(f"ondertekend door {user.full_name}")
        return shown_hash
    finally:
        page.context.close()


def test_noors_contract_is_signed_registered_cleared_and_runs_on_her_start_day(
    browser, live_server, demo_cast, time_machine
):
    student = Student.objects.get(email=NOOR)
    traject = student.trajects.get()
    contract = Contract.objects.get(traject=traject)
    assert contract.state == ContractState.TO_SIGN
    assert traject.status == TrajectStatus.INTAKE
    start = contract.start_date
    contract_url = reverse("contracts:contract", args=[traject.public_id, contract.public_id])
    missing = lifecycle.missing_signatures(contract)
    # The demo's promise: the company and her mother still have to sign.
    assert {party.role for party in missing} >= {"company", "parent"}
    parent_party = next(party for party in missing if party.role == "parent")
    assert parent_party.name == "Sofie Peeters"

    # --- 0. The school's coördinator sees what the contract waits for and what blocks it. ---
    coord = phone_page(browser, live_server, SCHOOL_COORD)
    coord.goto(contract_url)
    expect(coord.get_by_test_id("contract-state")).to_have_text("Ter ondertekening")
    waiting = coord.get_by_test_id("waiting-for")
    for party in missing:
        expect(waiting).to_contain_text(party.name)
    blocking = coord.get_by_test_id("contract-checklist").get_by_test_id("checklist-blocking")
    expect(blocking).to_contain_text("Dimona")
    expect(blocking).to_contain_text("Risicoanalyse")
    fits_the_phone(coord)

    # --- 1. Every party still missing signs on the signing screen (the school first if the
    # demo had not signed for it, the company, Noor, her mother last). ---
    order = {"school": 0, "company": 1, "student": 2, "parent": 3}
    shown: set[str] = set()
    for party in sorted(missing, key=lambda p: order[p.role]):
        shown.add(sign_as(browser, live_server, SIGNER_OF[party.role], contract_url, party))

    # --- 2. "Getekend"; the signatures are of the exact PDF shown; the coördinator registers.
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED
    to_sign = pdf.stored_pdf(contract, PdfKind.TO_SIGN)
    signed_pdf = pdf.stored_pdf(contract, PdfKind.SIGNED)
    assert to_sign is not None and signed_pdf is not None
    assert shown == {to_sign.sha256}
    assert pdf.sha256_of(pdf.verified_bytes(to_sign)) == to_sign.sha256
    pdf.verified_bytes(signed_pdf)  # raises when the kept signed PDF no longer hashes right
    online = Signature.objects.filter(
        contract=contract, voided_at__isnull=True, method=SignatureMethod.ONLINE
    )
    assert {s.party_id for s in online} == {party.pk for party in missing}
    assert {s.pdf_sha256 for s in online} == {to_sign.sha256}
    assert {s.contract_version for s in online} == {contract.version}
    assert all(s.typed_name and s.ip_address for s in online)
    assert not lifecycle.missing_signatures(contract)
    trail = AuditEntry.objects.filter(traject_id=traject.pk)
    # One trail entry per signature on the screen, each with the hash of the PDF signed.
    sign_entries = trail.filter(action="contract.sign", actor_id__in=[s.user_id for s in online])
    assert sign_entries.count() == len(missing)
    assert {entry.changes["pdf_sha256"][1] for entry in sign_entries} == {to_sign.sha256}
    last_sign = trail.filter(action="contract.sign").order_by("-at", "-id").first()
    assert last_sign.changes["signed_pdf_sha256"][1] == signed_pdf.sha256

    coord.goto(contract_url)
    expect(coord.get_by_test_id("contract-state")).to_have_text("Getekend")
    parties = coord.get_by_test_id("contract-parties")
    expect(parties.get_by_test_id("not-signed")).to_have_count(0)
    expect(parties.get_by_test_id("signed")).to_have_count(contract.parties.count())
    expect(coord.get_by_test_id("sign-link")).to_have_count(0)
    coord.get_by_test_id("register-contract").click()
    coord.wait_for_url(re.compile(r"/register/$"))
    # No reference: the loket's number is asked for, beside the field.
    coord.get_by_test_id("confirm").click()
    expect(coord.get_by_test_id("contract-form")).to_contain_text("Dit veld is verplicht")
    coord.locator("[name=registration_reference]").fill(REFERENCE)
    fits_the_phone(coord)
    coord.get_by_test_id("confirm").click()
    coord.wait_for_url(f"{live_server.url}{contract_url}")
    expect(coord.locator(".messages")).to_contain_text("Het contract is geregistreerd.")
    expect(coord.get_by_test_id("contract-state")).to_have_text("Geregistreerd")
    expect(coord.get_by_test_id("registration-reference")).to_contain_text(REFERENCE)
    contract.refresh_from_db()
    assert contract.state == ContractState.REGISTERED
    assert contract.registration_reference == REFERENCE
    assert trail.filter(action="contract.register", object_id=str(contract.pk)).exists()

    # Registered, but Dimona and the risk analysis are still open: the page says so.
    blocking = coord.get_by_test_id("contract-checklist").get_by_test_id("checklist-blocking")
    expect(blocking).to_contain_text("Dimona")
    expect(blocking).to_contain_text("Risicoanalyse")
    expect(coord.get_by_test_id("checklist-clear")).to_have_count(0)

    # --- 3. The company's coördinator closes Dimona and the risk analysis, with a date. ---
    today = timezone.localdate()  # the real day (Brussels): the clock is not pinned yet
    company = phone_page(browser, live_server, COMPANY_COORD)
    try:
        company.goto(contract_url)
        company.get_by_test_id("checklist-link").click()
        company.wait_for_url(re.compile(r"/checklist/$"))
        expect(company.get_by_role("heading", name="Startchecklist", level=1)).to_be_visible()
        for code in COMPANY_ITEMS:
            card = company.get_by_test_id(f"checklist-item-{code}")
            expect(card).to_contain_text("Blokkeert de start")
            card.locator(f"[name={code}-done_on]").fill(today.isoformat())
            if code == "dimona":
                card.locator(f"[name={code}-reference]").fill("DIM-0045120")
            fits_the_phone(company)
            card.get_by_test_id(f"done-{code}").click()
            expect(company.locator(".messages")).to_contain_text("is klaar")
            expect(company.get_by_test_id(f"checklist-item-{code}")).to_contain_text("Klaar op")
    finally:
        company.context.close()
    for code in COMPANY_ITEMS:
        item = ChecklistItem.objects.get(contract=contract, code=code)
        assert item.done_on == today, code
        assert item.done_by_id == User.objects.get(email=COMPANY_COORD).pk, code
        assert trail.filter(action="checklist.done", object_id=str(item.pk)).exists(), code

    # The school closes what is still its own and blocking (if anything), from its checklist.
    coord.goto(contract_url)
    coord.get_by_test_id("checklist-link").click()
    coord.wait_for_url(re.compile(r"/checklist/$"))
    for _round in range(10):  # each open blocking item the school may tick, one by one
        buttons = coord.locator("li.card", has_text="Blokkeert de start").locator(
            "[data-testid^=done-]"
        )
        if buttons.count() == 0:
            break
        code = buttons.first.get_attribute("data-testid").removeprefix("done-")
        card = coord.get_by_test_id(f"checklist-item-{code}")
        card.locator(f"[name={code}-done_on]").fill(today.isoformat())
        card.get_by_test_id(f"done-{code}").click()
        expect(coord.get_by_test_id(f"checklist-item-{code}")).to_contain_text("Klaar op")
    expect(coord.get_by_test_id("checklist-clear")).to_have_text("Niets houdt de start tegen.")
    coord.goto(contract_url)
    expect(coord.get_by_test_id("checklist-clear")).to_have_text("Niets houdt de start tegen.")
    expect(
        coord.get_by_test_id("contract-checklist").get_by_test_id("checklist-blocking")
    ).to_have_count(0)
    fits_the_phone(coord)

    # Before her start day the daily job leaves the contract registered.
    assert start > today
    start_due_contracts()
    contract.refresh_from_db()
    assert contract.state == ContractState.REGISTERED
    coord.context.close()

    # --- 4. Her start day: the daily job starts the contract, and with it the traject. ---
    time_machine.move_to(
        dt.datetime(start.year, start.month, start.day, 6, 30, tzinfo=ZoneInfo("Europe/Brussels")),
        tick=True,
    )
    assert start_due_contracts() >= 1
    contract.refresh_from_db()
    traject.refresh_from_db()
    assert contract.state == ContractState.RUNNING
    assert traject.status == TrajectStatus.RUNNING
    started = trail.filter(action="contract.start", object_id=str(contract.pk)).get()
    assert started.actor_kind == AuditEntry.ActorKind.SYSTEM

    # A new day, a new login (yesterday's session has expired).
    coord = phone_page(browser, live_server, SCHOOL_COORD)
    try:
        coord.goto(reverse("partnerships:traject_detail", args=[traject.public_id]))
        expect(coord.get_by_test_id("traject-status")).to_have_text("Lopend")
        link = coord.get_by_test_id("traject-contracts").get_by_test_id("contract-link")
        expect(link).to_have_text(re.compile(r"^OAO \(.*\) – Metaalbouw Vandenberghe: Lopend$"))
        fits_the_phone(coord)
        link.click()
        coord.wait_for_url(f"{live_server.url}{contract_url}")
        expect(coord.get_by_test_id("contract-state")).to_have_text("Lopend")
        expect(coord.get_by_test_id("steps").locator("[aria-current=step]")).to_have_text("Lopend")
        expect(coord.get_by_test_id("registration-reference")).to_contain_text(REFERENCE)
        fits_the_phone(coord)
    finally:
        coord.context.close()
