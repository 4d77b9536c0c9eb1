"""The opdracht session sheet (appendix 2): each person writes their own column and reads the
others; the session's fields, werkpunten, concurrency (409 with the values), bad input (400),
parents read, outsiders 404."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from evaluation.models import Evaluation, Evaluator, ItemAnswer, Session, Werkpunt
from evaluation.services import sheets
from learning.models import ItemKind
from tests.evaluation.day_support import day_in, fiche, trimester
from tests.evaluation.support import as_seen_by, traject_of

FICHE = "geintegreerde-lasopdracht"
STUDENT = "leerling1@sintjozef.demo"
MENTOR = "mentor@vandenberghe.demo"
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
DUTCH = {"HTTP_ACCEPT_LANGUAGE": "nl-BE"}


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


@pytest.fixture
def today(lotte, time_machine) -> dt.date:
    day = day_in(trimester(lotte, 1), 3, 2)
    time_machine.move_to(
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Brussels")),
        tick=False,
    )
    return day


@pytest.fixture
def session(demo_cast, lotte, today) -> Session:
    student = demo_cast[STUDENT]
    return sheets.open_session(
        actor=student, traject=as_seen_by(student, lotte), leerfiche=fiche(lotte, FICHE), on=today
    )


def url(session: Session, suffix: str = "") -> str:
    return f"/sessions/{session.public_id}/{suffix}"


def keys(lotte) -> list[str]:
    return list(fiche(lotte, FICHE).criteria.order_by("order", "pk").values_list("key", flat=True))


def items(lotte, kind):
    return list(fiche(lotte, FICHE).items.filter(kind=kind).order_by("order", "pk"))


def test_the_sheet_shows_appendix_2(client, login, lotte, session):
    login(MENTOR)
    html = client.get(url(session), **DUTCH).content.decode()
    leerfiche = fiche(lotte, FICHE)
    for text in (leerfiche.title, leerfiche.lasprocede, leerfiche.lasnaadvorm, leerfiche.lasstand):
        assert text in html
    assert "Wisselt info uit met" in html  # the behaviour list
    assert "beenhoogte" in html.lower() and "keelhoogte" in html.lower()
    assert "Scheurvrij" in html
    assert 'name="metal"' in html
    assert ">LL<" in html and ">M<" in html
    # The mentor writes M only: one editable cell per line, the student's read-only.
    assert html.count(f'name="c-{keys(lotte)[0]}"') == 2  # V and O of M
    assert 'name="sterke_punten"' in html
    assert 'data-testid="session-werkpunt"' in html


def test_the_student_writes_ll_and_the_mentor_m(client, login, lotte, session):
    first, *rest = keys(lotte)
    behaviour = items(lotte, ItemKind.BEHAVIOUR)[0]
    measurement = items(lotte, ItemKind.MEASUREMENT)[0]
    login(STUDENT)
    response = client.post(
        url(session, "column/"),
        {
            "version": "0",
            f"c-{first}": "V",
            f"b-{behaviour.pk}": "ja",
            f"m-{measurement.pk}": "4 mm",
        },
    )
    assert response.status_code == 302
    client.logout()
    login(MENTOR)
    response = client.post(url(session, "column/"), {"version": "0", f"c-{first}": "O"})
    assert response.status_code == 302
    columns = {
        evaluation.evaluator: evaluation
        for evaluation in Evaluation.objects.filter(session=session)
    }
    assert set(columns) == {Evaluator.SELF, Evaluator.MENTOR}
    assert dict(columns[Evaluator.SELF].scores.values_list("criterion_key", "mark")) == {first: "V"}
    assert dict(columns[Evaluator.MENTOR].scores.values_list("criterion_key", "mark")) == {
        first: "O"
    }
    assert dict(columns[Evaluator.SELF].answers.values_list("item_id", "value")) == {
        behaviour.pk: ItemAnswer.YES,
        measurement.pk: "4 mm",
    }
    # The mentor cannot write the student's column: the evaluator field is ignored.
    client.post(url(session, "column/"), {"version": "1", "evaluator": "self", f"c-{first}": "V"})
    assert columns[Evaluator.SELF].scores.get().mark == "V"
    assert columns[Evaluator.MENTOR].scores.get().mark == "V"
    # The student sees M read-only.
    client.logout()
    login(STUDENT)
    html = client.get(url(session)).content.decode()
    assert html.count(f'name="c-{first}"') == 2
    assert 'name="sterke_punten"' not in html and 'name="student_note"' in html


def test_session_fields_and_werkpunten(client, login, lotte, session, today):
    login(MENTOR)
    response = client.post(
        url(session, "details/"),
        {
            "version": "1",
            "omschrijving": "Hoeklas op T-stuk",
            "werktijden": "8u–12u",
            "metal": "rvs",
            "sterke_punten": "Werkt netjes",
        },
        **AUTOSAVE,
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    session.refresh_from_db()
    assert (session.omschrijving, session.metal, session.sterke_punten) == (
        "Hoeklas op T-stuk",
        "rvs",
        "Werkt netjes",
    )
    response = client.post(
        url(session, "werkpunten/"),
        {"text": "Spatten verwijderen", "afspraak": "Elke las nakijken", "opened_on": str(today)},
    )
    assert response.status_code == 302
    werkpunt = Werkpunt.objects.get(session=session)
    assert werkpunt.leerfiche_key == FICHE and werkpunt.opened_on == today
    html = client.get(url(session), **DUTCH).content.decode()
    assert "Spatten verwijderen" in html and "Elke las nakijken" in html
    empty = client.post(url(session, "werkpunten/"), {"text": ""}, **DUTCH)
    assert empty.status_code == 400
    assert 'class="error-summary"' in empty.content.decode()
    # The student may not add werkpunten nor write sterke punten.
    client.logout()
    login(STUDENT)
    assert client.post(url(session, "werkpunten/"), {"text": "x"}).status_code == 403
    client.post(url(session, "details/"), {"version": "2", "sterke_punten": "Ik"}, **AUTOSAVE)
    session.refresh_from_db()
    assert session.sterke_punten == "Werkt netjes"


def test_two_saves_with_one_version_one_wins_the_other_gets_409(client, login, lotte, session):
    first = keys(lotte)[0]
    login(MENTOR)
    assert (
        client.post(
            url(session, "column/"), {"version": "0", f"c-{first}": "V"}, **AUTOSAVE
        ).status_code
        == 200
    )
    stale = client.post(
        url(session, "column/"), {"version": "0", f"c-{first}": "O"}, **AUTOSAVE, **DUTCH
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["status"] == "stale" and body["values"][f"c-{first}"] == "V"
    assert body["version"] == 1 and "net" in body["message"]
    details = client.post(
        url(session, "details/"), {"version": "0", "omschrijving": "x"}, **AUTOSAVE
    )
    assert details.status_code == 409 and details.json()["values"]["omschrijving"] == ""
    page = client.post(url(session, "column/"), {"version": "0", f"c-{first}": "O"}, **DUTCH)
    assert page.status_code == 409


@pytest.mark.parametrize(
    "data",
    [
        {"version": "0", "c-FIRST": "X"},
        {"c-FIRST": "V"},
        {"version": "0", "b-BEHAVIOUR": "misschien"},
    ],
)
def test_bad_input_is_400(client, login, lotte, session, data):
    behaviour = items(lotte, ItemKind.BEHAVIOUR)[0]
    data = {
        key.replace("FIRST", keys(lotte)[0]).replace("BEHAVIOUR", str(behaviour.pk)): value
        for key, value in data.items()
    }
    login(MENTOR)
    response = client.post(url(session, "column/"), data, **AUTOSAVE, **DUTCH)
    assert response.status_code == 400 and response.json()["status"] == "invalid"
    assert client.post(url(session, "column/"), data, **DUTCH).status_code == 400
    assert not Evaluation.objects.filter(session=session).exists()
    bad_metal = client.post(url(session, "details/"), {"version": "1", "metal": "goud"}, **AUTOSAVE)
    assert bad_metal.status_code == 400 and "metal" in bad_metal.json()["errors"]


def test_a_parent_reads_an_outsider_gets_404(client, login, lotte, session):
    login("ouder1@sintjozef.demo")
    html = client.get(url(session)).content.decode()
    assert "data-autosave" not in html
    for suffix in ("column/", "details/", "werkpunten/"):
        assert client.post(url(session, suffix), {"version": "0", "text": "x"}).status_code == 403
    new = client.post(
        f"/trajects/{lotte.public_id}/leerfiches/{FICHE}/sessions/", {"date": "2020-01-01"}
    )
    assert new.status_code == 403
    client.logout()
    login("mentor2@vandenberghe.demo")
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session, "column/"), {"version": "0"}).status_code == 404
    assert (
        client.get(f"/trajects/{lotte.public_id}/leerfiches/{FICHE}/sessions/").status_code == 404
    )


def test_a_new_session_for_a_date_and_switching_between_them(client, login, lotte, session, today):
    login(MENTOR)
    list_url = f"/trajects/{lotte.public_id}/leerfiches/{FICHE}/sessions/"
    earlier = today - dt.timedelta(days=7)
    response = client.post(list_url, {"date": earlier.isoformat()})
    assert response.status_code == 302
    made = Session.objects.get(traject=lotte, leerfiche_key=FICHE, date=earlier)
    assert response["Location"] == url(made)
    html = client.get(url(session)).content.decode()
    assert url(made) in html and 'aria-current="page"' in html
    future = client.post(list_url, {"date": (today + dt.timedelta(days=1)).isoformat()})
    assert future.status_code == 400
    assert client.post(list_url, {"date": "gisteren"}).status_code == 400
    assert client.get(list_url).status_code == 200
    assert (
        client.get(f"/trajects/{lotte.public_id}/leerfiches/bestaat-niet/sessions/").status_code
        == 404
    )


def test_the_sheet_in_a_fixed_number_of_queries(
    client, login, lotte, session, demo_cast, django_assert_max_num_queries
):
    login(MENTOR)
    client.post(url(session, "column/"), {"version": "0", f"c-{keys(lotte)[0]}": "V"})
    client.get(url(session))
    with django_assert_max_num_queries(40) as before:
        client.get(url(session))
    count = len(before.captured_queries)
    student = demo_cast[STUDENT]
    for offset in range(1, 4):
        sheets.open_session(
            actor=student,
            traject=as_seen_by(student, lotte),
            leerfiche=fiche(lotte, FICHE),
            on=session.date - dt.timedelta(days=offset),
        )
    sheets.rate(
        actor=student,
        traject=as_seen_by(student, lotte),
        session=session,
        evaluator=Evaluator.SELF,
        marks=dict.fromkeys(keys(lotte), "V"),
        version=0,
    )
    with django_assert_max_num_queries(count):
        client.get(url(session))
