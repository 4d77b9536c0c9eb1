"""In a real Chromium: request the RACI PDF, watch the status page poll until the worker is
done, download the file; no console error (the page runs under the strict CSP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from documents import services
from documents.models import DocumentStatus, GeneratedDocument
from duaal import demo
from tests.documents.conftest import a1, pdf_text, squash

pytestmark = pytest.mark.browser


def test_request_watch_and_download_the_raci_pdf(
    page, live_server, demo_cast, monkeypatch, tmp_path
):
    from documents.tasks import render_document

    # The "worker" is this test: queued ids are rendered when the test says so.
    queued: list[int] = []
    monkeypatch.setattr(render_document, "delay", queued.append)

    # Logging in restores the account's language (Dutch): the page is asserted in Dutch.
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("coord@sintjozef.demo")
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"/partnerships/{a1().public_id}/")
    page.get_by_test_id("raci-pdf").click()
    page.wait_for_url("**/documents/*/")
    status = page.get_by_test_id("document-status")
    expect(status).to_have_attribute("data-status", "pending")
    expect(status.get_by_text("Wacht op zijn beurt")).to_be_visible()

    document = GeneratedDocument.objects.get()
    assert queued == [document.pk]
    services.document_render(document_id=document.pk)
    assert GeneratedDocument.objects.get().status == DocumentStatus.READY

    # The polling fragment replaces the region without a reload.
    expect(page.get_by_test_id("document-status")).to_have_attribute(
        "data-status", "ready", timeout=10_000
    )
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("raci-matrix-lassen-constructie-duaal")
    target = Path(tmp_path) / download.suggested_filename
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    assert "Jaarplanning" in squash(pdf_text(content))
    assert page.console_errors == []
