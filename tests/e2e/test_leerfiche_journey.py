"""Issue 9, in a real Chromium on a 390 px phone: an editor adds a criterion to the draft of a
leerfiche set and publishes it through the confirmation dialog; the student reads the
leerfiches of the own traject without sideways scrolling."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from duaal import demo
from learning.models import Leerfiche, Opleiding, Opleidingsplan, SetEditor, VersionStatus
from learning.services import versions
from organisations.models import Organisation
from partnerships.models import Traject
from tests.learning.factories import make_set_version

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("DUAAL_SCREENSHOTS")  # a folder: keep screenshots for a human look


def _login(page, live_server, email: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def _no_sideways_scroll(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name


def test_editor_publishes_and_the_student_reads_on_a_phone(page, live_server, demo_cast):
    sector = Organisation.objects.get(name="Sectoraal Partnerschap Technologische Industrie")
    published = make_set_version(
        owner=sector,
        opleiding=Opleiding.objects.get(code="lassen-constructie"),
        name="Leerfiches Lassen (journey)",
    )
    SetEditor.objects.create(
        leerfiche_set=published.leerfiche_set, user=demo_cast["consulent@sector.demo"]
    )
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    fiche = draft.leerfiches.order_by("pk").first()
    Leerfiche.objects.filter(pk=fiche.pk).update(
        has_opdracht=True,
        lasprocede="Halfautomaat",
        lasprocessen=["131", "135", "136", "138"],
        lasnaadvorm="Hoeklas",
        lasstand="PA Onder de hand",
        doelstelling="Een rechte, gelijkmatige, liggende las kunnen leggen",
        metals=["Staal", "RVS", "ALU"],
    )

    _login(page, live_server, "consulent@sector.demo")
    page.goto(f"/leerfiches/fiches/{fiche.public_id}/edit/")
    _no_sideways_scroll(page, "leerfiche-edit")
    page.get_by_test_id("criterion-add").click()
    page.locator("[name=text]").fill("Oppervlakteporiën vlgs norm")
    page.locator("[name=norm_reference]").fill("2017")
    page.locator("[name=code]").fill("S")
    page.get_by_test_id("save").click()
    expect(page.locator("#section-criteria")).to_contain_text("Oppervlakteporiën vlgs norm")

    page.goto(f"/leerfiches/versions/{draft.public_id}/")
    _no_sideways_scroll(page, "version-draft")
    page.get_by_test_id("publish").click()
    dialog = page.locator("dialog#publish-version")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("niet meer wijzigen")
    dialog.locator("[name=change_note]").fill("Oppervlakteporiën toegevoegd")
    dialog.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("version-status")).to_contain_text("Gepubliceerd")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.change_note == "Oppervlakteporiën toegevoegd"
    page.goto("/leerfiches/")
    _no_sideways_scroll(page, "catalogue-index")
    page.goto(f"/leerfiches/sets/{published.leerfiche_set.public_id}/")
    _no_sideways_scroll(page, "set-detail")

    lotte = Traject.objects.get(student__first_name="Lotte")
    Opleidingsplan.objects.update_or_create(
        partnership=lotte.partnership, traject=None, defaults={"set_version": draft}
    )
    page.context.clear_cookies()
    _login(page, live_server, "leerling1@sintjozef.demo")
    page.goto(f"/trajects/{lotte.public_id}/")
    page.get_by_test_id("traject-leerfiches").click()
    _no_sideways_scroll(page, "traject-leerfiches")
    page.get_by_role("link", name=fiche.title).click()
    body = page.get_by_test_id("leerfiche-body")
    expect(body).to_contain_text("Halfautomaat 131, 135, 136, 138")
    expect(body).to_contain_text("Oppervlakteporiën vlgs norm 2017 (S)")
    _no_sideways_scroll(page, "traject-leerfiche")
    assert page.console_errors == []
