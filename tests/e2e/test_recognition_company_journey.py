"""Issue 12, the company's side, in a real Chromium on a 390 px phone: the company's
coördinator records a newly invited mentor's profile (the mentor becomes eligible), then files a
recognition request naming them and submits it; and the school's placement form shows each
candidate mentor's unmet rules in full, readable on the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from organisations.models import Membership, Organisation
from partnerships.models import Partnership, TeamMember, TeamRole, Traject
from recognition.models import Recognition, RecognitionStatus
from tests.e2e.test_accessibility import AXE, _check_page
from tests.e2e.test_layout import PHONE, _open

pytestmark = pytest.mark.browser

MENTOR_NAME = "Nele Verhoeven"
MENTOR_EMAIL = "nele@vandenberghe.test"


def _new_mentor_in_a1() -> User:
    """A mentor who just accepted an invitation into A1's team for Vandenberghe: no profile."""
    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    mentor = User.objects.create_user(email=MENTOR_EMAIL, full_name=MENTOR_NAME)
    Membership.objects.create(user=mentor, organisation=company, job_title="Mentor")
    a1 = Partnership.objects.get(name="Lassen-Constructie duaal", school__name__contains="Sint")
    TeamMember.objects.create(
        partnership=a1, user=mentor, role=TeamRole.MENTOR, organisation=company
    )
    return mentor


def _fits_the_phone(locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_a_coordinator_makes_a_new_mentor_eligible_and_files_a_request(
    browser, live_server, demo_cast
):
    mentor = _new_mentor_in_a1()
    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    context, page = _open(browser, live_server, "coord@vandenberghe.demo", PHONE)
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    try:
        # The coördinator's forms pass axe and fit the phone (before anything is filled in).
        pages = {
            "mentor profile": f"/organisations/{company.public_id}/mentors/{mentor.public_id}/profile/",
            "new request": f"/organisations/{company.public_id}/recognitions/new/",
        }
        problems = [
            p for name, path in pages.items() for p in _check_page(page, name, path, True, [])
        ]
        assert problems == [], "\n".join(problems)
        page.goto(f"/organisations/{company.public_id}/students/")
        row = page.get_by_test_id("mentor-row").filter(has_text=MENTOR_NAME)
        expect(row.get_by_test_id("mentor-eligibility")).to_contain_text("Nog niet geschikt")
        row.get_by_test_id("mentor-profile-link").click()
        page.wait_for_url(f"**/mentors/{mentor.public_id}/profile/")
        reasons = page.get_by_test_id("unmet").locator("li")
        expect(reasons).to_have_count(1)
        expect(reasons.first).to_contain_text("heeft nog geen mentorprofiel")
        _fits_the_phone(reasons.first)

        form = page.get_by_test_id("mentor-profile-form")
        form.locator("[name=birth_date]").fill("1986-03-02")
        form.locator("[name=experience_years]").fill("11")
        form.locator("[name=extract_status]").select_option("clean")
        issued = timezone.localdate() - timedelta(days=20)
        form.locator("[name=extract_issued_on]").fill(issued.isoformat())
        form.get_by_role("button", name="Profiel bewaren").click()
        expect(page.get_by_test_id("eligibility-status")).to_have_text("Geschikt als mentor")
        expect(page.get_by_test_id("extract-checked")).to_contain_text("Nathalie Vandenberghe")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # --- The request: Genk for Mechanische vormgeving, naming the new mentor. ---
        page.goto(f"/organisations/{company.public_id}/students/")
        page.get_by_test_id("recognitions-link").click()
        page.get_by_test_id("new-request").click()
        request_form = page.get_by_test_id("request-form")
        request_form.locator("[name=opleiding]").select_option(label="Mechanische vormgeving duaal")
        # A typing error in the establishment number is refused next to the field.
        request_form.locator("[name=vestigingsnummer]").fill("2.234.567.126")
        request_form.get_by_label(f"{MENTOR_NAME} ({MENTOR_EMAIL})").check()
        request_form.get_by_role("button", name="Bewaren als concept").click()
        expect(page.get_by_test_id("error-summary")).to_be_visible()
        assert not Recognition.objects.filter(opleiding__code="mechanische-vormgeving").exists()
        request_form = page.get_by_test_id("request-form")
        request_form.locator("[name=vestigingsnummer]").fill("2.234.567.125")
        request_form.get_by_role("button", name="Bewaren als concept").click()
        expect(page.get_by_test_id("status")).to_have_text("Concept")
        expect(page.get_by_test_id("request-mentor")).to_contain_text("Geschikt als mentor")

        page.get_by_test_id("submit-request").click()
        expect(page.get_by_test_id("consequences")).to_contain_text("binnen 14 dagen")
        assert _check_page(page, "submit", page.url.removeprefix(live_server.url), True, []) == []
        page.get_by_test_id("confirm").click()
        expect(page.get_by_test_id("status")).to_have_text("Ingediend")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    recognition = Recognition.objects.get(opleiding__code="mechanische-vormgeving")
    assert recognition.status == RecognitionStatus.SUBMITTED
    assert list(recognition.mentors.all()) == [mentor]
    assert recognition.sector_body.name == "Sectoraal Partnerschap Technologische Industrie"


def test_the_placement_form_shows_each_mentors_reasons_on_a_phone(browser, live_server, demo_cast):
    _new_mentor_in_a1()
    lotte = Traject.objects.get(student__first_name="Lotte")
    context, page = _open(browser, live_server, "coord@sintjozef.demo", PHONE)
    try:
        page.goto(f"/trajects/{lotte.public_id}/placements/new/")
        option = page.get_by_test_id("mentor-option").filter(has_text=MENTOR_NAME)
        reasons = option.get_by_test_id("mentor-reasons").locator("li")
        expect(reasons).to_have_count(1)
        expect(reasons.first).to_contain_text("heeft nog geen mentorprofiel")
        expect(reasons.first).to_be_visible()
        _fits_the_phone(reasons.first)
        _fits_the_phone(option.locator("label"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
