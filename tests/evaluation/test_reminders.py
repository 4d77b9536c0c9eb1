"""The evaluation reminder rules, with the clock pinned: due and not-due cases, the rows made
once (a second sweep adds nothing), and only people who may see the student as recipients."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from evaluation.models import Evaluator
from evaluation.reminders.rules import (
    OpenWerkpunten,
    SelfEvaluationMissing,
    SoftSkillsDue,
    WeeklyCheckinMissing,
    _Pattern,
)
from evaluation.services import checkins, sheets, softskills, werkpunten
from learning.models import Period
from notifications.models import DeliveryStatus, Reminder
from notifications.registry import rules
from notifications.services.reminders import reminders_sweep
from partnerships.models import TeamMember
from tests.evaluation.support import as_seen_by, leerfiche, traject_of

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BRUSSELS)


def emails(candidates, traject) -> set[str]:
    ids = {c.recipient_id for c in candidates if c.subject_id == traject.pk}
    return set(User.objects.filter(pk__in=ids).values_list("email", flat=True))


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


@pytest.fixture
def week(lotte) -> dt.date:
    """A Monday in November of the demo's school year (placements run all year)."""
    first = dt.date(lotte.partnership.school_year, 11, 8)
    return first + dt.timedelta(days=7 - first.weekday()) if first.weekday() else first


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def _sweep(now: dt.datetime):
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep()

    return _sweep


def _self_evaluate(demo_cast, traject, day: dt.date, email: str = "leerling1@sintjozef.demo"):
    student = demo_cast[email]
    seen = as_seen_by(student, traject)
    session = sheets.open_session(
        actor=student, traject=seen, leerfiche=leerfiche(traject, "veilig-lassen"), on=day
    )
    key = session.leerfiche.criteria.order_by("order").values_list("key", flat=True)[0]
    sheets.rate(
        actor=student,
        traject=seen,
        session=session,
        evaluator=Evaluator.SELF,
        marks={key: "V"},
        version=0,
    )


def test_the_rules_are_registered_with_dutch_labels():
    for code in ("self_evaluation_missing", "weekly_checkin_missing", "soft_skills_due"):
        assert code in rules
    assert "open_werkpunten" in rules


# --- (a) no self-evaluation after three company days ---------------------------------------


def test_self_evaluation_reminder_after_three_company_days(demo_cast, lotte, week, sweep):
    # Lotte works at the company on Wednesday, Thursday and Friday.
    wednesday = week - dt.timedelta(days=5)  # of the week before
    with time_machine.travel(at(wednesday, 18), tick=False):
        _self_evaluate(demo_cast, lotte, wednesday)
    rule = SelfEvaluationMissing()
    # Monday: Thursday and Friday missed, two company days.
    assert emails(rule.evaluate(now=at(week)), lotte) == set()
    # Wednesday evening is not over yet on Wednesday: still two.
    assert emails(rule.evaluate(now=at(week + dt.timedelta(days=2))), lotte) == set()
    # Thursday: Wednesday is the third missed company day. Only Lotte herself is reminded.
    thursday = at(week + dt.timedelta(days=3))
    found = [c for c in rule.evaluate(now=thursday) if c.subject_id == lotte.pk]
    assert emails(found, lotte) == {"leerling1@sintjozef.demo"}
    assert [(c.due_date, c.lead_days, c.traject_id) for c in found] == [
        (week + dt.timedelta(days=2), 0, lotte.pk)
    ]
    sweep(thursday)
    sweep(thursday + dt.timedelta(hours=3))
    sweep(thursday + dt.timedelta(days=1))
    rows = Reminder.objects.filter(rule="self_evaluation_missing", traject=lotte)
    assert rows.count() == 1 and rows.get().status == DeliveryStatus.SENT
    message = next(m for m in mail.outbox if m.to == ["leerling1@sintjozef.demo"])
    assert message.subject == "Vul je zelfevaluatie in"
    assert "3 bedrijfsdagen" in message.body
    # A self-evaluation starts a new count: nothing is due the day after.
    with time_machine.travel(thursday, tick=False):
        _self_evaluate(demo_cast, lotte, thursday.date())
    assert emails(rule.evaluate(now=thursday + dt.timedelta(days=1)), lotte) == set()


# --- (b) the weekly check-in missing ------------------------------------------------------


def test_weekly_checkin_reminder_after_the_last_company_day(demo_cast, lotte, week, sweep):
    rule = WeeklyCheckinMissing()
    friday = week + dt.timedelta(days=4)
    mentor = demo_cast["mentor@vandenberghe.demo"]
    # Friday morning: this week is not over; last week's check-in was not done.
    found = [c for c in rule.evaluate(now=at(friday)) if c.subject_id == lotte.pk]
    assert emails(found, lotte) == {"mentor@vandenberghe.demo"}
    assert {c.due_date for c in found} == {friday - dt.timedelta(days=7)}
    # The mentor does last week's check-in: nothing due until this week's Friday is over.
    with time_machine.travel(at(friday), tick=False):
        checkins.save_checkin(
            actor=mentor,
            traject=as_seen_by(mentor, lotte),
            week_start=week - dt.timedelta(days=7),
            version=0,
            behaviour={"stiptheid": "meets"},
            done=True,
        )
    assert emails(rule.evaluate(now=at(friday, 20)), lotte) == set()
    saturday = at(friday + dt.timedelta(days=1))
    found = [c for c in rule.evaluate(now=saturday) if c.subject_id == lotte.pk]
    assert emails(found, lotte) == {"mentor@vandenberghe.demo"}
    assert {c.due_date for c in found} == {friday}
    # Mohamed's check-in goes to his own mentor, never to Lotte's.
    mohamed = traject_of("Mohamed")
    assert emails(rule.evaluate(now=saturday), mohamed) == {"mentor2@vandenberghe.demo"}
    sweep(saturday)
    sweep(saturday + dt.timedelta(days=1))
    assert (
        Reminder.objects.filter(
            rule="weekly_checkin_missing", traject=lotte, due_date=friday
        ).count()
        == 1
    )


def test_the_last_company_day_of_a_week_over_several_placements():
    monday = dt.date(2026, 3, 2)
    day = [monday + dt.timedelta(days=n) for n in range(5)]
    c, s = "company", "school"
    pattern = _Pattern(
        [
            (1, day[0] - dt.timedelta(days=30), day[2], c, s, c, c, s),  # ends on Wednesday
            (1, day[3], day[4] + dt.timedelta(days=60), s, s, s, s, s),  # no company day
            (2, day[1], day[4] + dt.timedelta(days=60), c, c, s, s, s),  # starts on Tuesday
            (2, day[0] - dt.timedelta(days=9), day[0], s, s, s, s, c),  # ended on Monday
            (3, day[0], day[4], s, s, s, s, s),
        ]
    )
    assert pattern.last_company_day_of_week(1, monday) == day[2]
    assert pattern.last_company_day_of_week(2, monday) == day[1]
    assert pattern.last_company_day_of_week(3, monday) is None
    assert pattern.last_company_day_of_week(4, monday) is None
    # The same as the latest day ``is_company_day`` admits.
    for traject in (1, 2, 3):
        admitted = [d for d in day if pattern.is_company_day(traject, d)]
        assert pattern.last_company_day_of_week(traject, monday) == max(admitted, default=None)


# --- (c) the soft-skill evaluation due near the period's end ------------------------------


def test_soft_skill_reminder_to_whoever_has_not_handed_in(demo_cast, lotte, sweep):
    period = Period.objects.filter(partnership=lotte.partnership).order_by("order").first()
    rule = SoftSkillsDue()
    early = at(period.end_date - dt.timedelta(days=20))
    assert emails(rule.evaluate(now=early), lotte) == set()
    two_weeks = at(period.end_date - dt.timedelta(days=13))
    found = [c for c in rule.evaluate(now=two_weeks) if c.subject_id == lotte.pk]
    # The student, the mentor and the leerkracht; never the parent or the coördinators.
    assert emails(found, lotte) == {
        "leerling1@sintjozef.demo",
        "mentor@vandenberghe.demo",
        "lk@sintjozef.demo",
    }
    assert {(c.due_date, c.lead_days) for c in found} == {(period.end_date, 14)}
    sweep(two_weeks)
    # Lotte hands in her column: she is no longer reminded.
    student = demo_cast["leerling1@sintjozef.demo"]
    with time_machine.travel(two_weeks, tick=False):
        seen = as_seen_by(student, lotte)
        round_ = softskills.open_round(actor=student, traject=seen, period=period)
        softskills.rate_soft_skills(
            actor=student,
            traject=seen,
            round=round_,
            evaluator=Evaluator.SELF,
            ratings={"stiptheid": "meets"},
            version=0,
            submit=True,
        )
    three_days = at(period.end_date - dt.timedelta(days=3))
    found = [c for c in rule.evaluate(now=three_days) if c.subject_id == lotte.pk]
    assert emails(found, lotte) == {"mentor@vandenberghe.demo", "lk@sintjozef.demo"}
    assert {c.lead_days for c in found} == {3}
    sweep(three_days)
    sweep(three_days)
    rows = Reminder.objects.filter(rule="soft_skills_due", traject=lotte)
    assert sorted(rows.values_list("recipient__email", "lead_days")) == [
        ("leerling1@sintjozef.demo", 14),
        ("lk@sintjozef.demo", 3),
        ("lk@sintjozef.demo", 14),
        ("mentor@vandenberghe.demo", 3),
        ("mentor@vandenberghe.demo", 14),
    ]


def test_a_leerkracht_who_does_not_see_the_student_is_not_reminded(demo_cast):
    emma = traject_of("Emma")
    lk = demo_cast["lk@sintjozef.demo"]
    # In A2's team as leerkracht, but without the grants that come with it (not synced).
    TeamMember.objects.create(
        partnership=emma.partnership,
        user=lk,
        role="leerkracht",
        organisation=emma.partnership.school,
    )
    period = Period.objects.filter(partnership=emma.partnership).order_by("order").first()
    found = SoftSkillsDue().evaluate(now=at(period.end_date - dt.timedelta(days=5)))
    assert emails(found, emma) == {"leerling3@sintjozef.demo", "mentor@daems.demo"}


# --- (d) open werkpunten before the next evaluation ---------------------------------------


def test_open_werkpunten_reminder_before_the_evaluation(demo_cast, lotte, sweep):
    period = Period.objects.filter(partnership=lotte.partnership).order_by("order").first()
    rule = OpenWerkpunten()
    week_before = at(period.end_date - dt.timedelta(days=6))
    assert emails(rule.evaluate(now=week_before), lotte) == set()  # nothing open
    mentor = demo_cast["mentor@vandenberghe.demo"]
    seen = as_seen_by(mentor, lotte)
    werkpunt = werkpunten.open_werkpunt(
        actor=mentor,
        traject=seen,
        text="Op tijd beginnen",
        example="Drie keer te laat na de middag.",
        afspraak="Wekker om 12.55 uur.",
        on=period.end_date - dt.timedelta(days=30),
    )
    assert emails(rule.evaluate(now=at(period.end_date - dt.timedelta(days=8))), lotte) == set()
    found = [c for c in rule.evaluate(now=week_before) if c.subject_id == lotte.pk]
    assert emails(found, lotte) == {"leerling1@sintjozef.demo", "mentor@vandenberghe.demo"}
    assert {(c.due_date, c.lead_days) for c in found} == {(period.end_date, 7)}
    sweep(week_before)
    sweep(week_before + dt.timedelta(days=1))
    assert Reminder.objects.filter(rule="open_werkpunten", traject=lotte).count() == 2
    message = next(
        m
        for m in mail.outbox
        if m.to == ["mentor@vandenberghe.demo"] and m.subject.startswith("Open werkpunten")
    )
    assert message.subject == "Open werkpunten van Lotte Janssens voor de evaluatie"
    assert "- Op tijd beginnen" in message.body
    # Closed, or the round's mentor column handed in: nothing more to remind.
    werkpunten.close_werkpunt(
        actor=mentor, traject=seen, werkpunt=werkpunt, outcome="resolved", version=1
    )
    assert emails(rule.evaluate(now=week_before), lotte) == set()


# --- set-based: the number of queries does not grow with the trajects -----------------------


def _more_students(partnership, count: int, first_day: dt.date) -> None:
    from decimal import Decimal

    from evaluation.models import Werkpunt
    from partnerships.models import Placement, PlacementSupervisor, SchoolClass, Student, Traject
    from partnerships.services.grants import partnership_sync_grants

    mentor = User.objects.get(email="mentor@vandenberghe.demo")
    entry = partnership.companies.select_related("company", "vestiging").first()
    for _ in range(count):
        n = Student.objects.count()
        account = User.objects.create_user(f"extra{n}@sintjozef.invalid", "x", full_name="X")
        student = Student.objects.create(
            school=partnership.school,
            first_name=f"Extra{n}",
            last_name="Test",
            birth_date=dt.date(2009, 1, 1),
            school_class=SchoolClass.objects.filter(school=partnership.school).first(),
            user=account,
        )
        traject = Traject.objects.create(student=student, partnership=partnership, status="running")
        placement = Placement.objects.create(
            traject=traject,
            company=entry.company,
            vestiging=entry.vestiging,
            start_date=first_day,
            end_date=first_day + dt.timedelta(days=300),
            workplace_hours_per_week=Decimal(20),
            wednesday="company",
            thursday="company",
            friday="company",
        )
        PlacementSupervisor.objects.create(placement=placement, user=mentor, kind="mentor")
        Werkpunt.objects.create(
            traject=traject, text="Opruimen", opened_by=mentor, opened_on=first_day
        )
    partnership_sync_grants(partnership=partnership)


@pytest.mark.parametrize(
    "rule",
    ["self_evaluation_missing", "weekly_checkin_missing", "soft_skills_due", "open_werkpunten"],
)
def test_rule_query_count_is_constant(demo_cast, lotte, rule):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = Period.objects.filter(partnership=lotte.partnership).order_by("order").first()
    now = at(period.end_date - dt.timedelta(days=5))
    counts = []
    for size in (2, 10):
        _more_students(lotte.partnership, size, period.start_date)
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            found = rules[rule].evaluate(now=now)
        assert found, rule
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8
