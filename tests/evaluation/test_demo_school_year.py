"""The demo's school year of evaluations (``evaluation.demo.school_year``), seeded with the
clock pinned on a few days of the demo's school year: ten weeks relative to that day, the
students' company days only, check-ins, a soft-skill round with divergences, Emma at risk,
no evaluation reminder due for the cast, and a second run that adds nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count

from duaal import audit
from duaal.models import AuditEntry
from evaluation.demo.school_year import seed_school_year
from evaluation.models import (
    CriterionScore,
    Evaluation,
    Session,
    SoftSkillAgreement,
    SoftSkillRating,
    WeeklyCheckin,
    Werkpunt,
)
from evaluation.reminders.rules import (
    OpenWerkpunten,
    SelfEvaluationMissing,
    SoftSkillsDue,
    WeeklyCheckinMissing,
)
from evaluation.selectors.marks import latest_marks
from partnerships.models import Traject
from tests.evaluation.support import traject_of

BRUSSELS = ZoneInfo("Europe/Brussels")


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Session,
            Evaluation,
            CriterionScore,
            WeeklyCheckin,
            SoftSkillRating,
            SoftSkillAgreement,
            Werkpunt,
        )
    )


def _days(year: int) -> list[dt.date]:
    return [
        dt.date(year, 11, 25),  # a Wednesday in the first trimester
        dt.date(year, 12, 12),  # a Saturday in the last two weeks of the first trimester
        dt.date(year + 1, 3, 22),  # a Monday near the end of the second trimester
    ]


def _seed(day: dt.date) -> str:
    with (
        time_machine.travel(dt.datetime.combine(day, dt.time(7, 30), tzinfo=BRUSSELS), tick=False),
        audit.system_context("test seed"),
    ):
        return seed_school_year()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_a_school_year_in_progress_whatever_the_day(demo_cast, index):
    lotte = traject_of("Lotte")
    day = _days(lotte.partnership.school_year)[index]
    summary = _seed(day)
    assert summary.startswith("Evaluaties:")
    first_monday = day - dt.timedelta(days=day.weekday()) - dt.timedelta(weeks=9)
    for name in ("Lotte", "Mohamed"):
        traject = traject_of(name)
        sessions = Session.objects.filter(traject=traject)
        dates = sorted(sessions.values_list("date", flat=True))
        # Every company day (Wednesday to Friday) of ten weeks, up to yesterday.
        assert dates[0] >= first_monday and dates[-1] < day
        assert {d.weekday() for d in dates} == {2, 3, 4}
        assert len(dates) == len(set(dates))
        expected = [
            first_monday + dt.timedelta(days=n)
            for n in range((day - first_monday).days)
            if (first_monday + dt.timedelta(days=n)).weekday() in (2, 3, 4)
        ]
        assert dates == expected
        selfs = Evaluation.objects.filter(session__traject=traject, evaluator="self")
        assert selfs.count() == len(dates)
        assert not selfs.filter(submitted_at__isnull=True).exists()
        # The mentor's check-in of every week whose Friday is over, done.
        checkins = WeeklyCheckin.objects.filter(traject=traject)
        weeks_over = {d - dt.timedelta(days=d.weekday()) for d in expected if d.weekday() == 4}
        assert set(checkins.values_list("week_start", flat=True)) == weeks_over
        assert not checkins.filter(done_at__isnull=True).exists()
        assert all(c.behaviour.count() == 3 for c in checkins)
        # Progress from O to V: more V in the last self-evaluations than in the first ones.
        first = CriterionScore.objects.filter(
            evaluation__in=selfs.filter(session__date__in=dates[:3])
        )
        last = CriterionScore.objects.filter(
            evaluation__in=selfs.filter(session__date__in=dates[-3:])
        )
        share = lambda rows: rows.filter(mark="V").count() / rows.count()  # noqa: E731
        assert share(first) < share(last)
    # Emma: a few self-evaluations, none on her last two company days (Thursdays).
    emma = traject_of("Emma")
    emma_selfs = Evaluation.objects.filter(session__traject=emma, evaluator="self")
    thursdays = sorted(Session.objects.filter(traject=emma).values_list("date", flat=True))
    assert 0 < emma_selfs.count() < len(thursdays) / 2 + 2
    assert not emma_selfs.filter(session__date__in=thursdays[-2:]).exists()
    assert WeeklyCheckin.objects.filter(traject=emma, done_at__isnull=False).exists()
    # Jonas (B1, no opleidingsplan): his mentor's behaviour checks only.
    jonas = traject_of("Jonas")
    assert WeeklyCheckin.objects.filter(traject=jonas).exists()
    assert not Session.objects.filter(traject=jonas).exists()
    # No evaluation reminder is due for the cast on the day of seeding.
    now = dt.datetime.combine(day, dt.time(9), tzinfo=BRUSSELS)
    cast = set(Traject.objects.values_list("pk", flat=True))
    for rule in (
        SelfEvaluationMissing(),
        WeeklyCheckinMissing(),
        SoftSkillsDue(),
        OpenWerkpunten(),
    ):
        assert [c for c in rule.evaluate(now=now) if c.subject_id in cast] == [], rule.code
    # A second run adds nothing.
    counts = _counts()
    assert _seed(day) == "Evaluaties: het schooljaar stond er al."
    assert _counts() == counts


def test_the_first_round_has_divergences_sterke_punten_and_open_werkpunten(demo_cast):
    lotte = traject_of("Lotte")
    # The session's demo wrote its own audit entries: count only this seed's.
    floor = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _seed(_days(lotte.partnership.school_year)[0])
    ratings = {
        (evaluator, key): rating
        for evaluator, key, rating in SoftSkillRating.objects.filter(
            column__round__traject=lotte
        ).values_list("column__evaluator", "skill_key", "rating")
    }
    assert ratings[("self", "stiptheid")] == "meets"
    assert ratings[("mentor", "stiptheid")] == "not_yet"
    assert ratings[("teacher", "stiptheid")] == "not_yet"
    assert set(
        SoftSkillRating.objects.filter(column__round__traject=lotte, strong=True).values_list(
            "skill_key", flat=True
        )
    ) == {"inzet-tonen", "respect-voor-materiaal"}
    werkpunten = Werkpunt.objects.filter(traject=lotte, closed_on__isnull=True)
    assert {w.skill_key for w in werkpunten} == {"stiptheid", "zelfreflectie"}
    assert all(w.example and w.afspraak and w.soft_skill_round_id for w in werkpunten)
    assert SoftSkillAgreement.objects.filter(round__traject=lotte).count() == 2
    # Triangulation: somewhere Lotte says V where her mentor (still) says O.
    marks = latest_marks(traject_ids=[lotte.pk])
    assert any(
        latest.mark == "V"
        and marks.get((t, fiche, key, "mentor")) is not None
        and marks[(t, fiche, key, "mentor")].mark == "O"
        for (t, fiche, key, evaluator), latest in marks.items()
        if evaluator == "self"
    )
    # Some notes and sterke punten; everything in the audit trail.
    assert Session.objects.filter(traject=lotte).exclude(student_note="").exists()
    assert (
        Session.objects.filter(traject__partnership=lotte.partnership)
        .exclude(sterke_punten="")
        .exists()
    )
    actions = dict(
        AuditEntry.objects.filter(traject_id=lotte.pk, pk__gt=floor)
        .values_list("action")
        .annotate(n=Count("pk"))
        .values_list("action", "n")
    )
    assert actions["evaluation.submit"] >= 27
    assert actions["checkin.done"] == 9
    assert actions["werkpunt.open"] == 2
    assert actions["soft_skills.submit"] == 3


@pytest.mark.demo_evaluations
def test_the_seeded_demo_holds_the_school_year(demo_cast):
    """The demo as the test session seeded it (on the real day)."""
    for name in ("Lotte", "Mohamed"):
        assert Session.objects.filter(traject=traject_of(name)).count() >= 20
    assert Werkpunt.objects.filter(closed_on__isnull=True).count() >= 3
