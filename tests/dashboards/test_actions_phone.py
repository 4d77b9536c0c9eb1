"""On a 390 px phone the coordinator's action list does not scroll sideways and its first
row is one tap from where it is done."""

from __future__ import annotations

import pytest

from tests.homes.test_phone import PHONE, _phone_login

pytestmark = pytest.mark.browser


def test_the_action_list_fits_a_phone(browser, live_server, demo_cast):
    context, page = _phone_login(browser, live_server, "coord@sintjozef.demo")
    try:
        page.goto("/dashboards/actions/")
        assert page.get_by_role("heading", name="Wat op je wacht").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("link", name="Noor Peeters: wacht op handtekeningen").click()
        page.wait_for_url("**/contracts/*/sign/")
    finally:
        context.close()
