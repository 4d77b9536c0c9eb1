"""The phone-first layout in a real Chromium (issue 8, item 2): the compact header and its menu,
tables that keep their labels as cards on a phone, and the RACI matrix on a desktop and a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from duaal import demo
from partnerships.models import Partnership, RaciCell, Traject

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
HEADER_MAX = 64


def _a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name__contains="Sint")


def _open(browser, live_server, email: str, options: dict):
    """A logged-in page in a new context of the given viewport (closed by the caller)."""
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


def _label(page, selector: str) -> list[str]:
    """The label each matching cell shows before its value (the ::before content)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(
            (el) => getComputedStyle(el, "::before").content.replace(/^"|"$/g, ""))""",
        selector,
    )


def test_compact_header_with_a_menu_on_the_phone_and_one_row_on_a_desktop(
    browser, live_server, demo_cast
):
    context, page = _open(browser, live_server, "coord@sintjozef.demo", PHONE)
    try:
        assert _header_height(page) <= HEADER_MAX
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_have_attribute("aria-controls", "site-menu")
        box = toggle.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
        expect(page.get_by_test_id("nav-trajects")).to_be_hidden()
        expect(page.get_by_test_id("logout")).to_be_hidden()

        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        for testid in ("nav-trajects", "nav-partnerships", "nav-agenda", "language-en", "logout"):
            expect(page.get_by_test_id(testid)).to_be_visible()
        expect(page.get_by_test_id("notification-counter")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # Escape closes the menu and gives the focus back to its button.
        page.get_by_test_id("nav-trajects").focus()
        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_be_focused()
        expect(page.get_by_test_id("nav-trajects")).to_be_hidden()

        # The menu leads somewhere: open it and follow a link.
        toggle.click()
        page.get_by_test_id("nav-trajects").click()
        page.wait_for_url("**/trajects/")
        assert _header_height(page) <= HEADER_MAX
    finally:
        context.close()

    context, page = _open(browser, live_server, "coord@sintjozef.demo", DESKTOP)
    try:
        assert _header_height(page) <= HEADER_MAX
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        for testid in ("nav-trajects", "nav-partnerships", "nav-agenda", "language-en", "logout"):
            expect(page.get_by_test_id(testid)).to_be_visible()
        # One row: every item of the header shares the brand's line.
        brand = page.locator(".brand").bounding_box()
        logout = page.get_by_test_id("logout").bounding_box()
        assert abs((brand["y"] + brand["height"] / 2) - (logout["y"] + logout["height"] / 2)) < 8
    finally:
        context.close()


def test_tables_become_labelled_cards_on_a_phone(browser, live_server, demo_cast):
    lotte = Traject.objects.get(student__first_name="Lotte", student__last_name="Janssens")
    context, page = _open(browser, live_server, "coord@sintjozef.demo", PHONE)
    try:
        page.goto("/trajects/")
        row = page.get_by_test_id("traject-row").first
        assert row.evaluate("(el) => getComputedStyle(el).display") == "block"
        labels = _label(page, "[data-testid=traject-row]:first-child td")
        assert labels == [
            "Leerling",
            "Klas",
            "School",
            "Samenwerking",
            "Opleiding",
            "Schooljaar",
            "Bedrijf en mentor",
            "Status",
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # The weekly pattern names its weekdays on a phone.
        page.goto(f"/trajects/{lotte.public_id}/")
        assert _label(page, "[data-testid=weekly-pattern] td") == [
            "Maandag",
            "Dinsdag",
            "Woensdag",
            "Donderdag",
            "Vrijdag",
        ]
        places = page.get_by_test_id("weekly-pattern").locator("td")
        expect(places.first).to_have_text("School")
        # Each label sits beside its value, not on top of it.
        label_right = page.evaluate(
            """() => { const td = document.querySelector("[data-testid=weekly-pattern] td");
                       const range = document.createRange(); range.selectNodeContents(td);
                       return [td.getBoundingClientRect().left, range.getBoundingClientRect().left]; }"""
        )
        assert label_right[1] - label_right[0] >= 100, label_right
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()

    # On a desktop the same tables are plain tables with their column headers.
    context, page = _open(browser, live_server, "coord@sintjozef.demo", DESKTOP)
    try:
        page.goto(f"/trajects/{lotte.public_id}/")
        header = page.get_by_test_id("weekly-pattern").locator("thead th").first
        expect(header).to_be_visible()
        expect(header).to_have_text("Maandag")
        assert _label(page, "[data-testid=weekly-pattern] td")[0] in ("none", "normal")
    finally:
        context.close()


def test_raci_matrix_on_a_desktop_and_on_a_phone(browser, live_server, demo_cast):
    a1 = _a1()
    url = f"/partnerships/{a1.public_id}/raci/"
    context, page = _open(browser, live_server, "coord@sintjozef.demo", DESKTOP)
    try:
        page.goto(url)
        sizes = page.evaluate(
            """() => { const box = document.querySelector(".raci__scroll");
                       const table = box.querySelector("table");
                       return {table: table.getBoundingClientRect().width, box: box.clientWidth,
                               page: document.documentElement.scrollWidth}; }"""
        )
        assert sizes["page"] <= 1280, sizes  # the page itself never scrolls sideways
        assert sizes["table"] <= sizes["box"], sizes  # the matrix fits at 1280 px
        sticky = page.evaluate(
            """() => [document.querySelector(".raci__table thead th"),
                      document.querySelector(".raci__table tbody th[scope=row]")]
                     .map((el) => getComputedStyle(el).position)"""
        )
        assert sticky == ["sticky", "sticky"]

        # The edit link names its task and role; after a save the focus is back on it.
        link = page.get_by_role("link", name="Wijzig Screening – Mentor: R", exact=True)
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
        link.click()
        select = page.get_by_label("Letter voor Screening – Mentor")
        expect(select).to_be_focused()
        select.select_option("I")
        page.locator("#raci-screening-mentor").get_by_role("button", name="Bewaren").click()
        saved = page.get_by_role("link", name="Wijzig Screening – Mentor: I", exact=True)
        expect(saved).to_be_focused()
        assert RaciCell.objects.get(partnership=a1, task="screening", role="mentor").letter == "I"
    finally:
        context.close()

    context, page = _open(browser, live_server, "mentor@vandenberghe.demo", PHONE)
    try:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        card = page.get_by_test_id("raci-task-screening")
        assert card.evaluate("(el) => getComputedStyle(el).display") == "grid"
        # Each role with its letter, role names visible; roles without a letter left out.
        cells = card.locator(".raci__cell")
        shown = [
            re.sub(r"\s+", " ", text).strip()
            for text in cells.evaluate_all(
                "(els) => els.filter((el) => el.offsetParent).map((el) => el.innerText)"
            )
        ]
        assert "Mentor I" in shown and "Trajectbegeleider duaal R" in shown, shown
        assert not any(text.startswith("Begeleider") for text in shown), shown
        assert card.locator(".raci__role", has_text="Mentor").is_visible()
    finally:
        context.close()
