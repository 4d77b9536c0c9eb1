"""Issue 12 in a real Chromium, on a phone (390 px): the sector consultant opens the inbox from
the home, marks a request complete, plans and records the workplace visit with the
activiteitenlijst checklist, recognises the company and downloads the decision letter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from documents import services as documents
from documents.models import GeneratedDocument
from duaal import demo
from learning.models import ActiviteitenlijstEntry
from recognition.models import RecognitionStatus
from tests.recognition.test_consultant_views import submit_renewal

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def too_wide(page) -> list[str]:
    """The elements sticking out of a phone's screen (none, or the page scrolls sideways)."""
    return page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className)"
    )


def test_the_consultant_decides_a_request_within_the_inbox(
    page, live_server, demo_cast, monkeypatch, tmp_path
):
    from documents.tasks import render_document

    queued: list[int] = []
    monkeypatch.setattr(render_document, "delay", queued.append)
    request = submit_renewal()  # Daems renews Elektromechanische technieken
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("consulent@sector.demo")
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_test_id("home-recognitions").get_by_role(
        "link", name="Alle erkenningsaanvragen"
    ).click()
    card = page.get_by_test_id(f"request-{request.public_id}")
    expect(card).to_contain_text("Nog niet volledig")
    assert too_wide(page) == []
    card.get_by_role("link", name="Koeltechniek Daems").click()
    page.wait_for_url(re.compile(rf"/recognitions/inbox/{request.public_id}/$"))
    assert too_wide(page) == []

    # Mark complete: the dialog says what it does, then the 14 days run.
    page.get_by_test_id("action-complete").click()
    dialog = page.get_by_test_id("dialog-complete")
    expect(dialog).to_contain_text("binnen 14 dagen")
    dialog.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("state")).to_have_text("Volledig")
    expect(page.get_by_test_id("countdown")).to_contain_text("Nog 14 dagen")

    # Plan the visit (today, as the form proposes).
    page.get_by_test_id("action-plan").click()
    page.get_by_test_id("dialog-plan").get_by_test_id("confirm").click()
    expect(page.get_by_test_id("state")).to_have_text("Werkplekbezoek gepland")

    # Record it: the general checks and the opleiding's activiteitenlijst.
    page.get_by_test_id("action-visit-record").click()
    form = page.get_by_test_id("visit-record-form")
    for name in ("training_plan_and_equipment_ok", "mentor_role_ok", "social_obligations_ok"):
        form.locator(f"[name={name}]").select_option("yes")
    first = page.get_by_test_id("activiteitenlijst").locator("select").first
    first.select_option("yes")
    assert too_wide(page) == []
    page.get_by_test_id("save-visit").click()
    # No result chosen: refused with a Dutch message, the rest kept.
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    page.locator("[name=result][value=positive]").check()
    page.get_by_test_id("save-visit").click()
    page.wait_for_url(re.compile(rf"/recognitions/inbox/{request.public_id}/$"))
    expect(page.get_by_test_id("visits")).to_contain_text("Positief")
    assert ActiviteitenlijstEntry.objects.filter(
        activiteitenlijst__vestiging=request.vestiging,
        activiteitenlijst__opleiding=request.opleiding,
        offer="yes",
    ).exists()

    # Decide: recognised for 5 years.
    page.get_by_test_id("action-decide").click()
    dialog = page.get_by_test_id("dialog-decide")
    dialog.locator("[name=decision][value=recognised]").check()
    dialog.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("state")).to_have_text("Erkend")
    request.refresh_from_db()
    assert request.status == RecognitionStatus.RECOGNISED

    # The decision letter.
    page.get_by_test_id("action-letter").click()
    page.wait_for_url("**/documents/*/")
    document = GeneratedDocument.objects.get(kind="recognition_letter")
    assert queued == [document.pk]
    documents.document_render(document_id=document.pk)
    expect(page.get_by_test_id("document-status")).to_have_attribute(
        "data-status", "ready", timeout=10_000
    )
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("erkenning-koeltechniek-daems")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    # The refused report itself is a 400 (Chrome logs it); nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
