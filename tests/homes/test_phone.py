"""On a 390 px phone the mentor's first student is on the first screen, and the home does not
scroll sideways."""

from __future__ import annotations

import pytest

from duaal import demo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone_login(browser, live_server, email: str):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="nl-BE"
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(demo.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/")
    return context, page


def test_a_mentor_sees_their_first_student_above_the_fold(browser, live_server, demo_cast, week):
    context, page = _phone_login(browser, live_server, "mentor@vandenberghe.demo")
    try:
        first = page.get_by_test_id("week-student").first
        assert "Lotte Janssens" in first.inner_text()
        box = first.bounding_box()
        assert box is not None and box["y"] < PHONE["height"], box
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # One tap to the traject.
        first.get_by_role("link", name="Lotte Janssens").click()
        page.wait_for_url("**/trajects/*/")
    finally:
        context.close()


@pytest.mark.parametrize(
    "email", ["coord@sintjozef.demo", "directie@vandenberghe.demo", "leerling1@sintjozef.demo"]
)
def test_the_role_homes_do_not_scroll_sideways_on_a_phone(
    browser, live_server, demo_cast, week, email
):
    context, page = _phone_login(browser, live_server, email)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
