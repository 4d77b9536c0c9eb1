"""Issue 10 in a real Chromium on a 390 px phone: Lotte (leerling1@sintjozef.demo) rates
today's leerfiche from her home page and saves — one tap per criterion plus one to save, at
most six interactions — and the marks are in the database.

The day is pinned: the clock moves to the first working day from now (a day or two at most,
so the session cookie the browser keeps is still valid), and Lotte's own opleidingsplan puts
``lasnaadvoorbereiding`` (five criteria, no opdracht sheet) at her company that week, on a
company day of her placement.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duaal import demo
from evaluation.models import CriterionScore, Evaluation, Evaluator, Session
from evaluation.selectors.day import week_in_period
from learning.models import Period, PlanEntry
from tests.evaluation.day_support import fiche, own_plan
from tests.evaluation.support import traject_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FICHE = "lasnaadvoorbereiding"
MAX_INTERACTIONS = 6
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def pin_a_company_day(lotte) -> dt.date:
    """The first working day from today, made a company day of Lotte's with FICHE planned."""
    day = timezone.localdate()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    placement = lotte.placements.order_by("start_date").first()
    placement.start_date = min(placement.start_date, day)
    placement.end_date = max(placement.end_date, day)
    setattr(placement, WEEKDAYS[day.weekday()], "company")
    placement.save()
    period = Period.objects.filter(
        partnership=lotte.partnership, start_date__lte=day, end_date__gte=day
    ).first()
    if period is None:  # a holiday between the demo's trimesters: a period of its own
        period = Period.objects.create(
            partnership=lotte.partnership,
            order=9,
            name="Testperiode",
            start_date=day - dt.timedelta(days=3),
            end_date=day + dt.timedelta(days=3),
        )
    plan = own_plan(lotte, [])
    week = week_in_period(period.start_date, day)
    PlanEntry.objects.create(
        plan=plan,
        leerfiche=fiche(lotte, FICHE),
        period=period,
        place="company",
        vestiging=placement.vestiging,
        week_from=week,
        week_to=week,
    )
    return day


def test_lotte_rates_todays_leerfiche_in_at_most_six_interactions(
    browser, live_server, demo_cast, time_machine
):
    lotte = traject_of("Lotte")
    day = pin_a_company_day(lotte)
    time_machine.move_to(
        dt.datetime(day.year, day.month, day.day, 16, tzinfo=ZoneInfo("Europe/Brussels")),
        tick=True,
    )
    criteria = list(
        fiche(lotte, FICHE).criteria.order_by("order", "pk").values_list("key", flat=True)
    )
    assert 1 <= len(criteria) <= MAX_INTERACTIONS - 1

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="nl-BE"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto("/accounts/login/")
        page.locator("[name=username]").fill("leerling1@sintjozef.demo")
        page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))

        # From here on, every tap and every field typed counts.
        interactions = 0
        card = page.get_by_test_id("day-card")
        expect(card.get_by_role("heading", name="Vandaag · bedrijf")).to_be_visible()
        expect(card.get_by_test_id("day-leerfiche")).to_have_text(fiche(lotte, FICHE).title)
        rows = card.get_by_test_id("day-criterion")
        expect(rows).to_have_count(len(criteria))
        # Every target is a big one: at least 44 × 44 px.
        box = rows.first.get_by_test_id("mark-v").bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
        for index in range(len(criteria)):
            mark = "mark-o" if index == len(criteria) - 1 else "mark-v"
            rows.nth(index).get_by_test_id(mark).click()
            interactions += 1
        # Straight on: "Bewaren" waits for the autosave of the last tap itself.
        card.get_by_test_id("day-save").click()
        interactions += 1
        page.wait_for_url(re.compile(r"/$"))
        expect(page.locator(".messages")).to_contain_text("Bewaard")
        assert interactions <= MAX_INTERACTIONS, interactions
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The opdracht sheet of appendix 2 fits the phone too: LL and M side by side per line.
        sheet = Session.objects.create(
            traject=lotte,
            leerfiche=fiche(lotte, "geintegreerde-lasopdracht"),
            leerfiche_key="geintegreerde-lasopdracht",
            date=day,
        )
        page.goto(f"/sessions/{sheet.public_id}/")
        row = page.get_by_test_id("sheet-row-mark").first
        expect(row.get_by_test_id("sheet-col-LL")).to_be_visible()
        expect(row.get_by_test_id("sheet-col-M")).to_be_visible()
        ll_box = row.get_by_test_id("sheet-col-LL").bounding_box()
        m_box = row.get_by_test_id("sheet-col-M").bounding_box()
        assert abs(ll_box["y"] - m_box["y"]) < 2 and m_box["x"] > ll_box["x"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert errors == [], errors
    finally:
        context.close()

    session = Session.objects.get(traject=lotte, leerfiche_key=FICHE, date=day)
    column = Evaluation.objects.get(session=session, evaluator=Evaluator.SELF)
    assert column.submitted_at is not None
    marks = dict(
        CriterionScore.objects.filter(evaluation=column).values_list("criterion_key", "mark")
    )
    assert marks == {**dict.fromkeys(criteria[:-1], "V"), criteria[-1]: "O"}
