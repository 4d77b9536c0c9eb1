"""The home tests run on a fixed working day inside the demo's school year.

The demo is seeded for the current school year (placements 1 September – 30 June); the tests
move the clock to Wednesday 25 November of that year (week 48 in 2026: 23–27 November), a
week without public holidays, so "this week" is the same whatever day the suite runs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from partnerships.models.partnerships import current_school_year


def fixed_day() -> date:
    november = date(current_school_year(), 11, 25)
    return november + timedelta(days=2 - november.weekday())  # that week's Wednesday


@pytest.fixture
def week(time_machine) -> date:
    """Move the clock to the fixed Wednesday (10:00 in Brussels); returns that date."""
    day = fixed_day()
    time_machine.move_to(
        datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Brussels")), tick=False
    )
    return day


@pytest.fixture
def home(client, demo_cast, week):
    """``home(email)``: the home page as that member of the demo cast, as text."""

    def _home(email: str) -> str:
        from accounts.models import User

        client.force_login(User.objects.get(email=email))
        response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    return _home
