"""Helpers of the weekly check-in tests: a pinned working week and the student's own ratings
(what the mentor's check-in shows beside each criterion)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from evaluation.models import Evaluator, Session
from evaluation.services import sheets
from partnerships.models.partnerships import current_school_year
from tests.evaluation.support import as_seen_by, leerfiche

FICHE = "geintegreerde-lasopdracht"


def fixed_day() -> dt.date:
    """Wednesday of the week of 25 November of the demo's school year (no holidays)."""
    november = dt.date(current_school_year(), 11, 25)
    return november + dt.timedelta(days=2 - november.weekday())


@pytest.fixture(name="week")
def week_fixture(time_machine) -> dt.date:
    """Move the clock to that Wednesday, 10:00 in Brussels; returns the week's Monday."""
    day = fixed_day()
    time_machine.move_to(
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Brussels")),
        tick=False,
    )
    return day - dt.timedelta(days=day.weekday())


def practise(user, traject, key: str, on: dt.date, marks: dict[str, str]) -> Session:
    """The student rates ``marks`` on a session of ``key`` on ``on`` (their own column)."""
    seen = as_seen_by(user, traject)
    session = sheets.open_session(
        actor=user, traject=seen, leerfiche=leerfiche(traject, key), on=on, today=on
    )
    current = sheets.column_state(session.evaluations.filter(evaluator=Evaluator.SELF).first())
    sheets.rate(
        actor=user,
        traject=seen,
        session=session,
        evaluator=Evaluator.SELF,
        marks=marks,
        version=current.version,
    )
    return session


def criteria_keys(traject, key: str) -> list[str]:
    return list(
        leerfiche(traject, key).criteria.order_by("order", "pk").values_list("key", flat=True)
    )


def checkin_url(traject, monday: dt.date) -> str:
    return f"/trajects/{traject.public_id}/checkins/{monday.isoformat()}/"
