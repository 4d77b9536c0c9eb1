"""The evaluation tests start from the demo cast without the demo's school year of
evaluations (``evaluation.demo.school_year``), unless marked ``demo_evaluations``: the demo's
dates are relative to the day of seeding, so a test that pins its own dates would otherwise
meet sessions, check-ins and rounds of the same days."""

from __future__ import annotations

import pytest


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "demo_evaluations: keep the demo's evaluations (evaluation.demo.school_year)"
    )


@pytest.fixture(autouse=True)
def _without_demo_evaluations(request) -> None:
    if "demo_cast" not in request.fixturenames or request.node.get_closest_marker(
        "demo_evaluations"
    ):
        return
    request.getfixturevalue("demo_cast")
    from evaluation.models import Session, SoftSkillRound, WeeklyCheckin, Werkpunt

    Werkpunt.objects.all().delete()
    WeeklyCheckin.objects.all().delete()
    SoftSkillRound.objects.all().delete()
    Session.objects.all().delete()
