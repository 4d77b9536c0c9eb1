"""When an evaluation is missing: the company days of a traject's placements and the days a
student has not evaluated. One definition for the reminder rules (``evaluation.reminders``)
and for whoever lists the same gaps (the coordinator's action list in ``dashboards``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
COMPANY = "company"
# How far back company days are counted (a bound on the work per traject).
LOOKBACK_DAYS = 42

# A placement as the gaps read it: start, end and the place of each weekday (Monday first).
PlacementDays = tuple[date, date, tuple[str, ...]]


def is_company_day(placements: Iterable[PlacementDays], day: date) -> bool:
    """Whether ``day`` is a weekday the student spends at a company of one of ``placements``."""
    if day.weekday() >= 5:
        return False
    return any(
        start <= day <= end and days[day.weekday()] == COMPANY for start, end, days in placements
    )


def missed_company_days(
    *, last: date | None, today: date, company_day: Callable[[date], bool]
) -> list[date]:
    """The company days that have ended (before ``today``) since the last self-evaluation
    ``last``, looking back at most ``LOOKBACK_DAYS``; the student is reminded once
    ``settings.SELF_EVALUATION_REMINDER_DAYS`` of them have passed."""
    floor = max(day for day in (last, today - timedelta(days=LOOKBACK_DAYS + 1)) if day)
    return [
        day
        for offset in range(1, (today - floor).days)
        if company_day(day := floor + timedelta(days=offset))
    ]
