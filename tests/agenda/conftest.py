"""The agenda tests run on a fixed day, so the demo placements fall in a known school year.

Monday 3 November 2025 (Europe/Brussels): the demo placements run from 1 September 2025 to
30 June 2026 and the feed window is 4 October 2025 .. 2 May 2026.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agenda import services
from partnerships.models import Placement, Student, Traject, TrajectStatus
from partnerships.services.grants import partnership_sync_grants
from tests import seeding

TODAY = datetime(2025, 11, 3, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def _seed_on_the_frozen_day() -> None:
    with time_machine.travel(TODAY, tick=False):
        seeding.seed_demo()


seeding.register(
    "demo on 2025-11-03",
    fixture="cast",
    build=_seed_on_the_frozen_day,
    present=seeding.demo_present,
    version=lambda: TODAY,
    priority=10,
    folder=Path(__file__).parent,
)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return TODAY.date()


@pytest.fixture
def cast(request, frozen_today, demo_cast):
    """The demo cast, seeded on the frozen day (once: see tests/seeding.py)."""
    seeding.require(request, "cast")
    return demo_cast


@pytest.fixture
def feed_url():
    """``feed_url(user)`` gives the user a fresh calendar link and returns its path."""
    from django.urls import reverse

    def _feed_url(user) -> str:
        _feed, secret = services.calendar_feed_create(user=user)
        return reverse("agenda:feed", args=[secret])

    return _feed_url


@pytest.fixture
def add_students():
    """``add_students(n)``: n more students in A1 at company X, mentored by Lotte's mentor."""
    return _add_students


def _add_students(n: int) -> None:
    """n more students in A1 at company X, each with a placement, mentored by Lotte's mentor."""
    lotte = Traject.objects.select_related("student", "partnership").get(
        student__first_name="Lotte"
    )
    template = Placement.objects.get(traject=lotte)
    mentor = template.supervisors.get().user
    offset = Student.objects.count()
    for i in range(n):
        student = Student.objects.create(
            school=lotte.student.school,
            first_name=f"Extra{offset + i}",
            last_name="Leerling",
            birth_date=date(2008, 1, 1),
            school_class=lotte.student.school_class,
        )
        traject = Traject.objects.create(
            student=student, partnership=lotte.partnership, status=TrajectStatus.RUNNING
        )
        placement = Placement.objects.create(
            traject=traject,
            company=template.company,
            vestiging=template.vestiging,
            start_date=template.start_date,
            end_date=template.end_date,
            monday="company",
            tuesday="company",
            wednesday="school",
            thursday="school",
            friday="training_centre",
            workplace_hours_per_week=Decimal("16"),
        )
        placement.supervisors.create(user=mentor, kind="mentor")
    partnership_sync_grants(partnership=lotte.partnership)
