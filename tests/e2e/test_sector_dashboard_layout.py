"""The sector dashboard in a real Chromium on a 390 px phone: labelled cards, no sideways
scrolling, and each table's rows as cards whose cells carry their column's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_layout import PHONE, _label, _open

pytestmark = pytest.mark.browser


def test_the_sector_dashboard_on_a_phone(browser, live_server, demo_cast):
    context, page = _open(browser, live_server, "consulent@sector.demo", PHONE)
    try:
        page.goto("/dashboards/sector/")
        expect(page.get_by_role("heading", name="Sectordashboard", level=1)).to_be_visible()
        expect(page.get_by_test_id("sector-summary")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        labels = _label(page, "[data-table=pipeline] td[data-label]")
        assert any(label.startswith("Aanvragen") for label in labels), labels
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
