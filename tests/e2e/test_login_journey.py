"""A real Chromium logs in, reads the home page in Dutch, switches to English and logs out."""

import pytest

from duaal import demo

pytestmark = pytest.mark.browser


def test_trajectbegeleider_logs_in_switches_language_and_logs_out(page, demo_cast):
    page.goto("/")
    # Anonymous: sent to the login page, in Dutch by default.
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "nl-be"
    assert page.get_by_role("heading", name="Aanmelden").is_visible()

    page.get_by_label("E-mailadres").fill("TB@sintjozef.demo")
    page.get_by_label("Wachtwoord").fill(demo.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()

    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="Welkom, An").is_visible()
    assert page.get_by_role("heading", name="Mijn organisaties").is_visible()
    # Her role's home: her students first (the organisations come last).
    assert page.get_by_role("heading", name="Je leerlingen").is_visible()
    assert page.get_by_role("link", name="Technisch Instituut Sint-Jozef").is_visible()
    # htmx loaded under the strict CSP (a blocked script would leave it undefined).
    assert page.evaluate("typeof window.htmx") == "object"

    page.get_by_test_id("language-en").click()
    assert page.get_by_role("heading", name="Welcome, An").is_visible()
    assert page.get_by_role("heading", name="My organisations").is_visible()
    assert page.get_by_role("heading", name="Your students").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="Log in").is_visible()
    # Logged out for real: the home page sends us back to the login page.
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.console_errors == [], page.console_errors


def test_home_fits_a_phone_screen(browser, live_server, demo_cast):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        phone = context.new_page()
        phone.goto("/accounts/login/")
        phone.get_by_label("E-mailadres").fill("coord@vandenberghe.demo")
        phone.get_by_label("Wachtwoord").fill(demo.DEFAULT_PASSWORD)
        phone.get_by_role("button", name="Aanmelden").click()
        phone.wait_for_url("**/")
        # The company is named on its organisation card and on its recognitions panel.
        company_links = phone.get_by_role("link", name="Metaalbouw Vandenberghe")
        assert company_links.count() == 2
        assert company_links.first.is_visible()
        # Nothing wider than the screen: no horizontal scrolling on a 390 px phone.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
