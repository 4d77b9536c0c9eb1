"""The weekly check-in on the mentor's home: due or done per student, the open werkpunten,
only for who writes the mentor column, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duaal.homes import Viewer
from evaluation.homes.mentor import weekly_checkin
from evaluation.services import checkins, werkpunten
from partnerships.models import Traject
from tests.evaluation.checkin_support import checkin_url, week_fixture  # noqa: F401 - fixture
from tests.evaluation.support import as_seen_by


def test_the_mentor_sees_weekevaluatie_due_then_done(client, login, demo_cast, week):
    lotte = Traject.objects.get(student__first_name="Lotte")
    login("mentor@vandenberghe.demo")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert f'href="{checkin_url(lotte, week)}" data-testid="checkin-due">Weekevaluatie →' in html
    mentor = demo_cast["mentor@vandenberghe.demo"]
    checkins.save_checkin(
        actor=mentor, traject=as_seen_by(mentor, lotte), week_start=week, version=0, done=True
    )
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert 'data-testid="checkin-due"' not in html
    assert "✓ ingevuld wo 25/11" in html


@pytest.mark.parametrize(
    "email", ["lk@sintjozef.demo", "tb@sintjozef.demo", "leerling1@sintjozef.demo"]
)
def test_who_does_not_write_the_mentor_column_gets_no_check_in_link(
    client, login, demo_cast, week, email
):
    login(email)
    html = client.get("/").content.decode()
    assert "/checkins/" not in html


def _actions(viewer, subjects):
    with CaptureQueriesContext(connection) as captured:
        found = weekly_checkin(viewer=viewer, subjects=subjects)
    return found, len(captured)


def test_the_slot_answers_for_one_student_or_three_in_the_same_queries(demo_cast, week):
    coord = demo_cast["coord@vandenberghe.demo"]  # a company role: the M column of all three
    trajects = list(
        Traject.objects.filter(student__first_name__in=["Lotte", "Mohamed", "Jonas"]).order_by("pk")
    )
    for traject in trajects:
        seen = as_seen_by(coord, traject)
        werkpunten.open_werkpunt(actor=coord, traject=seen, text="PBM dragen")
        checkins.save_checkin(actor=coord, traject=seen, week_start=week, version=0, done=True)
    viewer = Viewer(user=coord, today=week)
    one, one_queries = _actions(viewer, trajects[:1])
    three, three_queries = _actions(viewer, trajects)
    assert one_queries == three_queries == 3
    assert set(three) == {traject.pk for traject in trajects}
    labels = [str(action.label) for action in three[trajects[0].pk]]
    assert labels[0].startswith("✓") and labels[1] == "1 open werkpunt"
