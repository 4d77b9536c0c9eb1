"""A student's progress: the history per leerfiche and evaluator, soft skills over the periods,
the werkpunten open and closed — for the student, the parents (read-only) and the team."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import Evaluator, Outcome, Rating
from evaluation.selectors.progress import leerfiche_progress
from evaluation.selectors.triangulation import triangulation
from evaluation.services import werkpunten
from learning.models import Leerfiche
from learning.selectors.traject_leerfiches import adopted_version
from tests.evaluation.marking import (
    FICHE,
    TODAY,
    criterion_keys,
    first_period,
    mark,
    rate_skills,
)
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
    (history,) = leerfiche_progress(traject_id=lotte.pk).leerfiches
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


def test_the_statuses_and_leerfiches_are_the_triangulations(demo_cast, lotte):
    """The progress selector computes the statuses from its own pass over the marks: they must
    be the triangulation's, leerfiche by leerfiche and in its order."""
    c = criterion_keys(lotte)
    other = (
        Leerfiche.objects.filter(version=adopted_version(traject=lotte))
        .exclude(key=FICHE)
        .order_by("-theme__order", "-order")
        .first()
    )
    d = criterion_keys(lotte, other.key)
    days = [TODAY - dt.timedelta(days=14), TODAY - dt.timedelta(days=7), TODAY]
    mark(demo_cast, lotte, LL, dict.fromkeys(c, "V"), on=days[0])
    mark(demo_cast, lotte, M, {c[0]: "V", c[1]: "O"}, on=days[0])
    mark(demo_cast, lotte, M, {c[1]: "V", c[0]: "O"}, on=days[1])
    mark(demo_cast, lotte, LL, dict.fromkeys(d, "V"), on=days[1], key=other.key)
    mark(demo_cast, lotte, LL, {d[0]: "O"}, on=days[2], key=other.key)
    mark(demo_cast, lotte, LK, dict.fromkeys(d, "V"), on=days[2], key=other.key)
    tri = triangulation(traject_id=lotte.pk)
    progress = leerfiche_progress(traject_id=lotte.pk)
    assert progress.columns == tri.columns
    assert len(tri.leerfiches) >= 2
    assert [(h.key, h.title, h.total, h.statuses) for h in progress.leerfiches] == [
        (block.key, block.title, len(block.rows), block.statuses) for block in tri.leerfiches
    ]
    reached = {h.key: {e: on for e, _short, on in h.reached_on} for h in progress.leerfiches}
    assert reached[FICHE][LL] == days[0] and reached[FICHE][M] is None
    # The student went back to O: the day she had them all stays, her status is no longer so.
    assert reached[other.key] == {LL: days[1], M: None, LK: days[2]}
    statuses = dict(next(h for h in progress.leerfiches if h.key == other.key).statuses)
    assert statuses[LL].progress == "practising" and statuses[LK].progress == "reached"


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
    # The page's own questions (the frame aside): the sessions, leerfiches, criteria and marks
    # (one pass for the histories and the statuses), the periods, the soft-skill ratings (not
    # the agreements: the page does not show them) and the werkpunten.
    own = [
        q["sql"]
        for q in small.captured_queries
        if re.search(r'FROM "(evaluation|learning)_', q["sql"])
    ]
    assert len(own) == 7, own
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
