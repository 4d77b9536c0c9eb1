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
    expect(dialog).to_have_count(0)  # fetched when the button is pressed (decision 0022)

    opener.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator(".dialog__title")).to_contain_text("uit het team verwijderen?")
    expect(dialog).to_contain_text("Lotte Janssens")
    expect(dialog).to_contain_text("Noor Peeters")  # starts in three weeks, same mentor
    expect(dialog).to_contain_text("verliest haar enige mentor")
    # One replacement per placement; mentor2 may take over.
    expect(dialog.get_by_label("Nieuwe mentor voor Lotte")).to_contain_text("Tom Lambrechts")
    expect(dialog.get_by_label("Nieuwe mentor voor Noor")).to_contain_text("Tom Lambrechts")
    assert page.url.endswith(f"/partnerships/{a1.public_id}/")  # no page change: the dialog

    dialog.get_by_test_id("cancel").click()
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.testid") == f"remove-member-{mentor.pk}"

    opener.click()
    expect(dialog).to_be_visible()
    expect(page.locator("dialog.dialog")).to_have_count(1)  # the fetched one, opened again
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


def test_ending_a_traject_confirms_in_a_dialog(page, live_server, demo_cast):
    from partnerships.models import Traject

    lotte = Traject.objects.get(student__first_name="Lotte")
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("coord@sintjozef.demo")
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"/trajects/{lotte.public_id}/edit/")
    expect(page.get_by_test_id("audience-end_reason")).to_contain_text("Intern — enkel het team")

    form = page.locator("#traject-edit-form")
    form.locator("[name=status]").select_option("stopped")
    form.locator("[name=end_reason]").fill("Verhuisd naar Gent")
    dialog = page.get_by_test_id("dialog-traject-end")
    page.get_by_test_id("save").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Lotte Janssens")
    dialog.get_by_test_id("cancel").click()
    expect(dialog).to_be_hidden()
    lotte.refresh_from_db()
    assert lotte.status == "running"

    page.get_by_test_id("save").click()
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("confirm").click()
    page.wait_for_url(f"**/trajects/{lotte.public_id}/")
    lotte.refresh_from_db()
    assert (lotte.status, lotte.end_reason) == ("stopped", "Verhuisd naar Gent")
    expect(page.get_by_test_id("end-reason")).to_contain_text("Verhuisd naar Gent")
    assert page.console_errors == []


def test_the_confirmation_fits_a_phone(page, live_server, demo_cast):
    """390 px: the confirmation page and the dialog never scroll sideways."""
    a1 = Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )
    mentor = TeamMember.objects.get(
        partnership=a1, user__email="mentor@vandenberghe.demo", role="mentor"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("coord@sintjozef.demo")
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"/partnerships/{a1.public_id}/team/{mentor.pk}/remove/")
    expect(page.get_by_test_id("confirm-page")).to_contain_text("verliest haar enige mentor")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"/partnerships/{a1.public_id}/")
    page.get_by_test_id(f"remove-member-{mentor.pk}").click()
    dialog = page.locator(f"dialog#remove-member-{mentor.pk}")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
