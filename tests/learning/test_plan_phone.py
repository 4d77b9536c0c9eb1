"""The opleidingsplan in a real Chromium: on a 390 px phone the grid is one card per leerfiche
and the page never scrolls sideways, also while a cell is edited in place (htmx); on a desktop
the grid scrolls in its own box with the leerfiche column sticky."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from duaal import demo
from learning.models import PlaceKind
from learning.services import plans
from partnerships.models import Traject
from tests.learning import plans_support as support

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _open(browser, live_server, email: str, options: dict):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def plan(demo_cast):
    a1 = support.partnership("A1")
    plan = support.adopted(a1, themes=3, fiches_per_theme=4)
    vestiging = a1.companies.get().vestiging
    for i, fiche in enumerate(plan.set_version.leerfiches.all()[:6]):
        plans.set_cell(
            plan=plan,
            leerfiche=fiche,
            period=a1.periods.order_by("order")[i % 3],
            places=[(PlaceKind.COMPANY, vestiging, 2, 6), (PlaceKind.SCHOOL, None, 1, 1)],
        )
    plans.add_comment(plan=plan, author=None, text="Een opmerking over het plan")
    return plan


def test_the_grid_is_one_card_per_leerfiche_on_a_phone_and_edits_in_place(
    browser, live_server, plan
):
    context, page = _open(browser, live_server, "lk@sintjozef.demo", PHONE)
    try:
        page.goto(f"/partnerships/{plan.partnership.public_id}/plan/")
        grid = page.get_by_test_id("plan-grid")
        expect(grid).to_be_visible()
        row = page.get_by_test_id("plan-row").first
        assert row.evaluate("(el) => getComputedStyle(el).display") == "block"
        assert _page_width(page) <= 390
        # Every cell names its period on the phone.
        labels = page.evaluate(
            """() => [...document.querySelector("[data-testid=plan-row]").querySelectorAll("td")]
                .map((el) => getComputedStyle(el, "::before").content.replace(/^"|"$/g, ""))"""
        )
        assert labels[:3] == ["Trimester 1", "Trimester 2", "Trimester 3"], labels
        expect(page.get_by_test_id("plan-offers")).to_be_visible()

        # One cell, edited in place with htmx: the page stays a phone page.
        page.get_by_test_id("plan-cell-edit").nth(1).click()
        form = page.get_by_test_id("plan-cell-form")
        expect(form).to_be_visible()
        assert _page_width(page) <= 390
        form.get_by_label("Gesimuleerd leren").check()
        form.get_by_test_id("plan-option-simulated").get_by_label("van week").fill("3")
        form.get_by_test_id("plan-option-simulated").get_by_label("tot week").fill("4")
        form.get_by_test_id("plan-cell-save").click()
        expect(page.get_by_test_id("plan-cell-form")).to_have_count(0)
        expect(page.get_by_text("Gesimuleerd leren · wk 3–4")).to_be_visible()
        assert page.url.endswith("/plan/")  # swapped in place, no navigation
        assert _page_width(page) <= 390
    finally:
        context.close()


def test_the_student_reads_the_plan_on_a_phone(browser, live_server, plan):
    lotte = Traject.objects.get(student__first_name="Lotte")
    context, page = _open(browser, live_server, "leerling1@sintjozef.demo", PHONE)
    try:
        page.goto(f"/trajects/{lotte.public_id}/")
        page.get_by_test_id("traject-plan-link").click()
        expect(page.get_by_test_id("plan-grid")).to_be_visible()
        expect(
            page.get_by_text("Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6").first
        ).to_be_visible()
        expect(page.get_by_test_id("plan-cell-edit")).to_have_count(0)
        expect(page.get_by_text("Een opmerking over het plan")).to_have_count(0)
        assert _page_width(page) <= 390
    finally:
        context.close()


def test_on_a_desktop_the_grid_scrolls_in_its_own_box_with_a_sticky_first_column(
    browser, live_server, plan
):
    context, page = _open(browser, live_server, "directie@sintjozef.demo", DESKTOP)
    try:
        page.goto(f"/partnerships/{plan.partnership.public_id}/plan/")
        expect(page.get_by_test_id("plan-grid")).to_be_visible()
        first = page.locator("[data-testid=plan-row] th[scope=row]").first
        assert first.evaluate("(el) => getComputedStyle(el).position") == "sticky"
        assert (
            page.locator(".plan__scroll").evaluate("(el) => getComputedStyle(el).overflowX")
            == "auto"
        )
        assert _page_width(page) <= 1280
    finally:
        context.close()
