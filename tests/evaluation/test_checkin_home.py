"""The weekly check-in on the mentor's home: due or done per student, the open werkpunten,
only for who writes the mentor column, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duaal.homes import Viewer
from evaluation.homes.mentor import weekly_checkin
from evaluation.models import Werkpunt
from evaluation.services import checkins, werkpunten
from partnerships import permissions
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
    assert one_queries == three_queries == 1  # one query: trajects with their week state
    assert set(three) == {traject.pk for traject in trajects}
    labels = [str(action.label) for action in three[trajects[0].pk]]
    assert labels[0].startswith("✓") and labels[1] == "1 open werkpunt"


def test_the_mentors_home_takes_as_many_queries_for_one_student_as_for_six(client, demo_cast, week):
    """Six students, each with a check-in done this week and an open werkpunt: the same
    number of queries as one."""
    from tests.homes.test_query_counts import add_students, count_home

    mentor = demo_cast["mentor@vandenberghe.demo"]

    def with_states() -> None:
        for traject in permissions.trajects_evaluable_as_mentor_by(user=mentor):
            seen = as_seen_by(mentor, traject)
            if not Werkpunt.objects.filter(traject=traject).exists():
                werkpunten.open_werkpunt(actor=mentor, traject=seen, text="PBM dragen")
                checkins.save_checkin(
                    actor=mentor, traject=seen, week_start=week, version=0, done=True
                )

    with_states()
    one, html = count_home(client, "mentor@vandenberghe.demo")
    assert html.count('data-testid="checkin-done"') == 1
    add_students(5, mentor=mentor, parent=demo_cast["ouder1@sintjozef.demo"])
    with_states()
    six, html = count_home(client, "mentor@vandenberghe.demo")
    assert html.count('data-testid="checkin-done"') == 6
    assert html.count('data-testid="checkin-werkpunten"') == 6
    assert one == six, (one, six)
