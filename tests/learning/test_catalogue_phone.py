"""The leerfiche pages in a real Chromium on a 390 px phone: the student's "Wat je leert" panel
and the pages it opens, and an editor's set, version and leerfiche pages (published and
draft, with the removal dialog) never scroll sideways."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from duaal import demo
from learning.models import BedrijfsficheVersion, Leerfiche, SetEditor, SetVersion
from learning.services import versions
from partnerships.models import Traject

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHOTS = os.environ.get("DUAAL_SCREENSHOTS")  # a folder: keep screenshots for a human look
SECTOR = "Sectoraal Partnerschap Technologische Industrie"


def _open(browser, live_server, email: str):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _fits(page, name: str) -> None:
    """No sideways scroll: the document is no wider than the phone."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (name, width, _widest(page))


def _widest(page) -> list[str]:
    """For the failure message: the elements that stick out on the right."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > 390.5)
            .slice(0, 8)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""
    )


def test_the_student_reads_what_she_learns_on_a_phone(browser, live_server, demo_cast):
    lotte = Traject.objects.get(student__first_name="Lotte")
    context, page = _open(browser, live_server, "leerling1@sintjozef.demo")
    try:
        panel = page.get_by_test_id("home-family-learning")
        expect(panel).to_be_visible()
        _fits(page, "student-home")
        page.get_by_test_id("home-leerfiches").click()
        expect(page.locator("h1")).to_be_visible()
        _fits(page, "student-leerfiches")
        page.get_by_role("link", name="Geïntegreerde lasopdracht").first.click()
        expect(page.get_by_test_id("criterion").first).to_be_visible()
        _fits(page, "student-lasopdracht")
        page.goto(f"/trajects/{lotte.public_id}/bedrijfsfiches/")
        _fits(page, "student-bedrijfsfiches")
        published = BedrijfsficheVersion.objects.get(
            bedrijfsfiche__leerfiche_key="geintegreerde-lasopdracht", status="published"
        )
        page.goto(f"/bedrijfsfiches/{published.public_id}/")
        expect(page.get_by_test_id("criterion").first).to_be_visible()
        _fits(page, "student-bedrijfsfiche")
    finally:
        context.close()


def test_an_editor_works_on_the_catalogue_on_a_phone(browser, live_server, demo_cast):
    published = SetVersion.objects.get(
        leerfiche_set__owner__name=SECTOR, leerfiche_set__opleiding__code="lassen-constructie"
    )
    leerfiche_set = published.leerfiche_set
    SetEditor.objects.get_or_create(
        leerfiche_set=leerfiche_set, user=demo_cast["consulent@sector.demo"]
    )
    draft = versions.start_draft(leerfiche_set=leerfiche_set)
    fiche = Leerfiche.objects.get(version=draft, key="geintegreerde-lasopdracht")
    criterion = fiche.criteria.get(text="Scheurvrij")
    context, page = _open(browser, live_server, "consulent@sector.demo")
    try:
        page.goto("/leerfiches/")
        _fits(page, "editor-catalogue")
        page.goto(f"/leerfiches/sets/{leerfiche_set.public_id}/")
        _fits(page, "editor-set")
        page.goto(f"/leerfiches/versions/{published.public_id}/")
        _fits(page, "editor-version-published")
        page.goto(f"/leerfiches/versions/{draft.public_id}/")
        expect(page.get_by_test_id("draft-actions")).to_be_visible()
        _fits(page, "editor-version-draft")
        page.get_by_test_id("discard").click()
        expect(page.get_by_test_id("dialog-discard-version")).to_be_visible()
        _fits(page, "editor-version-discard-dialog")
        page.get_by_test_id("dialog-discard-version").get_by_test_id("cancel").click()
        page.goto(f"/leerfiches/fiches/{fiche.public_id}/")
        _fits(page, "editor-leerfiche")
        page.goto(f"/leerfiches/fiches/{fiche.public_id}/edit/")
        _fits(page, "editor-leerfiche-edit")

        # Removing a criterion asks first, naming it; Cancel keeps it, confirming removes it.
        row = page.get_by_test_id("edit-criterion").filter(has_text="Scheurvrij")
        row.get_by_test_id("criterion-delete").click()
        dialog = page.get_by_test_id(f"dialog-delete-criterion-{criterion.public_id.hex}")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("“Scheurvrij 100”")
        _fits(page, "editor-remove-criterion-dialog")
        dialog.get_by_test_id("cancel").click()
        expect(dialog).to_be_hidden()
        assert fiche.criteria.filter(pk=criterion.pk).exists()
        row.get_by_test_id("criterion-delete").click()
        dialog.get_by_test_id("confirm").click()
        expect(page.get_by_test_id("edit-criterion").filter(has_text="Scheurvrij")).to_have_count(0)
        assert not fiche.criteria.filter(pk=criterion.pk).exists()
        _fits(page, "editor-after-removal")

        # The same question without JavaScript: the confirmation page.
        item = fiche.items.order_by("kind", "order").first()
        page.goto(f"/leerfiches/fiches/{fiche.public_id}/items/{item.pk}/delete/")
        expect(page.get_by_test_id("confirm-page")).to_be_visible()
        _fits(page, "editor-remove-line-page")
    finally:
        context.close()
