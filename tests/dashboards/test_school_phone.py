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


@pytest.mark.parametrize(
    ("email", "path", "testid"),
    [
        ("lk@sintjozef.demo", "/dashboards/klassenraad/", "klassenraad-form"),
        ("directie@sintjozef.demo", "/dashboards/school/", "klassenraad"),
    ],
)
def test_the_klassenraad_request_fits_a_phone(browser, live_server, demo_cast, email, path, testid):
    """The klassenraad form (its own page for teachers, a section of the director's
    dashboard): no sideways scroll, the class picker and the button reachable at 390 px."""
    context, page = _phone_login(browser, live_server, email)
    try:
        page.goto(path)
        block = page.get_by_test_id(testid).first
        block.scroll_into_view_if_needed()
        assert block.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        picker = page.locator("#id_school_class")
        assert picker.is_visible() and picker.bounding_box()["width"] <= PHONE["width"]
        button = page.locator("[data-testid=klassenraad-form] button[type=submit]")
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()
