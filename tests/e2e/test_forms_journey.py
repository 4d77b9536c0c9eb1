"""Issue 8 in a real Chromium: a refused form lands on itself with focus on its error summary;
the trajects list asks once per search, keeps the search box's focus, and Back restores both
list and controls; the filters fold away on a phone; the CSV import page fits a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from duaal import demo
from organisations.models import Organisation
from partnerships.models import Partnership, Traject
from tests.partnerships.test_traject_views import bulk_trajects

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def a1() -> Partnership:
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_refused_form_on_the_partnership_page_lands_on_the_form(page, demo_cast, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "coord@sintjozef.demo")
    page.goto(f"/partnerships/{a1().public_id}/")
    page.locator("details:has(#invitation-form) > summary").click()
    page.locator("#invitation-form [name=invite-email]").fill("geen adres")
    page.locator("#invitation-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/invitations/new/#invite-error-summary$"))

    summary = page.locator("#invite-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page.locator("#invitation-form")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0  # the form sits far below the top
    expect(summary.get_by_role("heading")).to_have_text("Er ging iets mis — controleer deze velden")
    # Each link takes the person to its field.
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_invite-email")).to_be_focused()
    expect(page.locator("#id_invite-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_invite-email")).to_be_in_viewport()
    # The refused post itself is a 400 (Chrome logs it); nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def _list_requests(page) -> list[str]:
    """The URLs of every request for the trajects list (page loads and htmx swaps)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/trajects/" in r.url else None)
    return seen


def test_one_request_per_search_and_the_search_box_keeps_focus(page, demo_cast):
    page.set_viewport_size(DESKTOP)
    log_in(page, "tb@sintjozef.demo")
    page.clock.install()  # the typing delay runs when the test says so
    page.goto("/trajects/")
    requests = _list_requests(page)
    search = page.locator("#id_q")

    # Typed and Enter at once: the submit asks; the typing delay then finds nothing new.
    search.fill("lotte")
    with page.expect_response(re.compile(r"/trajects/\?q=lotte")):
        search.press("Enter")
    page.clock.run_for(2000)
    expect(page.get_by_test_id("traject-row")).to_have_count(1)
    expect(search).to_be_focused()
    assert [url.split("/trajects/")[1] for url in requests] == ["?q=lotte"]

    # Typed, the delay runs and asks; a later Enter asks nothing more.
    search.press_sequentially("x")
    search.press("Backspace")
    search.press("End")
    search.press_sequentially(" jan")
    with page.expect_response(re.compile(r"q=lotte(\+|%20)jan")):
        page.clock.run_for(400)
    search.press("Enter")
    page.clock.run_for(2000)
    expect(search).to_be_focused()
    assert page.evaluate("document.activeElement.selectionStart") == len("lotte jan")

    # A select asks on change, once.
    with page.expect_response(re.compile(r"status=running")):
        page.locator("#id_status").select_option("running")
    page.clock.run_for(2000)
    asked = [url for url in requests if "?" in url]
    assert len(asked) == 3, asked
    assert len(set(asked)) == 3
    # The history has one entry per search: Back goes to the previous search.
    page.go_back()
    expect(page.locator("#id_status")).to_have_value("")
    expect(page.locator("#id_q")).to_have_value("lotte jan")


def test_back_restores_the_list_and_its_controls(page, demo_cast):
    bulk_trajects(30)
    page.set_viewport_size(DESKTOP)
    log_in(page, "tb@sintjozef.demo")
    page.goto("/trajects/")
    opleiding = page.locator("#id_opleiding")
    option = opleiding.locator("option").filter(has_text=a1().opleiding.name)
    value = option.get_attribute("value")
    assert value  # the filter's value for A1's opleiding
    with page.expect_response(re.compile(rf"opleiding={re.escape(value)}")):
        opleiding.select_option(value)
    filtered_count = page.get_by_test_id("traject-count").inner_text()
    expected = Traject.objects.filter(partnership=a1()).count()  # tb sees A1 of that opleiding
    assert str(expected) in filtered_count

    with page.expect_response(re.compile(r"page=2")):
        page.get_by_test_id("pagination").get_by_role("link", name="2").first.click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(opleiding).to_have_value(value)

    page.go_back()
    page.wait_for_url(re.compile(rf"\?opleiding={re.escape(value)}$"))
    expect(page.locator("#id_opleiding")).to_have_value(value)
    expect(page.get_by_test_id("traject-count")).to_have_text(filtered_count)
    expect(page.locator("[data-filter-count-number]")).to_have_text("1")
    rows = page.get_by_test_id("traject-row")
    expect(rows).to_have_count(25)
    expect(page.get_by_test_id("pagination").locator("[aria-current=page]")).to_have_text("1")

    page.go_back()  # before any filter
    page.wait_for_url(re.compile(r"/trajects/$"))
    expect(page.locator("#id_opleiding")).to_have_value("")
    expect(page.locator("[data-filter-count]")).to_be_hidden()


def test_filters_fold_away_on_a_phone_and_the_first_student_is_above_the_fold(page, demo_cast):
    page.set_viewport_size(PHONE)
    log_in(page, "mentor@vandenberghe.demo")
    page.goto("/trajects/")
    filters = page.get_by_test_id("filters")
    assert filters.evaluate("el => el.open") is False
    expect(page.locator("#id_status")).to_be_hidden()
    first = page.get_by_test_id("traject-row").first
    box = first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], box
    assert no_horizontal_scroll(page)
    filters.locator("summary").click()
    expect(page.locator("#id_status")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.goto("/trajects/?status=running")
    assert page.get_by_test_id("filters").evaluate("el => el.open") is True
    expect(page.locator("[data-filter-count-number]")).to_have_text("1")


def test_import_pages_fit_a_phone_and_offer_the_template(page, demo_cast):
    school = Organisation.objects.get(name="Technisch Instituut Sint-Jozef")
    page.set_viewport_size(PHONE)
    log_in(page, "coord@sintjozef.demo")
    page.goto(f"/organisations/{school.public_id}/students/import/")
    expect(page.get_by_test_id("import-template")).to_be_visible()
    assert no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        content = handle.read()
    assert content.startswith(
        b"\xef\xbb\xbfvoornaam;achternaam;geboortedatum;klas;stamnummer;e-mail"
    )

    # A file with an error: the result page offers the upload again, and fits the phone.
    bad = content.replace(b"14/03/2009", b"31/02/2009")
    page.locator("[name=file]").set_input_files(
        {"name": "leerlingen.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_test_id("import-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("import-invalid")).to_be_visible()
    expect(page.get_by_test_id("reupload-form")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.get_by_test_id("reupload-form").locator("[name=file]").set_input_files(
        {"name": "leerlingen.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_test_id("reupload-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("import-confirm")).to_be_visible()
    page.get_by_test_id("import-confirm").locator("button[type=submit]").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()
    expect(page.get_by_text("1 leerling is geïmporteerd.")).to_have_count(1)
