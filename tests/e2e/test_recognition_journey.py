"""Issue 12's whole recognition journey in a real Chromium on a 390 px phone: a company files a
recognition request, the sector consultant decides it within the inbox, and the school can then
place a student there.

The cast: Sint-Jozef's partnership A2 (Elektromechanische technieken) works with Koeltechniek
Daems; its coördinator adds Metaalbouw Vandenberghe (Genk), which is recognised for
Lassen-Constructie and Lasser-Monteerder but not for Elektromechanische technieken. Until the
consultant of the Sectoraal Partnerschap Technologische Industrie (PC 111) recognises it, the
placement form refuses Vandenberghe with the recognition reason; afterwards it accepts the
placement with Patrick Hermans, an eligible mentor named in the request."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from organisations.models import Organisation, Vestiging
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    Placement,
    PlacementSupervisor,
    TeamMember,
    TeamRole,
    Traject,
)
from recognition.models import MentorProfile, Recognition, RecognitionStatus
from tests.e2e.test_layout import PHONE, _open

pytestmark = pytest.mark.browser

GENK = "2234567125"  # Metaalbouw Vandenberghe – Genk
OPLEIDING = "Elektromechanische technieken duaal"
MENTOR = "mentor@vandenberghe.demo"  # Patrick Hermans: eligible, guides Lotte only
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _fill_placement(page, *, entry: PartnershipCompany, mentor: User, start: date, end: date):
    form = page.get_by_test_id("placement-form")
    form.locator("[name=company_vestiging]").select_option(str(entry.pk))
    form.locator("[name=start_date]").fill(start.isoformat())
    form.locator("[name=end_date]").fill(end.isoformat())
    form.locator("[name=workplace_hours_per_week]").fill("16")
    for day, place in {
        "monday": "school",
        "tuesday": "school",
        "wednesday": "school",
        "thursday": "company",
        "friday": "company",
    }.items():
        form.locator(f"[name={day}]").select_option(place)
    form.locator(f"input[name=mentors][value='{mentor.pk}']").check()
    form.get_by_role("button", name="Plaatsing toevoegen").click()


def test_a_company_is_recognised_in_the_inbox_and_the_school_then_places_a_student_there(
    browser, live_server, demo_cast
):
    a2 = Partnership.objects.get(name=OPLEIDING, school__name="Technisch Instituut Sint-Jozef")
    school = a2.school
    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    genk = Vestiging.objects.get(vestigingsnummer=GENK)
    mentor = User.objects.get(email=MENTOR)
    profile = MentorProfile.objects.get(user=mentor)
    assert not Recognition.objects.filter(vestiging=genk, opleiding=a2.opleiding).exists()
    today = timezone.localdate()
    end = date(a2.school_year + 1, 6, 30)

    school_ctx, school_page = _open(browser, live_server, "coord@sintjozef.demo", PHONE)
    company_ctx = consultant_ctx = None
    try:
        # --- 1. The school adds Vandenberghe (Genk) to A2 and a new student with a traject. ---
        school_page.goto(f"/partnerships/{a2.public_id}/")
        school_page.get_by_text("Een bedrijf toevoegen").click()
        add = school_page.get_by_test_id("company-add-form")
        add.locator("[name=company-vestiging]").select_option(str(genk.pk))
        add.get_by_role("button", name="Bedrijf toevoegen").click()
        expect(school_page.get_by_text("Het bedrijf is toegevoegd.")).to_be_visible()
        expect(school_page.get_by_test_id("companies")).to_contain_text("Metaalbouw Vandenberghe")
        entry = PartnershipCompany.objects.get(partnership=a2, vestiging=genk)
        # The company's mentor joins A2's team (the company side of the team; set up here).
        TeamMember.objects.create(
            partnership=a2, user=mentor, role=TeamRole.MENTOR, organisation=company
        )

        school_page.goto(f"/organisations/{school.public_id}/students/new/")
        student_form = school_page.get_by_test_id("student-form")
        student_form.locator("[name=first_name]").fill("Sofie")
        student_form.locator("[name=last_name]").fill("Peeters")
        student_form.locator("[name=birth_date]").fill("2008-05-12")
        student_form.locator("[name=school_class]").select_option(label="6 EMT")
        student_form.locator("[name=partnership]").select_option(label=str(a2))
        student_form.get_by_role("button", name="Leerling toevoegen").click()
        school_page.wait_for_url(re.compile(rf"/trajects/{UUID}/$"))
        traject = Traject.objects.get(partnership=a2, student__last_name="Peeters")

        # Before the recognition: the placement form refuses Vandenberghe, with the reason.
        school_page.get_by_test_id("add-placement").click()
        school_page.wait_for_url(f"**/trajects/{traject.public_id}/placements/new/")
        _fill_placement(school_page, entry=entry, mentor=mentor, start=today, end=end)
        summary = school_page.get_by_test_id("error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text(
            f"Metaalbouw Vandenberghe – Genk (Genk) is op {today:%-d/%-m/%Y} niet erkend voor "
            "Elektromechanische technieken duaal: een plaatsing vraagt een geldige erkenning "
            "voor de hele periode."
        )
        _fits_the_phone(school_page)
        assert not Placement.objects.filter(traject=traject).exists()

        # --- 2. The company's coördinator files and submits the request, naming Patrick. ---
        company_ctx, company_page = _open(browser, live_server, "coord@vandenberghe.demo", PHONE)
        company_page.goto(f"/organisations/{company.public_id}/students/")
        company_page.get_by_test_id("recognitions-link").click()
        company_page.get_by_test_id("new-request").click()
        request_form = company_page.get_by_test_id("request-form")
        request_form.locator("[name=opleiding]").select_option(label=OPLEIDING)
        request_form.locator("[name=vestigingsnummer]").fill("2.234.567.125")
        request_form.get_by_label(f"Patrick Hermans ({MENTOR})").check()
        request_form.get_by_role("button", name="Bewaren als concept").click()
        expect(company_page.get_by_test_id("status")).to_have_text("Concept")
        request_url = company_page.url
        # Patrick's extract dates from his earlier request: too old for this one.
        named = company_page.get_by_test_id("request-mentor")
        expect(named).to_contain_text("Nog niet geschikt")
        expect(named).to_contain_text(
            "Het uittreksel uit het strafregister van Patrick Hermans is afgegeven op "
            f"{profile.extract_issued_on:%-d/%-m/%Y}, meer dan een jaar voor de aanvraag van "
            f"{today:%-d/%-m/%Y}."
        )
        # The coördinator records his fresh extract in his mentor profile.
        company_page.goto(f"/organisations/{company.public_id}/students/")
        row = company_page.get_by_test_id("mentor-row").filter(has_text="Patrick Hermans")
        row.get_by_test_id("mentor-profile-link").click()
        company_page.wait_for_url(f"**/mentors/{mentor.public_id}/profile/")
        profile_form = company_page.get_by_test_id("mentor-profile-form")
        profile_form.locator("[name=extract_status]").select_option("clean")
        fresh = today - timedelta(days=12)
        profile_form.locator("[name=extract_issued_on]").fill(fresh.isoformat())
        profile_form.get_by_role("button", name="Profiel bewaren").click()
        expect(company_page.get_by_test_id("eligibility-status")).to_have_text(
            "Geschikt als mentor"
        )
        company_page.goto(request_url)
        expect(company_page.get_by_test_id("request-mentor")).to_contain_text("Geschikt als mentor")
        company_page.get_by_test_id("submit-request").click()
        expect(company_page.get_by_test_id("consequences")).to_contain_text("binnen 14 dagen")
        company_page.get_by_test_id("confirm").click()
        expect(company_page.get_by_test_id("status")).to_have_text("Ingediend")
        _fits_the_phone(company_page)
        request = Recognition.objects.get(vestiging=genk, opleiding=a2.opleiding)
        assert request.status == RecognitionStatus.SUBMITTED
        assert request.sector_body.name == "Sectoraal Partnerschap Technologische Industrie"
        assert list(request.mentors.all()) == [mentor]

        # --- 3. The consultant of that sector body decides within the inbox. ---
        consultant_ctx, inbox = _open(browser, live_server, "consulent@sector.demo", PHONE)
        inbox.get_by_test_id("home-recognitions").get_by_role(
            "link", name="Alle erkenningsaanvragen"
        ).click()
        card = inbox.get_by_test_id(f"request-{request.public_id}")
        expect(card).to_contain_text("Nog niet volledig")
        expect(card).to_contain_text(OPLEIDING)
        card.get_by_role("link", name="Metaalbouw Vandenberghe").click()
        inbox.wait_for_url(re.compile(rf"/recognitions/inbox/{request.public_id}/$"))

        inbox.get_by_test_id("action-complete").click()
        dialog = inbox.get_by_test_id("dialog-complete")
        expect(dialog).to_contain_text("binnen 14 dagen")
        dialog.get_by_test_id("confirm").click()
        expect(inbox.get_by_test_id("state")).to_have_text("Volledig")

        inbox.get_by_test_id("action-plan").click()
        inbox.get_by_test_id("dialog-plan").get_by_test_id("confirm").click()
        expect(inbox.get_by_test_id("state")).to_have_text("Werkplekbezoek gepland")

        inbox.get_by_test_id("action-visit-record").click()
        visit = inbox.get_by_test_id("visit-record-form")
        for name in ("training_plan_and_equipment_ok", "mentor_role_ok", "social_obligations_ok"):
            visit.locator(f"[name={name}]").select_option("yes")
        inbox.get_by_test_id("activiteitenlijst").locator("select").first.select_option("yes")
        inbox.locator("[name=result][value=positive]").check()
        inbox.get_by_test_id("save-visit").click()
        inbox.wait_for_url(re.compile(rf"/recognitions/inbox/{request.public_id}/$"))
        expect(inbox.get_by_test_id("visits")).to_contain_text("Positief")

        inbox.get_by_test_id("action-decide").click()
        dialog = inbox.get_by_test_id("dialog-decide")
        dialog.locator("[name=decision][value=recognised]").check()
        dialog.get_by_test_id("confirm").click()
        expect(inbox.get_by_test_id("state")).to_have_text("Erkend")
        _fits_the_phone(inbox)
        request.refresh_from_db()
        assert request.status == RecognitionStatus.RECOGNISED
        assert request.decided_on == today
        assert request.valid_until is not None and request.valid_until >= end

        # --- 4. The school places Sofie at Vandenberghe with Patrick: accepted. ---
        school_page.goto(f"/trajects/{traject.public_id}/placements/new/")
        _fill_placement(school_page, entry=entry, mentor=mentor, start=today, end=end)
        school_page.wait_for_url(f"**/trajects/{traject.public_id}/")
        expect(
            school_page.get_by_text(
                "De plaatsing is toegevoegd. Het traject blijft in intake tot het contract "
                "met het bedrijf start."
            )
        ).to_be_visible()
        expect(school_page.get_by_test_id("mentor")).to_have_text("Patrick Hermans")
        expect(school_page.locator("main")).to_contain_text("Metaalbouw Vandenberghe")
        _fits_the_phone(school_page)
    finally:
        for context in (school_ctx, company_ctx, consultant_ctx):
            if context is not None:
                context.close()

    placement = Placement.objects.get(traject=traject)
    assert placement.vestiging == genk
    assert [(s.user, s.kind) for s in placement.supervisors.all()] == [
        (mentor, PlacementSupervisor.Kind.MENTOR)
    ]
    request.refresh_from_db()
    assert request.status == RecognitionStatus.RECOGNISED
    profile.refresh_from_db()
    assert profile.extract_issued_on == today - timedelta(days=12)
