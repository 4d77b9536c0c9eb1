"""Issue 8, safe actions in a real Chromium: "Verwijderen" on a team member opens the
confirmation dialog with its consequences; Cancel and Escape close it, return the focus and
change nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from duaal import demo
from duaal.models import AuditEntry
from partnerships.models import Partnership, PlacementSupervisor, TeamMember

pytestmark = pytest.mark.browser


def test_remove_opens_the_dialog_and_cancel_changes_nothing(page, live_server, demo_cast):
    a1 = Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )
    mentor = TeamMember.objects.get(
        partnership=a1, user__email="mentor@vandenberghe.demo", role="mentor"
    )
    before = (
        TeamMember.objects.count(),
        PlacementSupervisor.objects.count(),
        AuditEntry.objects.count(),
    )

    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("coord@sintjozef.demo")
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"/partnerships/{a1.public_id}/")

    opener = page.get_by_test_id(f"remove-member-{mentor.pk}")
    expect(opener).to_contain_text("Verwijderen")
    dialog = page.locator(f"dialog#remove-member-{mentor.pk}")
    expect(dialog).to_be_hidden()

    opener.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator(".dialog__title")).to_contain_text("uit het team verwijderen?")
    expect(dialog).to_contain_text("Lotte Janssens")
    expect(dialog).to_contain_text("verliest haar enige mentor")
    expect(dialog.locator("select")).to_contain_text("Tom Lambrechts")  # mentor2 may take over
    assert page.url.endswith(f"/partnerships/{a1.public_id}/")  # no page change: the dialog

    dialog.get_by_test_id("cancel").click()
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.testid") == f"remove-member-{mentor.pk}"

    opener.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.testid") == f"remove-member-{mentor.pk}"

    assert TeamMember.objects.filter(pk=mentor.pk).exists()
    after = (
        TeamMember.objects.count(),
        PlacementSupervisor.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
    assert page.console_errors == []
