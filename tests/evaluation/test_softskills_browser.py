"""The soft-skill sheet in a real Chromium on a 390 px phone: no sideways scrolling, big
toggles, and a tap autosaves (the status line says so and the rating is stored)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluation.models import SoftSkillRating, SoftSkillRound, Werkpunt
from learning.models import Period
from tests.e2e.test_layout import PHONE, _open
from tests.evaluation.support import traject_of

pytestmark = pytest.mark.browser


@pytest.fixture
def lotte(demo_cast):
    traject = traject_of("Lotte")
    SoftSkillRound.objects.filter(traject=traject).delete()
    Werkpunt.objects.filter(traject=traject).delete()
    return traject


def test_the_mentor_rates_on_a_phone_and_a_tap_is_saved(browser, live_server, lotte):
    period = Period.objects.filter(partnership=lotte.partnership).first()
    context, page = _open(browser, live_server, "mentor@vandenberghe.demo", PHONE)
    try:
        page.goto(f"/trajects/{lotte.public_id}/soft-skills/?period={period.pk}")
        expect(page.get_by_test_id("group-leerbereidheid")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        toggle = page.locator("label[for=rating-stiptheid-meets]")
        box = toggle.bounding_box()
        assert box["height"] >= 44, box
        toggle.click()
        expect(page.locator("[data-autosave-status]")).to_have_attribute(
            "data-state", "saved", timeout=10_000
        )
        assert (
            SoftSkillRating.objects.get(column__round__traject=lotte, skill_key="stiptheid").rating
            == "meets"
        )
        # The indicators fold open under the item.
        skill = page.get_by_test_id("skill-stiptheid")
        skill.locator(".softskill__indicators summary").click()
        expect(skill.get_by_text("op tijd komen")).to_be_visible()
        # A "voldoet nog niet" opens the werkpunt fields the save asks for.
        with page.expect_response(
            lambda response: "soft-skills" in response.url and response.request.method == "POST"
        ) as saved:
            page.locator("label[for=rating-voorkomen-not_yet]").click()
        assert saved.value.status == 200
        expect(page.locator("#werkpunt-voorkomen-text")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
