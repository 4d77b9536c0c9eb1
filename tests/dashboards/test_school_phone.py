"""On a 390 px phone the school dashboard does not scroll sideways: its tables become
labelled cards and its charts scale to the screen."""

from __future__ import annotations

import pytest

from tests.homes.test_phone import PHONE, _phone_login

pytestmark = pytest.mark.browser


def test_the_school_dashboard_fits_a_phone(browser, live_server, demo_cast):
    context, page = _phone_login(browser, live_server, "directie@sintjozef.demo")
    try:
        page.goto("/dashboards/school/")
        assert page.get_by_role(
            "heading", name="Evaluaties per week (percentage van de lopende leerlingen)"
        ).is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        chart = page.get_by_role("img", name="Evaluaties per week")
        assert chart.is_visible()
        assert chart.bounding_box()["width"] <= PHONE["width"]
        # A table row is a card whose cells carry their column's label.
        cell = page.locator('[data-table="weeks"] td[data-label="Week van"]').first
        assert cell.is_visible()
    finally:
        context.close()
