"""The soft-skill sheet (appendix 3) on screen: who reads and writes which column, the
werkpunt a team's "voldoet nog niet" asks for, the follow-up of open werkpunten at the next
period, autosave (saved / stale with the other values / invalid) and bad input."""

from __future__ import annotations

import pytest

from evaluation.models import (
    Outcome,
    SoftSkillAgreement,
    SoftSkillColumn,
    SoftSkillRating,
    SoftSkillRound,
    Werkpunt,
)
from evaluation.skills import GROUPS, SKILLS
from learning.models import Period
from tests.evaluation.support import traject_of

MENTOR = "mentor@vandenberghe.demo"
LK = "lk@sintjozef.demo"
STUDENT = "leerling1@sintjozef.demo"
PARENT = "ouder1@sintjozef.demo"
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def lotte(demo_cast):
    """Lotte's traject without the demo's soft-skill rounds and werkpunten (rolled back)."""
    traject = traject_of("Lotte")
    SoftSkillRound.objects.filter(traject=traject).delete()
    Werkpunt.objects.filter(traject=traject).delete()
    return traject


def _periods(traject) -> list[Period]:
    return list(Period.objects.filter(partnership=traject.partnership))


def _url(traject, period=None) -> str:
    url = f"/trajects/{traject.public_id}/soft-skills/"
    return f"{url}?period={period.pk}" if period is not None else url


def _ratings(traject, evaluator) -> dict[str, str]:
    return dict(
        SoftSkillRating.objects.filter(
            column__round__traject=traject, column__evaluator=evaluator
        ).values_list("skill_key", "rating")
    )


def _version(traject, period, evaluator) -> int:
    column = SoftSkillColumn.objects.filter(
        round__traject=traject, round__period=period, evaluator=evaluator
    ).first()
    return column.version if column else 0


def test_the_sheet_shows_the_three_groups_with_every_item_and_indicator(client, login, lotte):
    login(MENTOR)
    period = _periods(lotte)[0]
    response = client.get(_url(lotte, period), HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert response.status_code == 200
    page = response.content.decode()
    for group in GROUPS:
        assert f'data-testid="group-{group.key}"' in page
        for skill in group.skills:
            assert f'data-testid="skill-{skill.key}"' in page
            assert f'name="rating-{skill.key}"' in page
            for indicator in skill.indicators:
                assert indicator.replace("&", "&amp;").replace("'", "&#x27;") in page
    assert "Probleemoplossend vermogen*" in page
    assert "* Deze items overstijgen de basisverwachtingen" in page
    assert ">Basis<" in page and ">Uitbreiding<" in page
    assert page.count("Maak afspraken om werkpunten te verbeteren:") == 3
    assert "data-autosave" in page and 'name="version" value="0"' in page
    assert "(M)" in page and "<dt>LL</dt>" in page and "<dt>LK</dt>" in page


def test_the_current_period_is_the_default_and_the_picker_lists_the_periods(client, login, lotte):
    login(MENTOR)
    page = client.get(_url(lotte)).content.decode()
    for period in _periods(lotte):
        assert f'<option value="{period.pk}"' in page
    assert page.count(" selected>") == 1


ROLES = [
    (MENTOR, 200, "M"),
    ("coord@vandenberghe.demo", 200, "M"),
    (LK, 200, "LK"),
    (STUDENT, 200, "LL"),
    (PARENT, 200, None),
    ("mentor2@vandenberghe.demo", 404, None),
    ("mentor@daems.demo", 404, None),
    ("tb@dering.demo", 404, None),
    ("consulent@sector.demo", 404, None),
]


@pytest.mark.parametrize(("email", "status", "column"), ROLES)
def test_who_reads_and_writes_which_column(client, login, lotte, email, status, column):
    login(email)
    period = _periods(lotte)[0]
    response = client.get(_url(lotte, period))
    assert response.status_code == status
    post = client.post(
        _url(lotte, period),
        {"period": period.pk, "version": 0, "rating-stiptheid": "meets"},
    )
    if status == 404:
        assert post.status_code == 404
    elif column is None:
        page = response.content.decode()
        assert 'data-testid="read-only"' in page and 'name="rating-stiptheid"' not in page
        assert post.status_code == 403
    else:
        assert post.status_code == 302
        evaluator = {"LL": "self", "M": "mentor", "LK": "teacher"}[column]
        assert _ratings(lotte, evaluator) == {"stiptheid": "meets"}
    assert (
        not SoftSkillRating.objects.filter(column__round__traject=lotte)
        .exclude(column__evaluator__in=["self", "mentor", "teacher"])
        .exists()
    )


def test_the_training_centre_reads_the_sheet_it_has_no_column_on(client, login, lotte):
    login("oc@octl.demo")
    period = _periods(lotte)[0]
    assert client.get(_url(lotte, period)).status_code == 200
    response = client.post(_url(lotte, period), {"version": 0, "rating-stiptheid": "meets"})
    assert response.status_code == 403
    assert not SoftSkillRound.objects.filter(traject=lotte).exists()


def test_anonymous_is_sent_to_the_login(client, lotte):
    response = client.get(_url(lotte))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_student_writes_only_the_own_column_without_team_fields(client, login, lotte):
    login(STUDENT)
    period = _periods(lotte)[0]
    page = client.get(_url(lotte, period)).content.decode()
    assert 'name="rating-stiptheid"' in page
    assert 'name="strong-stiptheid"' not in page and 'name="agreement-' not in page
    assert 'name="werkpunt-' not in page
    response = client.post(
        _url(lotte, period),
        {
            "version": 0,
            "rating-stiptheid": "not_yet",
            "strong-shown": "1",
            "strong-stiptheid": "1",
            "agreement-respectvol-handelen": "no",
            "werkpunt-stiptheid-text": "no",
        },
    )
    assert response.status_code == 302
    assert _ratings(lotte, "self") == {"stiptheid": "not_yet"}
    assert (
        not SoftSkillRating.objects.filter(strong=True)
        .filter(column__round__traject=lotte)
        .exists()
    )
    assert not SoftSkillAgreement.objects.filter(round__traject=lotte).exists()
    assert not Werkpunt.objects.filter(traject=lotte).exists()


def test_a_teams_voldoet_nog_niet_asks_for_a_werkpunt_next_to_the_field(client, login, lotte):
    login(MENTOR)
    period = _periods(lotte)[0]
    response = client.post(
        _url(lotte, period),
        {"version": 0, "rating-stiptheid": "not_yet", "rating-voorkomen": "meets"},
        HTTP_ACCEPT_LANGUAGE="nl-BE",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-werkpunt-stiptheid-text"' in page
    assert 'data-testid="error-summary"' in page
    assert 'id="werkpunt-stiptheid-text"' in page and 'aria-invalid="true"' in page
    assert 'data-testid="error-werkpunt-voorkomen-text"' not in page
    # Nothing was saved; the posted choice stays on the form.
    assert _ratings(lotte, "mentor") == {}
    assert 'id="rating-stiptheid-not_yet" value="not_yet" checked' in page

    response = client.post(
        _url(lotte, period),
        {
            "version": 0,
            "rating-stiptheid": "not_yet",
            "werkpunt-stiptheid-text": "Op tijd komen",
            "werkpunt-stiptheid-example": "Drie keer te laat deze maand",
            "werkpunt-stiptheid-afspraak": "Vroeger vertrekken; verwittigen bij vertraging",
        },
    )
    assert response.status_code == 302
    werkpunt = Werkpunt.objects.get(traject=lotte)
    assert (werkpunt.skill_key, werkpunt.soft_skill_round.period) == ("stiptheid", period)
    assert werkpunt.example == "Drie keer te laat deze maand" and werkpunt.is_open
    assert _ratings(lotte, "mentor") == {"stiptheid": "not_yet"}
    # The werkpunt stands: the next save does not ask again.
    page = client.get(_url(lotte, period)).content.decode()
    assert 'data-testid="werkpunt-stiptheid"' in page and "Op tijd komen" in page
    response = client.post(
        _url(lotte, period), {"version": _version(lotte, period, "mentor"), "hand_in": "1"}
    )
    assert response.status_code == 302
    assert SoftSkillColumn.objects.get(round__traject=lotte, evaluator="mentor").submitted_at


def test_the_students_own_voldoet_nog_niet_asks_for_no_werkpunt(client, login, lotte):
    login(STUDENT)
    period = _periods(lotte)[0]
    response = client.post(_url(lotte, period), {"version": 0, "rating-stiptheid": "not_yet"})
    assert response.status_code == 302


def test_open_werkpunten_come_back_at_the_next_period_and_close_with_an_outcome(
    client, login, lotte
):
    first, second = _periods(lotte)[:2]
    login(MENTOR)
    client.post(
        _url(lotte, first),
        {
            "version": 0,
            "rating-veiligheid-milieu": "not_yet",
            "werkpunt-veiligheid-milieu-text": "PBM dragen",
            "werkpunt-veiligheid-milieu-afspraak": "Bril op bij het slijpen",
        },
    )
    werkpunt = Werkpunt.objects.get(traject=lotte)
    login(LK)
    page = client.get(_url(lotte, second)).content.decode()
    assert 'data-testid="earlier-veiligheid-milieu"' in page and "PBM dragen" in page
    # The student reads it too, without the buttons to close it.
    login(STUDENT)
    page = client.get(_url(lotte, second)).content.decode()
    assert "PBM dragen" in page and f'name="close-{werkpunt.public_id}"' not in page
    # "Blijft": nothing changes; "opgelost" with a note closes it.
    login(LK)
    client.post(_url(lotte, second), {"version": 0, f"close-{werkpunt.public_id}": ""})
    werkpunt.refresh_from_db()
    assert werkpunt.is_open
    response = client.post(
        _url(lotte, second),
        {
            "version": _version(lotte, second, "teacher"),
            f"close-{werkpunt.public_id}": Outcome.RESOLVED,
            f"close-{werkpunt.public_id}-note": "Draagt de bril elke dag",
            f"close-{werkpunt.public_id}-version": werkpunt.version,
        },
    )
    assert response.status_code == 302
    werkpunt.refresh_from_db()
    assert (werkpunt.outcome, werkpunt.outcome_note) == (
        Outcome.RESOLVED,
        "Draagt de bril elke dag",
    )
    assert (
        'data-testid="earlier-werkpunten"' not in client.get(_url(lotte, second)).content.decode()
    )


def test_a_bad_outcome_is_shown_next_to_the_werkpunt(client, login, lotte):
    first, second = _periods(lotte)[:2]
    login(MENTOR)
    client.post(
        _url(lotte, first),
        {"version": 0, "rating-stiptheid": "not_yet", "werkpunt-stiptheid-text": "Op tijd"},
    )
    werkpunt = Werkpunt.objects.get(traject=lotte)
    response = client.post(
        _url(lotte, second),
        {"version": 0, f"close-{werkpunt.public_id}": "vergeten", "rating-voorkomen": "meets"},
    )
    assert response.status_code == 400
    werkpunt.refresh_from_db()
    assert werkpunt.is_open and _ratings(lotte, "mentor") == {"stiptheid": "not_yet"}


def test_autosave_saves_answers_json_and_a_stale_version_gets_409_with_the_values(
    client, login, lotte
):
    period = _periods(lotte)[0]
    login(MENTOR)
    first = client.post(
        _url(lotte, period),
        {
            "period": period.pk,
            "version": 0,
            "rating-stiptheid": "meets",
            "strong-shown": "1",
            "strong-stiptheid": "1",
            "agreement-respectvol-handelen": "Elke vrijdag even samen zitten",
        },
        **AUTOSAVE,
    )
    assert first.status_code == 200
    assert first.json()["status"] == "saved" and first.json()["version"] == 1
    assert SoftSkillRating.objects.get(column__round__traject=lotte, skill_key="stiptheid").strong
    assert SoftSkillAgreement.objects.get(round__traject=lotte).text.startswith("Elke vrijdag")
    # The same person in a second tab, still at version 0.
    stale = client.post(
        _url(lotte, period), {"version": 0, "rating-stiptheid": "above"}, **AUTOSAVE
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["status"] == "stale" and body["version"] == 1 and body["message"]
    assert body["values"]["rating-stiptheid"] == "meets"
    assert body["values"]["strong-stiptheid"] == "1"
    assert _ratings(lotte, "mentor") == {"stiptheid": "meets"}
    # Without JS the stale save shows the message and the stored values: 409, nothing lost.
    page = client.post(_url(lotte, period), {"version": 0, "rating-stiptheid": "above"})
    assert page.status_code == 409
    assert 'id="rating-stiptheid-meets" value="meets" checked' in page.content.decode()


def test_autosave_never_opens_or_closes_werkpunten(client, login, lotte):
    period = _periods(lotte)[0]
    login(MENTOR)
    response = client.post(
        _url(lotte, period),
        {"version": 0, "rating-stiptheid": "not_yet", "werkpunt-stiptheid-text": "Op ti"},
        **AUTOSAVE,
    )
    assert response.status_code == 200
    assert not Werkpunt.objects.filter(traject=lotte).exists()


BAD_INPUT = [
    {"version": "x", "rating-stiptheid": "meets"},
    {"version": 0, "rating-stiptheid": "super"},
    {"version": 0, "rating-stiptheid": "meets", "agreement-respectvol-handelen": "x" * 5000},
    {"version": 0, "rating-onbekend": "meets"},
    {"version": -3},
    {"version": 0, "werkpunt-stiptheid-text": "x" * 400},
]


@pytest.mark.parametrize("data", BAD_INPUT)
def test_bad_input_never_gives_a_500(client, login, lotte, data):
    period = _periods(lotte)[0]
    login(MENTOR)
    plain = client.post(_url(lotte, period), data)
    assert plain.status_code in (302, 400, 409)
    autosave = client.post(_url(lotte, period), data, **AUTOSAVE)
    assert autosave.status_code in (200, 400, 409)
    if autosave.status_code == 400:
        assert autosave.json()["status"] == "invalid" and autosave.json()["errors"]


@pytest.mark.parametrize("period", ["abc", "999999", "-1", ""])
def test_a_period_not_of_the_partnership_is_404(client, login, lotte, period):
    login(MENTOR)
    response = client.get(f"/trajects/{lotte.public_id}/soft-skills/?period={period}")
    assert response.status_code == (200 if period == "" else 404)
    other = Period.objects.exclude(partnership=lotte.partnership).first()
    if other is not None:
        assert client.get(_url(lotte, other)).status_code == 404


def test_every_skill_key_posts(client, login, lotte):
    period = _periods(lotte)[0]
    login(LK)
    data = {"version": 0, **{f"rating-{key}": "meets" for key in SKILLS}}
    assert client.post(_url(lotte, period), data).status_code == 302
    assert len(_ratings(lotte, "teacher")) == len(SKILLS)
