"""The team's review pages: who reads which student's evaluations, what the triangulation
shows, and a query count that does not grow with students or sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import Evaluator, Rating, Werkpunt
from partnerships.models import SchoolClass, Student
from partnerships.services.trajects import traject_create
from tests.evaluation.marking import TODAY, criterion_keys, first_period, mark, rate_skills
from tests.evaluation.support import traject_of

LL, M, LK = Evaluator.SELF, Evaluator.MENTOR, Evaluator.TEACHER


def _triangulation_url(traject) -> str:
    return f"/trajects/{traject.public_id}/evaluations/triangulation/"


def _names(response) -> set[str]:
    return {row.traject.student.first_name for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("email", "students"),
    [
        ("lk@sintjozef.demo", {"Lotte", "Mohamed"}),
        ("mentor@vandenberghe.demo", {"Lotte"}),
        ("tb@dering.demo", {"Jonas"}),
        ("consulent@sector.demo", set()),
        # The family is not "the team": their own traject is on the progress page.
        ("leerling1@sintjozef.demo", set()),
        ("ouder1@sintjozef.demo", set()),
    ],
)
def test_the_overview_lists_the_students_the_viewer_sees(client, login, demo_cast, email, students):
    login(email)
    response = client.get("/evaluations/")
    assert response.status_code == 200
    assert _names(response) - {"Noor"} == students


def test_the_leerkracht_reads_lotte_and_mohamed_not_emma(client, login, demo_cast):
    login("lk@sintjozef.demo")
    for name in ("Lotte", "Mohamed"):
        assert client.get(_triangulation_url(traject_of(name))).status_code == 200
    assert client.get(_triangulation_url(traject_of("Emma"))).status_code == 404
    # A read-only page: a POST is refused.
    assert client.post(_triangulation_url(traject_of("Lotte"))).status_code == 403
    assert client.post(_triangulation_url(traject_of("Emma"))).status_code == 404


def test_the_mentor_reads_only_lotte(client, login, demo_cast):
    login("mentor@vandenberghe.demo")
    assert client.get(_triangulation_url(traject_of("Lotte"))).status_code == 200
    for name in ("Mohamed", "Emma", "Jonas"):
        assert client.get(_triangulation_url(traject_of(name))).status_code == 404


def test_the_triangulation_shows_the_columns_side_by_side_and_marks_divergence(
    client, login, demo_cast
):
    lotte = traject_of("Lotte")
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, LL, {c[0]: "V", c[1]: "V"}, note="Ik leerde een hoeknaad lassen.")
    mark(demo_cast, lotte, M, {c[0]: "V", c[1]: "O"})
    rate_skills(demo_cast, lotte, first_period(lotte), LL, {"stiptheid": Rating.MEETS})
    rate_skills(demo_cast, lotte, first_period(lotte), M, {"stiptheid": Rating.NOT_YET})
    login("lk@sintjozef.demo")
    response = client.get(_triangulation_url(lotte))
    html = response.content.decode()
    assert response.status_code == 200
    (block,) = response.context["tri"].leerfiches
    assert [row.divergence for row in block.rows[:2]] == [None, "self_higher"]
    # The ▲ carries a sentence (not colour alone); two divergences: a criterion, a soft skill.
    assert html.count('data-testid="divergence"') == 2
    assert 'data-divergence="self_higher"' in html and 'data-divergence="team_split"' not in html
    assert "Ik leerde een hoeknaad lassen." in html  # what she learned at the workplace
    assert 'data-testid="workplace-session"' in html
    # Every cell of the card tables is labelled for the phone.
    assert 'data-label="Mentor (M)"' in html


def test_the_overview_counts_per_student(client, login, demo_cast):
    lotte = traject_of("Lotte")
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, LL, {c[0]: "V", c[1]: "V"}, on=TODAY - dt.timedelta(days=1))
    mark(demo_cast, lotte, M, {c[0]: "V", c[1]: "O"})
    Werkpunt.objects.create(
        traject=lotte,
        text="Naad reinigen",
        opened_by=demo_cast["mentor@vandenberghe.demo"],
        opened_on=TODAY,
    )
    login("lk@sintjozef.demo")
    response = client.get("/evaluations/")
    (row,) = [r for r in response.context["rows"] if r.traject.pk == lotte.pk]
    assert row.leerfiches == 1
    assert (row.triangulation.reached, row.divergences, row.open_werkpunten) == (1, 1, 1)
    assert row.last_self == TODAY - dt.timedelta(days=1)
    assert row.last_checkin is None
    assert 'data-testid="review-student"' in response.content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_overview_query_count_does_not_grow_with_students_or_sessions(
    client, login, demo_cast, django_assert_num_queries
):
    login("tb@sintjozef.demo")
    lotte = traject_of("Lotte")
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, LL, {c[0]: "V"})
    small = _count(client, "/evaluations/")
    # More sessions, marks, soft skills and werkpunten, on more students.
    for name in ("Lotte", "Mohamed"):
        traject = traject_of(name)
        who = "leerling2@sintjozef.demo" if name == "Mohamed" else None
        for days in range(1, 4):
            mark(
                demo_cast,
                traject,
                LL,
                dict.fromkeys(c[:3], "V"),
                on=TODAY - dt.timedelta(days=days),
                who=who,
            )
        mark(demo_cast, traject, LK, {c[0]: "O"})
        Werkpunt.objects.create(
            traject=traject, text="x", opened_by=demo_cast["tb@sintjozef.demo"], opened_on=TODAY
        )
    rate_skills(demo_cast, lotte, first_period(lotte), LL, {"stiptheid": Rating.MEETS})
    _more_students(demo_cast, 3)
    with django_assert_num_queries(small):
        response = client.get("/evaluations/")
    assert len(_names(response)) >= 6


def _more_students(demo_cast, count: int) -> None:
    a1 = traject_of("Lotte").partnership
    coord = demo_cast["coord@sintjozef.demo"]
    for number in range(count):
        student = Student.objects.create(
            school=a1.school,
            first_name=f"Extra{number}",
            last_name="Test",
            birth_date=dt.date(2009, 9, 9),
            school_class=SchoolClass.objects.filter(school=a1.school).first(),
        )
        traject_create(actor=coord, partnership=a1, student=student)


def test_the_triangulation_query_count_does_not_grow_with_sessions(
    client, login, demo_cast, django_assert_num_queries
):
    lotte = traject_of("Lotte")
    c = criterion_keys(lotte)
    login("lk@sintjozef.demo")
    mark(demo_cast, lotte, LL, {c[0]: "V"})
    small = _count(client, _triangulation_url(lotte))
    for days in range(1, 6):
        on = TODAY - dt.timedelta(days=days)
        mark(demo_cast, lotte, LL, dict.fromkeys(c[:3], "V"), on=on, note=f"dag {days}")
        mark(demo_cast, lotte, M, dict.fromkeys(c[:3], "O"), on=on)
    rate_skills(demo_cast, lotte, first_period(lotte), M, {"stiptheid": Rating.MEETS})
    with django_assert_num_queries(small):
        assert client.get(_triangulation_url(lotte)).status_code == 200
