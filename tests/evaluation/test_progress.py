"""A student's progress: the history per leerfiche and evaluator, soft skills over the periods,
the werkpunten open and closed — for the student, the parents (read-only) and the team."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import Evaluator, Outcome, Rating
from evaluation.selectors.progress import leerfiche_history
from evaluation.selectors.triangulation import triangulation
from evaluation.services import werkpunten
from tests.evaluation.marking import TODAY, criterion_keys, first_period, mark, rate_skills
from tests.evaluation.support import as_seen_by, traject_of

LL, M, LK = Evaluator.SELF, Evaluator.MENTOR, Evaluator.TEACHER


def _url(traject) -> str:
    return f"/trajects/{traject.public_id}/evaluations/progress/"


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


def test_the_history_keeps_every_day_and_the_day_all_were_reached(demo_cast, lotte):
    c = criterion_keys(lotte)
    days = [TODAY - dt.timedelta(days=14), TODAY - dt.timedelta(days=7), TODAY]
    mark(demo_cast, lotte, LL, {c[0]: "V", c[1]: "O"}, on=days[0])
    mark(demo_cast, lotte, LL, dict.fromkeys(c, "V"), on=days[1])
    mark(demo_cast, lotte, M, {c[0]: "O"}, on=days[1])
    mark(demo_cast, lotte, M, {c[0]: "V"}, on=days[2])
    (history,) = leerfiche_history(triangulation=triangulation(traject_id=lotte.pk))
    assert history.total == len(c)
    assert [point.date for point in history.points] == days
    by_day = [
        {cell.evaluator: (cell.reached, cell.marked) for cell in p.cells} for p in history.points
    ]
    assert by_day[0][LL] == (1, True) and by_day[0][M] == (0, False)
    assert by_day[1][LL] == (len(c), True) and by_day[1][M] == (0, True)
    # The student's marks stay where they were on a day she did not mark.
    assert by_day[2][LL] == (len(c), False) and by_day[2][M] == (1, True)
    reached_on = {evaluator: on for evaluator, _short, on in history.reached_on}
    assert reached_on == {LL: days[1], M: None, LK: None}


def test_the_parent_reads_lottes_progress_without_forms(client, login, demo_cast, lotte):
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, LL, {c[0]: "V"})
    mentor = demo_cast["mentor@vandenberghe.demo"]
    seen = as_seen_by(mentor, lotte)
    done = werkpunten.open_werkpunt(
        actor=mentor, traject=seen, text="Lasnaad reinigen", afspraak="Elke dag", on=TODAY
    )
    werkpunten.close_werkpunt(
        actor=mentor,
        traject=seen,
        werkpunt=done,
        outcome=Outcome.RESOLVED,
        note="Gaat goed",
        version=done.version,
        on=TODAY,
    )
    werkpunten.open_werkpunt(actor=mentor, traject=seen, text="Stipter zijn", on=TODAY)
    rate_skills(demo_cast, lotte, first_period(lotte), M, {"stiptheid": Rating.NOT_YET})
    login("ouder1@sintjozef.demo")
    response = client.get(_url(lotte))
    assert response.status_code == 200
    main = _main(response)
    assert "<form" not in main and "<button" not in main
    assert "Lasnaad reinigen" in main and "Gaat goed" in main and "Stipter zijn" in main
    assert main.count('data-testid="werkpunt"') == 2
    assert 'data-testid="progress-skill" data-skill="stiptheid"' in main
    assert 'data-testid="history-point"' in main
    # Read-only: any POST is refused, and nothing of another family opens.
    assert client.post(_url(lotte)).status_code == 403
    assert client.post(_url(lotte), {"version": "1"}).status_code == 403
    assert client.get(_url(traject_of("Emma"))).status_code == 404
    assert client.get(_url(traject_of("Mohamed"))).status_code == 404
    # The parent's menu leads there.
    home = client.get("/").content.decode()
    assert re.search(r'data-testid="nav-progress"', home)
    assert _url(lotte) in home


@pytest.mark.parametrize(
    ("email", "readable"),
    [
        ("leerling1@sintjozef.demo", {"Lotte"}),
        ("mentor@vandenberghe.demo", {"Lotte"}),
        ("lk@sintjozef.demo", {"Lotte", "Mohamed"}),
        ("coord@vandenberghe.demo", {"Lotte", "Mohamed", "Jonas"}),
        ("tb@dering.demo", {"Jonas"}),
        ("consulent@sector.demo", set()),
    ],
)
def test_who_reads_whose_progress(client, login, demo_cast, email, readable):
    login(email)
    for name in ("Lotte", "Mohamed", "Emma", "Jonas"):
        status = client.get(_url(traject_of(name))).status_code
        assert status == (200 if name in readable else 404), (email, name, status)


def test_the_team_sees_the_report_button_the_family_does_not(client, login, demo_cast, lotte):
    login("lk@sintjozef.demo")
    assert 'data-testid="report-request"' in client.get(_url(lotte)).content.decode()
    client.logout()
    login("leerling1@sintjozef.demo")
    assert 'data-testid="report-request"' not in client.get(_url(lotte)).content.decode()


def test_the_progress_query_count_does_not_grow_with_sessions(
    client, login, demo_cast, lotte, django_assert_num_queries
):
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, LL, {c[0]: "V"})
    login("leerling1@sintjozef.demo")
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(lotte)).status_code == 200
    for days in range(1, 8):
        on = TODAY - dt.timedelta(days=days)
        mark(demo_cast, lotte, LL, dict.fromkeys(c[:3], "V"), on=on)
        mark(demo_cast, lotte, M, dict.fromkeys(c[:2], "O"), on=on)
    mentor = demo_cast["mentor@vandenberghe.demo"]
    for text in ("a", "b", "c"):
        werkpunten.open_werkpunt(actor=mentor, traject=as_seen_by(mentor, lotte), text=text)
    for period in lotte.partnership.periods.all():
        rate_skills(demo_cast, lotte, period, M, {"stiptheid": Rating.MEETS})
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(_url(lotte)).status_code == 200
