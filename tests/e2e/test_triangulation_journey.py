"""Issue 10 in a real Chromium: the leerkracht opens Lotte's triangulation from the
evaluations overview and sees her own (LL) and her mentor's (M) marks side by side, with the
divergence marked by ▲ and a sentence — on a 390 px phone (labelled cards, no sideways
scrolling) and on a desktop (one row per criterion)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from duaal import demo
from evaluation.models import Evaluator, Session, SoftSkillRound
from tests.evaluation.marking import criterion_keys, mark
from tests.evaluation.support import traject_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def lotte_marked(demo_cast):
    """Lotte says V on her first two criteria, her mentor V on the first and O on the second."""
    lotte = traject_of("Lotte")
    # From a clean sheet: the demo's school year holds Lotte's own divergences.
    Session.objects.filter(traject=lotte).delete()
    SoftSkillRound.objects.filter(traject=lotte).delete()
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, Evaluator.SELF, {c[0]: "V", c[1]: "V"})
    mark(demo_cast, lotte, Evaluator.MENTOR, {c[0]: "V", c[1]: "O"})
    return lotte, c


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_leerkracht_sees_ll_and_m_side_by_side_with_the_divergence(
    page, live_server, lotte_marked, viewport
):
    lotte, c = lotte_marked
    page.set_viewport_size(viewport)
    log_in(page, "lk@sintjozef.demo")
    page.goto("/evaluations/")
    student = page.get_by_test_id("review-student").filter(has_text="Lotte")
    expect(student.get_by_test_id("review-divergences")).to_contain_text("1")
    student.get_by_test_id("review-student-link").click()
    page.wait_for_url(re.compile(r"/evaluations/triangulation/$"))
    expect(page.locator("h1")).to_have_text("Triangulatie")

    agreed = page.locator(f'[data-testid="tri-row"][data-criterion="{c[0]}"]')
    divergent = page.locator(f'[data-testid="tri-row"][data-criterion="{c[1]}"]')
    expect(agreed.get_by_test_id("tri-LL")).to_have_text("V")
    expect(agreed.get_by_test_id("tri-M")).to_have_text("V")
    expect(agreed.get_by_test_id("divergence")).to_have_count(0)
    expect(divergent.get_by_test_id("tri-LL")).to_have_text("V")
    expect(divergent.get_by_test_id("tri-M")).to_have_text("O")
    marker = divergent.get_by_test_id("divergence")
    expect(marker).to_be_visible()
    expect(marker).to_contain_text("▲")
    expect(marker).to_contain_text("Leerling zegt V, mentor O")

    ll_box = divergent.get_by_test_id("tri-LL").bounding_box()
    m_box = divergent.get_by_test_id("tri-M").bounding_box()
    if viewport is DESKTOP:
        # One row: LL and M in adjacent columns, at the same height.
        assert abs(ll_box["y"] - m_box["y"]) < 2 and m_box["x"] > ll_box["x"]
    else:
        # A labelled card: LL above M, each with its column's name, nothing sideways.
        assert m_box["y"] > ll_box["y"]
        label = divergent.get_by_test_id("tri-M").evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert "Mentor (M)" in label
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
