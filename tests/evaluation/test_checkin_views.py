"""The mentor's weekly check-in screen: who opens it, what it shows, what a save does (with and
without JavaScript's autosave), stale saves, werkpunten, bad input, and constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import (
    CriterionScore,
    Evaluation,
    Evaluator,
    Outcome,
    WeeklyCheckin,
    Werkpunt,
)
from evaluation.services import werkpunten
from evaluation.skills import WEEKLY_SKILLS
from learning.selectors.traject_leerfiches import adopted_version
from tests.evaluation.checkin_support import (
    FICHE,
    checkin_url,
    criteria_keys,
    practise,
    week_fixture,  # noqa: F401 - the week fixture
)
from tests.evaluation.support import as_seen_by, traject_of

MENTOR = "mentor@vandenberghe.demo"
STUDENT = "leerling1@sintjozef.demo"
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1", "HTTP_ACCEPT_LANGUAGE": "nl-BE"}


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


@pytest.fixture
def practised(demo_cast, lotte, week):
    """Lotte rated the leerfiche on Wednesday: V for the first criterion, O for the second."""
    keys = criteria_keys(lotte, FICHE)
    practise(
        demo_cast[STUDENT], lotte, FICHE, week + dt.timedelta(days=2), {keys[0]: "V", keys[1]: "O"}
    )
    return keys


def mark(key: str, fiche: str = FICHE) -> str:
    return f"mark:{fiche}:{key}"


def version_of(response) -> str:
    html = response.content.decode()
    start = html.index('name="version" value="') + len('name="version" value="')
    return html[start : html.index('"', start)]


def mentor_marks(lotte) -> dict[str, str]:
    return dict(
        CriterionScore.objects.filter(
            evaluation__session__traject=lotte, evaluation__evaluator=Evaluator.MENTOR
        ).values_list("criterion_key", "mark")
    )


# --- who opens it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "status"),
    [
        (MENTOR, 200),
        ("coord@vandenberghe.demo", 200),  # a company role writes the mentor column too
        ("mentor2@vandenberghe.demo", 404),  # Lotte is not their student
        ("mentor@daems.demo", 404),
        ("lk@sintjozef.demo", 403),  # the leerkracht writes LK, not M
        ("tb@sintjozef.demo", 403),
        ("ouder1@sintjozef.demo", 403),
        (STUDENT, 403),
    ],
)
def test_only_who_writes_the_mentor_column_opens_the_check_in(
    client, login, lotte, week, email, status
):
    login(email)
    url = checkin_url(lotte, week)
    assert client.get(url).status_code == status
    response = client.post(url, {"version": "0", "done": "1"}, **AUTOSAVE)
    assert response.status_code == status
    assert not WeeklyCheckin.objects.filter(traject=lotte).exists() or status == 200


def test_the_check_in_post_is_refused_to_the_leerkracht_and_the_parent(client, login, lotte, week):
    for email in ("lk@sintjozef.demo", "ouder1@sintjozef.demo"):
        client.logout()
        login(email)
        response = client.post(checkin_url(lotte, week), {"version": "0", "done": "1"})
        assert response.status_code == 403
    assert not WeeklyCheckin.objects.filter(traject=lotte).exists()


def test_weeks_that_are_not_a_monday_or_in_the_future_do_not_exist(client, login, lotte, week):
    login(MENTOR)
    assert client.get(checkin_url(lotte, week + dt.timedelta(days=1))).status_code == 404
    assert client.get(checkin_url(lotte, week + dt.timedelta(days=7))).status_code == 404
    assert client.get(f"/trajects/{lotte.public_id}/checkins/morgen/").status_code == 404
    # Past weeks are reachable ("vorige week"), and the short link goes to this week.
    assert client.get(checkin_url(lotte, week - dt.timedelta(days=7))).status_code == 200
    response = client.get(f"/trajects/{lotte.public_id}/checkins/")
    assert response.status_code == 302 and response["Location"] == checkin_url(lotte, week)


# --- what it shows --------------------------------------------------------------------------


def test_the_page_shows_the_weeks_criteria_with_the_students_own_marks(
    client, login, lotte, week, practised
):
    login(MENTOR)
    response = client.get(checkin_url(lotte, week), HTTP_ACCEPT_LANGUAGE="nl-BE")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lotte · week" in html and "Geïntegreerde lasopdracht" in html
    assert html.count('data-testid="checkin-criterion"') == len(practised)
    assert "1 sessie deze week" in html
    assert html.count('data-testid="checkin-behaviour"') == len(WEEKLY_SKILLS)
    assert "Alles bereikt" in html and "Klaar ✓" in html
    # Nothing rated by the mentor yet: no divergence to show, nothing prefilled.
    assert 'data-testid="divergence"' not in html
    assert f'name="{mark(practised[0])}"' in html


def test_divergence_is_highlighted_and_last_weeks_values_prefill(
    client, login, demo_cast, lotte, week, practised
):
    login(MENTOR)
    last_week = week - dt.timedelta(days=7)
    practise(demo_cast[STUDENT], lotte, FICHE, last_week + dt.timedelta(days=3), {})
    url = checkin_url(lotte, last_week)
    response = client.post(
        url,
        {
            "version": version_of(client.get(url)),
            mark(practised[0]): "O",
            mark(practised[1]): "V",
            "behaviour:stiptheid": "above",
            "done": "1",
        },
    )
    assert response.status_code == 302
    html = client.get(checkin_url(lotte, week), HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    # Last week's O and V prefill this week; Lotte says V and O: both differ.
    assert html.count('data-testid="divergence"') == 2
    assert "Lotte zegt V" in html
    assert f'id="{mark(practised[0])}-O" value="O" data-mark data-previous checked' in html
    assert 'id="behaviour:stiptheid-above" value="above" data-previous checked' in html
    assert "Zelfde als vorige week" in html


# --- saving without JavaScript --------------------------------------------------------------


def test_done_saves_marks_and_behaviour_and_goes_home(client, login, lotte, week, practised):
    login(MENTOR)
    url = checkin_url(lotte, week)
    response = client.post(
        url,
        {
            "version": version_of(client.get(url)),
            mark(practised[0]): "V",
            mark(practised[1]): "O",
            **{f"behaviour:{key}": "meets" for key in WEEKLY_SKILLS},
            "new_werkpunt": "",
            "done": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    checkin = WeeklyCheckin.objects.get(traject=lotte, week_start=week)
    assert checkin.done_at is not None
    assert dict(checkin.behaviour.values_list("skill_key", "rating")) == dict.fromkeys(
        WEEKLY_SKILLS, "meets"
    )
    assert mentor_marks(lotte) == {practised[0]: "V", practised[1]: "O"}
    column = Evaluation.objects.get(session__traject=lotte, evaluator=Evaluator.MENTOR)
    assert column.submitted_at is not None  # "Klaar" hands the mentor's column in
    # The home now says it is done.
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert 'data-testid="checkin-done"' in home and "✓ ingevuld" in home


def test_all_reached_marks_every_criterion_v(client, login, lotte, week, practised):
    login(MENTOR)
    url = checkin_url(lotte, week)
    response = client.post(url, {"version": version_of(client.get(url)), "shortcut": "all"})
    assert response.status_code == 302 and response["Location"] == url
    assert set(mentor_marks(lotte).values()) == {"V"}
    assert len(mentor_marks(lotte)) == len(practised)
    assert not WeeklyCheckin.objects.get(traject=lotte, week_start=week).done_at


def test_same_as_last_week_copies_the_previous_marks(
    client, login, demo_cast, lotte, week, practised
):
    login(MENTOR)
    last_week = week - dt.timedelta(days=7)
    practise(demo_cast[STUDENT], lotte, FICHE, last_week + dt.timedelta(days=2), {})
    url = checkin_url(lotte, last_week)
    client.post(
        url,
        {
            "version": version_of(client.get(url)),
            mark(practised[0]): "O",
            mark(practised[2]): "V",
            "behaviour:inzet-tonen": "not_yet",
        },
    )
    url = checkin_url(lotte, week)
    response = client.post(
        url,
        {"version": version_of(client.get(url)), mark(practised[0]): "V", "shortcut": "same"},
    )
    assert response.status_code == 302
    this_week = dict(
        CriterionScore.objects.filter(
            evaluation__session__traject=lotte,
            evaluation__session__date__gte=week,
            evaluation__evaluator=Evaluator.MENTOR,
        ).values_list("criterion_key", "mark")
    )
    assert this_week == {practised[0]: "O", practised[2]: "V"}
    checkin = WeeklyCheckin.objects.get(traject=lotte, week_start=week)
    assert dict(checkin.behaviour.values_list("skill_key", "rating")) == {"inzet-tonen": "not_yet"}


# --- werkpunten -----------------------------------------------------------------------------


def test_werkpunten_are_closed_kept_and_one_is_added(client, login, demo_cast, lotte, week):
    mentor = demo_cast[MENTOR]
    open_one = werkpunten.open_werkpunt(
        actor=mentor, traject=as_seen_by(mentor, lotte), text="PBM dragen", on=week
    )
    login(MENTOR)
    url = checkin_url(lotte, week)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert "PBM dragen" in page and "opgelost" in page and "blijft" in page
    field = f"werkpunt:{open_one.public_id}"
    response = client.post(
        url,
        {
            "version": version_of(client.get(url)),
            field: "resolved",
            "new_werkpunt": "Tekening lezen",
        },
        **AUTOSAVE,
    )
    assert response.status_code == 200, response.content
    version = response.json()["version"]
    open_one.refresh_from_db()
    assert open_one.outcome == Outcome.RESOLVED and open_one.closed_on == week + dt.timedelta(2)
    added = Werkpunt.objects.get(traject=lotte, text="Tekening lezen")
    assert added.checkin == WeeklyCheckin.objects.get(traject=lotte, week_start=week)

    # Autosave posts the whole form again: nothing is added twice; "blijft" reopens it; the
    # typed werkpunt follows the field.
    response = client.post(
        url,
        {"version": version, field: "keep", "new_werkpunt": "Tekening lezen en maten"},
        **AUTOSAVE,
    )
    assert response.status_code == 200, response.content
    open_one.refresh_from_db()
    assert open_one.closed_on is None and open_one.outcome == ""
    assert Werkpunt.objects.filter(traject=lotte, checkin__isnull=False).count() == 1
    added.refresh_from_db()
    assert added.text == "Tekening lezen en maten"
    response = client.post(
        url, {"version": response.json()["version"], field: "keep", "new_werkpunt": ""}, **AUTOSAVE
    )
    assert response.status_code == 200
    assert not Werkpunt.objects.filter(pk=added.pk).exists()
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert "1 open werkpunt" in home


# --- autosave: versions and bad input ------------------------------------------------------


def test_two_saves_from_one_version_one_wins_the_other_gets_409(
    client, login, lotte, week, practised
):
    login(MENTOR)
    url = checkin_url(lotte, week)
    version = version_of(client.get(url))
    first = client.post(url, {"version": version, mark(practised[0]): "V"}, **AUTOSAVE)
    assert first.status_code == 200 and first.json()["status"] == "saved"
    assert first.json()["version"] != version
    second = client.post(url, {"version": version, mark(practised[0]): "O"}, **AUTOSAVE)
    assert second.status_code == 409
    body = second.json()
    assert body["status"] == "stale"
    assert "iemand anders" in body["message"].lower()
    assert body["values"][mark(practised[0])] == "V"  # the winner's value
    assert body["version"] == first.json()["version"]
    assert mentor_marks(lotte) == {practised[0]: "V"}
    # With the version of the answer, the next save lands.
    third = client.post(url, {"version": body["version"], mark(practised[0]): "O"}, **AUTOSAVE)
    assert third.status_code == 200
    assert mentor_marks(lotte) == {practised[0]: "O"}


def test_two_behaviour_saves_from_one_version(client, login, lotte, week):
    login(MENTOR)
    url = checkin_url(lotte, week)
    version = version_of(client.get(url))
    assert (
        client.post(
            url, {"version": version, "behaviour:stiptheid": "meets"}, **AUTOSAVE
        ).status_code
        == 200
    )
    stale = client.post(url, {"version": version, "behaviour:stiptheid": "above"}, **AUTOSAVE)
    assert stale.status_code == 409
    assert stale.json()["values"]["behaviour:stiptheid"] == "meets"


def test_stale_save_without_javascript_shows_the_other_values(
    client, login, lotte, week, practised
):
    login(MENTOR)
    url = checkin_url(lotte, week)
    version = version_of(client.get(url))
    client.post(url, {"version": version, mark(practised[0]): "V"}, **AUTOSAVE)
    response = client.post(
        url, {"version": version, mark(practised[0]): "O"}, HTTP_ACCEPT_LANGUAGE="nl-BE"
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="checkin-notice"' in html
    assert f'id="{mark(practised[0])}-V" value="V" data-mark checked' in html


def test_done_right_after_its_own_autosave_still_lands(client, login, lotte, week, practised):
    """The tap before "Klaar" was autosaved with the page's version; "Klaar" posts the same
    values with that (now old) version: nothing of anyone else's is lost, so it is saved."""
    login(MENTOR)
    url = checkin_url(lotte, week)
    version = version_of(client.get(url))
    client.post(url, {"version": version, mark(practised[0]): "V"}, **AUTOSAVE)
    response = client.post(url, {"version": version, mark(practised[0]): "V", "done": "1"})
    assert response.status_code == 302
    assert WeeklyCheckin.objects.get(traject=lotte, week_start=week).done_at is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"version": "x.y"}, "version"),
        (
            {"version": "0.0", "mark:geintegreerde-lasopdracht:scheurvrij": "X"},
            "mark:geintegreerde-lasopdracht:scheurvrij",
        ),
        ({"version": "0.0", "behaviour:stiptheid": "super"}, "behaviour:stiptheid"),
        ({"version": "0.0", "behaviour:onbekend": "meets"}, "behaviour:onbekend"),
        ({"version": "0.0", "mark:andere-fiche:x": "V"}, "mark:andere-fiche:x"),
        ({"version": "0.0", "new_werkpunt": "x" * 301}, "new_werkpunt"),
        (
            {"version": "0.0", "werkpunt:00000000-0000-0000-0000-000000000000": "resolved"},
            "werkpunt:00000000-0000-0000-0000-000000000000",
        ),
    ],
)
def test_bad_input_is_a_400_never_a_500(client, login, lotte, week, practised, data, field):
    login(MENTOR)
    url = checkin_url(lotte, week)
    response = client.post(url, data, **AUTOSAVE)
    assert response.status_code == 400, response.content
    assert response.json()["status"] == "invalid"
    assert field in response.json()["errors"]
    page = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert page.status_code == 400
    assert 'data-testid="error-summary"' in page.content.decode()
    assert not WeeklyCheckin.objects.filter(traject=lotte).exists()


def test_a_check_in_handed_in_by_someone_else_is_locked(client, login, lotte, week, practised):
    login("coord@vandenberghe.demo")
    url = checkin_url(lotte, week)
    assert (
        client.post(url, {"version": version_of(client.get(url)), "done": "1"}).status_code == 302
    )
    client.logout()
    login(MENTOR)
    response = client.post(
        url, {"version": version_of(client.get(url)), "behaviour:stiptheid": "meets"}, **AUTOSAVE
    )
    assert response.status_code == 400
    assert "alleen" in response.json()["errors"]["__all__"]


# --- queries ---------------------------------------------------------------------------------


# The queries of the page and of an autosave that updates (sessions in the database, no
# shared cache: the test settings). Issue 13 brought them from 19 and 33 (the week's sessions
# and the mentor's versions in one query, the marks before and during the week in one, the
# save no longer reading the criteria, the answers and the behaviour ratings again).
# Issue 14 adds 4 to a save that changes marks: the dashboards' summary of the leerfiche (its
# criteria, the latest marks, the upsert) and of the traject (one UPDATE), kept in the save's
# transaction (docs/decisions/0023-dashboard-summaries.md).
CHECKIN_PAGE_QUERIES = 17
CHECKIN_AUTOSAVE_QUERIES = 27 + 4


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_takes_as_many_queries_for_one_leerfiche_as_for_five(
    client, login, demo_cast, lotte, week
):
    student = demo_cast[STUDENT]
    fiches = list(
        adopted_version(traject=lotte)
        .leerfiches.order_by("order", "pk")
        .values_list("key", flat=True)
    )
    login(MENTOR)
    url = checkin_url(lotte, week)
    practise(student, lotte, fiches[0], week, {criteria_keys(lotte, fiches[0])[0]: "V"})
    client.get(url)  # warm caches (content types, sessions)
    one = _page_queries(client, url)
    for key in fiches[1:5]:
        practise(
            student, lotte, key, week + dt.timedelta(days=1), {criteria_keys(lotte, key)[0]: "O"}
        )
    five = _page_queries(client, url)
    assert one == five, (one, five)
    assert one <= CHECKIN_PAGE_QUERIES, one
    assert client.get(url).content.decode().count('data-testid="checkin-fiche"') == 5


def _autosave(client, url, data) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data, **AUTOSAVE)
    assert response.status_code == 200, response.content
    return response.json(), len(captured)


def test_an_autosave_takes_as_many_queries_for_one_change_as_for_every_value(
    client, login, lotte, week, practised
):
    """Marks and behaviour are written one statement per kind of change, and the save's
    audit entries in one INSERT: the queries of a save do not grow with what it changes."""
    from duaal.models import AuditEntry

    login(MENTOR)
    url = checkin_url(lotte, week)
    version = version_of(client.get(url))
    behaviour = {f"behaviour:{key}": "meets" for key in WEEKLY_SKILLS}
    first, _ = _autosave(
        client,
        url,
        {"version": version, mark(practised[0]): "V", mark(practised[1]): "O", **behaviour},
    )
    # The warm-up made the mentor's column and the check-in; from here on, saves update.
    one, one_change = _autosave(
        client,
        url,
        {"version": first["version"], mark(practised[0]): "O", "behaviour:stiptheid": "above"},
    )
    audit_before = AuditEntry.objects.filter(traject_id=lotte.pk).count()
    every = {
        "version": one["version"],
        mark(practised[0]): "V",
        mark(practised[1]): "V",
        **{f"behaviour:{key}": "above" for key in WEEKLY_SKILLS},
    }
    answer, every_change = _autosave(client, url, every)
    assert every_change == one_change, (one_change, every_change)
    assert one_change <= CHECKIN_AUTOSAVE_QUERIES, one_change
    assert mentor_marks(lotte) == {practised[0]: "V", practised[1]: "V"}
    checkin = WeeklyCheckin.objects.get(traject=lotte, week_start=week)
    assert dict(checkin.behaviour.values_list("skill_key", "rating")) == dict.fromkeys(
        WEEKLY_SKILLS, "above"
    )
    # One entry per object changed (the check-in, the mentor's column), written together.
    entries = AuditEntry.objects.filter(traject_id=lotte.pk).order_by("pk")[audit_before:]
    assert sorted(entry.action for entry in entries) == ["checkin.save", "evaluation.rate"]
    # The answer's version is the one the page would show now.
    assert answer["version"] == version_of(client.get(url))
