"""The student's day: which leerfiches the opleidingsplan puts where the weekly pattern puts
the student on a day (hand-built plans on Lotte's traject: Monday school, Tuesday training
centre, Wednesday to Friday at Metaalbouw Vandenberghe)."""

from __future__ import annotations

import datetime as dt

import pytest

from evaluation.models import Session
from evaluation.selectors.day import todays_leerfiches, week_in_period
from learning.models import Opleidingsplan, PlanEntry
from tests.evaluation.day_support import day_in, fiche, own_plan, trimester
from tests.evaluation.support import traject_of

MONDAY, TUESDAY, WEDNESDAY, FRIDAY, SATURDAY = 0, 1, 2, 4, 5


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


def keys(fiches) -> list[str]:
    return [item.key for item in fiches]


def test_week_numbers_follow_the_period():
    start = dt.date(2026, 9, 1)  # a Tuesday: week 1 runs from Monday 31 August
    assert week_in_period(start, dt.date(2026, 8, 31)) == 1
    assert week_in_period(start, dt.date(2026, 9, 6)) == 1
    assert week_in_period(start, dt.date(2026, 9, 7)) == 2


def test_a_company_day_a_school_day_and_a_training_centre_day(lotte):
    own_plan(
        lotte,
        [
            ("lasnaadvoorbereiding", "company", 2, 3),
            ("thermisch-snijden", "company", 5, 6),
            ("plan-en-tekening-lezen", "school", 2, 2),
            ("veilig-lassen", "simulated", 2, 2),
            ("tig-lassen", "training_centre", 2, 2),
        ],
    )
    period = trimester(lotte)
    wednesday = todays_leerfiches(lotte, day_in(period, 2, WEDNESDAY))
    assert wednesday.place == "company"
    assert keys(wednesday.scheduled) == ["lasnaadvoorbereiding"]
    assert wednesday.preselected.key == "lasnaadvoorbereiding"
    assert [c.key for c in wednesday.preselected.criteria] == [
        c.key for c in fiche(lotte, "lasnaadvoorbereiding").criteria.order_by("order", "pk")
    ]
    assert not wednesday.preselected.long_sheet
    # Gesimuleerd leren is practised at school.
    monday = todays_leerfiches(lotte, day_in(period, 2, MONDAY))
    assert monday.place == "school"
    assert set(keys(monday.scheduled)) == {"plan-en-tekening-lezen", "veilig-lassen"}
    tuesday = todays_leerfiches(lotte, day_in(period, 2, TUESDAY))
    assert tuesday.place == "training_centre"
    assert keys(tuesday.scheduled) == ["tig-lassen"]
    assert tuesday.preselected.long_sheet  # an appendix-2 sheet: behaviours, measurements
    # Outside the week range: nothing at the company.
    assert todays_leerfiches(lotte, day_in(period, 4, WEDNESDAY)).scheduled == []
    assert keys(todays_leerfiches(lotte, day_in(period, 6, FRIDAY)).scheduled) == [
        "thermisch-snijden"
    ]


def test_a_free_day_a_weekend_and_a_day_outside_the_placement_have_nothing(lotte):
    own_plan(lotte, [("lasnaadvoorbereiding", "company", 1, 12)])
    placement = lotte.placements.get()
    placement.friday = "free"
    placement.save()
    period = trimester(lotte)
    friday = todays_leerfiches(lotte, day_in(period, 3, FRIDAY))
    assert friday.place == "free" and friday.scheduled == [] and friday.preselected is None
    saturday = todays_leerfiches(lotte, day_in(period, 3, SATURDAY))
    assert saturday.place == "free" and saturday.scheduled == []
    before = todays_leerfiches(lotte, placement.start_date - dt.timedelta(days=7))
    assert before.placement is None and before.scheduled == []
    # The rest of the version is still there to pick.
    assert "lasnaadvoorbereiding" in keys(friday.others)


def test_a_company_entry_of_another_vestiging_is_not_this_students(lotte, demo_cast):
    from organisations.models import Vestiging

    plan = own_plan(lotte, [])
    other = Vestiging.objects.exclude(pk=lotte.placements.get().vestiging_id).first()
    PlanEntry.objects.create(
        plan=plan,
        leerfiche=fiche(lotte, "lasnaadvoorbereiding"),
        period=trimester(lotte),
        place="company",
        vestiging=other,
        week_from=1,
        week_to=12,
    )
    assert todays_leerfiches(lotte, day_in(trimester(lotte), 3, WEDNESDAY)).scheduled == []


def test_the_trajects_own_plan_wins_over_the_partnerships(lotte):
    period = trimester(lotte)
    on = day_in(period, 3, WEDNESDAY)
    partnership_plan = Opleidingsplan.objects.get(
        partnership=lotte.partnership, traject__isnull=True
    )
    PlanEntry.objects.filter(plan=partnership_plan).delete()
    PlanEntry.objects.create(
        plan=partnership_plan,
        leerfiche=fiche(lotte, "samenstellen-en-hechten"),
        period=period,
        place="company",
        vestiging=lotte.placements.get().vestiging,
        week_from=1,
        week_to=12,
    )
    assert keys(todays_leerfiches(lotte, on).scheduled) == ["samenstellen-en-hechten"]
    own_plan(lotte, [("visuele-lascontrole", "company", 3, 3)])
    day = todays_leerfiches(lotte, on)
    assert keys(day.scheduled) == ["visuele-lascontrole"]
    assert "samenstellen-en-hechten" in keys(day.others)
    assert "visuele-lascontrole" not in keys(day.others)


def test_the_last_one_practised_is_preselected(lotte):
    own_plan(
        lotte,
        [
            ("lasnaadvoorbereiding", "company", 1, 12),
            ("thermisch-snijden", "company", 1, 12),
            ("samenstellen-en-hechten", "company", 1, 12),
        ],
    )
    period = trimester(lotte)
    on = day_in(period, 5, WEDNESDAY)
    # Never practised: the first in the set's order.
    assert todays_leerfiches(lotte, on).preselected.key == "lasnaadvoorbereiding"
    for key, when in (
        ("samenstellen-en-hechten", on - dt.timedelta(days=7)),
        ("thermisch-snijden", on - dt.timedelta(days=1)),
        ("lasnaadvoorbereiding", on + dt.timedelta(days=1)),  # later: does not count
    ):
        Session.objects.create(
            traject=lotte, leerfiche=fiche(lotte, key), leerfiche_key=key, date=when
        )
    day = todays_leerfiches(lotte, on)
    assert day.preselected.key == "thermisch-snijden"
    assert day.preselected.last_practised == on - dt.timedelta(days=1)


@pytest.mark.parametrize("many", [False, True])
def test_a_fixed_number_of_queries(lotte, django_assert_num_queries, many):
    entries = [("lasnaadvoorbereiding", "company", 1, 12)]
    if many:
        entries += [
            (key, "company", 1, 12)
            for key in (
                "thermisch-snijden",
                "samenstellen-en-hechten",
                "visuele-lascontrole",
                "geintegreerde-lasopdracht",
                "hoeklas-pb",
            )
        ]
    own_plan(lotte, entries)
    on = day_in(trimester(lotte), 3, WEDNESDAY)
    with django_assert_num_queries(6):
        day = todays_leerfiches(lotte, on)
    assert len(day.scheduled) == len(entries)
