"""The coverage matrix in a real Chromium: labelled cards and no sideways scrolling on a 390 px
phone; on a desktop a scroll box of its own with the leerfiche column sticky."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learning.demo.plans import seed_plans
from partnerships.models import Partnership
from tests.e2e.test_layout import DESKTOP, PHONE, _label, _open
from tests.learning.factories import ensure_demo_sets

pytestmark = pytest.mark.browser


def _a2() -> Partnership:
    return Partnership.objects.get(
        name="Elektromechanische technieken duaal", school__name="Technisch Instituut Sint-Jozef"
    )


@pytest.fixture
def planned(demo_cast):
    ensure_demo_sets()
    seed_plans()
    return _a2()


def test_coverage_on_a_phone_is_cards_without_sideways_scrolling(browser, live_server, planned):
    context, page = _open(browser, live_server, "tb@sintjozef.demo", PHONE)
    try:
        page.goto(f"/partnerships/{planned.public_id}/coverage/")
        expect(page.get_by_test_id("coverage-matrix")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # The gap is said in words, and its count leads to the list of those leerfiches.
        row = page.get_by_test_id("coverage-row-pneumatiek-hydrauliek")
        expect(row.get_by_text("Geen leerplek")).to_be_visible()
        page.get_by_test_id("count-untaught").get_by_role("link").click()
        expect(page.locator("#gaps-untaught")).to_be_in_viewport()
        # A planned cell carries its place and period as a label; empty cells take no room.
        labels = _label(page, "[data-testid=coverage-row-smeren] td[data-label]")
        assert "Bedrijf: Koeltechniek Daems – Hasselt · Trimester 1" in labels, labels
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid=coverage-row-smeren] td:empty')]
                .every((td) => getComputedStyle(td).display === 'none')"""
        )
        assert hidden
        expect(page.get_by_test_id("rotation").get_by_text("Emma Willems")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_coverage_on_a_desktop_scrolls_in_its_own_box_with_a_sticky_first_column(
    browser, live_server, planned
):
    context, page = _open(browser, live_server, "tb@sintjozef.demo", DESKTOP)
    try:
        page.set_viewport_size({"width": 900, "height": 800})
        page.goto(f"/partnerships/{planned.public_id}/coverage/")
        box = page.locator(".coverage__scroll")
        expect(box).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 900
        wide = box.evaluate("(el) => el.scrollWidth > el.clientWidth")
        assert wide, "the matrix is wider than 900 px: it scrolls inside its box"
        header = page.locator("[data-testid=coverage-row-smeren] th[scope=row]")
        before = header.bounding_box()["x"]
        box.evaluate("(el) => { el.scrollLeft = 300; }")
        assert abs(header.bounding_box()["x"] - before) < 1, "the leerfiche column stays put"
    finally:
        context.close()


@pytest.mark.parametrize("options", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_coverage_passes_axe(browser, live_server, planned, options):
    from tests.e2e.test_accessibility import AXE, AXE_TAGS, BLOCKING, RUN_AXE

    context, page = _open(browser, live_server, "tb@sintjozef.demo", options)
    try:
        context.add_init_script(script=AXE.read_text(encoding="utf-8"))
        page.goto(f"/partnerships/{planned.public_id}/coverage/")
        page.wait_for_load_state("networkidle")
        violations = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"][:5]])
            for v in page.evaluate(RUN_AXE, AXE_TAGS)
            if v["impact"] in BLOCKING
        ]
        assert violations == []
    finally:
        context.close()
