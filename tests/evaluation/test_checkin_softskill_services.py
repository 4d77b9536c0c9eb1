"""The services of the weekly check-in and the soft-skill rounds: columns, versions, locks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duaal.models import AuditEntry
from evaluation.models import Correction, SoftSkillAgreement, WeeklyCheckin
from evaluation.services import checkins, softskills
from evaluation.services.sheets import Locked, StaleVersion
from learning.models import Period
from tests.evaluation.support import as_seen_by, leerfiche, traject_of

TODAY = dt.date(2026, 11, 26)  # a Thursday
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


def test_a_checkin_is_the_mentors_with_versions_and_done(demo_cast, lotte):
    mentor = demo_cast["mentor@vandenberghe.demo"]
    traject = as_seen_by(mentor, lotte)
    state = checkins.save_checkin(
        actor=mentor,
        traject=traject,
        week_start=MONDAY,
        version=0,
        behaviour={"stiptheid": "meets"},
        today=TODAY,
    )
    assert (state.version, state.behaviour, state.done) == (1, {"stiptheid": "meets"}, False)
    with pytest.raises(StaleVersion) as stale:
        checkins.save_checkin(
            actor=mentor,
            traject=traject,
            week_start=MONDAY,
            version=0,
            behaviour={"stiptheid": "not_yet"},
            today=TODAY,
        )
    assert stale.value.current.behaviour == {"stiptheid": "meets"}
    state = checkins.save_checkin(
        actor=mentor, traject=traject, week_start=MONDAY, version=1, done=True, today=TODAY
    )
    assert state.done
    assert AuditEntry.objects.filter(action="checkin.done", traject_id=lotte.pk).count() == 1
    # The student and the teacher do not write the mentor's check-in.
    for email in ("leerling1@sintjozef.demo", "lk@sintjozef.demo"):
        user = demo_cast[email]
        with pytest.raises(PermissionDenied):
            checkins.save_checkin(
                actor=user,
                traject=as_seen_by(user, lotte),
                week_start=MONDAY,
                version=2,
                today=TODAY,
            )
    # A company coordinator evaluates too, but cannot change the mentor's finished check-in.
    coord = demo_cast["coord@vandenberghe.demo"]
    with pytest.raises(Locked):
        checkins.save_checkin(
            actor=coord,
            traject=as_seen_by(coord, lotte),
            week_start=MONDAY,
            version=2,
            behaviour={"stiptheid": "above"},
            today=TODAY,
        )


def test_a_checkin_refuses_bad_weeks_and_items(demo_cast, lotte):
    mentor = demo_cast["mentor@vandenberghe.demo"]
    traject = as_seen_by(mentor, lotte)
    bad = [
        {"week_start": TODAY},  # not a Monday
        {"week_start": MONDAY + dt.timedelta(days=7)},  # future
        {"week_start": MONDAY, "behaviour": {"voorkomen": "meets"}},  # not in the weekly check
        {"week_start": MONDAY, "behaviour": {"stiptheid": "great"}},
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError):
            checkins.save_checkin(actor=mentor, traject=traject, version=0, today=TODAY, **kwargs)
    assert not WeeklyCheckin.objects.exists()


def test_the_weeks_marks_go_on_the_weeks_latest_session(demo_cast, lotte):
    mentor = demo_cast["mentor@vandenberghe.demo"]
    traject = as_seen_by(mentor, lotte)
    fiche = leerfiche(lotte, "hoeklas-pb")
    made = checkins.session_for_week(
        actor=mentor, traject=traject, leerfiche=fiche, week_start=MONDAY, today=TODAY
    )
    assert made.date == TODAY
    again = checkins.session_for_week(
        actor=mentor, traject=traject, leerfiche=fiche, week_start=MONDAY, today=TODAY
    )
    assert again.pk == made.pk


def test_soft_skill_columns_strong_points_and_agreements(demo_cast, lotte):
    period = Period.objects.filter(partnership=lotte.partnership).order_by("order").first()
    mentor = demo_cast["mentor@vandenberghe.demo"]
    student = demo_cast["leerling1@sintjozef.demo"]
    traject = as_seen_by(mentor, lotte)
    round_ = softskills.open_round(actor=mentor, traject=traject, period=period)
    state = softskills.rate_soft_skills(
        actor=mentor,
        traject=traject,
        round=round_,
        evaluator="mentor",
        ratings={"stiptheid": "not_yet", "inzet-tonen": "above"},
        strong={"inzet-tonen": True},
        version=0,
        submit=True,
    )
    assert state.ratings == {"stiptheid": "not_yet", "inzet-tonen": "above"}
    assert state.strong == {"inzet-tonen"}
    # Only the mentor marks sterke punten; the student rates their own column.
    own = as_seen_by(student, lotte)
    with pytest.raises(PermissionDenied):
        softskills.rate_soft_skills(
            actor=student,
            traject=own,
            round=round_,
            evaluator="self",
            ratings={"stiptheid": "meets"},
            strong={"stiptheid": True},
            version=0,
        )
    mine = softskills.rate_soft_skills(
        actor=student,
        traject=own,
        round=round_,
        evaluator="self",
        ratings={"stiptheid": "meets"},
        version=0,
    )
    assert mine.ratings == {"stiptheid": "meets"}
    with pytest.raises(ValidationError):
        softskills.rate_soft_skills(
            actor=student,
            traject=own,
            round=round_,
            evaluator="self",
            ratings={"niet-bestaand": "meets"},
            version=1,
        )
    # A correction after the edit window keeps the old value.
    later = state.column.submitted_at + dt.timedelta(days=30)
    softskills.rate_soft_skills(
        actor=mentor,
        traject=traject,
        round=round_,
        evaluator="mentor",
        ratings={"stiptheid": "meets"},
        version=state.version,
        now=later,
    )
    correction = Correction.objects.get()
    assert (correction.old_value, correction.new_value) == ("not_yet", "meets")
    softskills.set_agreement(
        actor=mentor,
        traject=traject,
        round=round_,
        group_key="respectvol-handelen",
        text="Elke dag om 7u45 aanwezig.",
    )
    assert SoftSkillAgreement.objects.get().text == "Elke dag om 7u45 aanwezig."
    with pytest.raises(PermissionDenied):
        softskills.set_agreement(
            actor=student, traject=own, round=round_, group_key="respectvol-handelen", text="x"
        )
