"""On a 390 px phone the company dashboard does not scroll sideways and its tables are
labelled cards, its charts scale to the screen (the director reaches it from the home in one
tap)."""

from __future__ import annotations

import pytest

from tests.homes.test_phone import PHONE, _phone_login

pytestmark = pytest.mark.browser


def test_the_company_dashboard_fits_a_phone(browser, live_server, demo_cast):
    context, page = _phone_login(browser, live_server, "directie@vandenberghe.demo")
    try:
        page.get_by_test_id("company-dashboard-link").first.click()
        page.wait_for_url("**/dashboards/bedrijf/*/")
        assert page.get_by_test_id("dashboard-table").count() == 5
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > 390).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' +"
            " Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 60))"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
        # A mentor's numbers are read as labelled cards: the label shows beside each value.
        cell = page.locator('[data-table="mentors"] td[data-label]').first
        assert cell.is_visible()
        # The charts scale to the screen and are images named by their title.
        chart = page.get_by_role("img", name="Weekevaluaties per mentor")
        assert chart.is_visible()
        assert chart.bounding_box()["width"] <= PHONE["width"]
        assert page.get_by_role("img", name="Contracten per soort en toestand").is_visible()
    finally:
        context.close()
