"""The traject page's history ("Geschiedenis"): who sees which entries, in Dutch, in one query."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import User
from duaal import audit
from partnerships.models import Traject, Weekday
from partnerships.selectors.history import traject_history
from partnerships.services.trajects import placement_update, traject_update

pytestmark = pytest.mark.django_db

SECRET = "ZQXINTERN"  # text that only the team may read


def user(email: str) -> User:
    return User.objects.get(email=email)


def traject_of(first_name: str) -> Traject:
    return Traject.objects.select_related("partnership", "student").get(
        student__first_name=first_name
    )


def history_html(response) -> str:
    page = response.content.decode()
    match = re.search(r'<section aria-labelledby="history-title".*?</section>', page, re.S)
    assert match, "the traject page has a history section"
    return match.group(0)


def move_end_date(traject: Traject, *, days: int = 30) -> tuple[dt.date, dt.date]:
    placement = traject.placements.select_related("company", "vestiging").get()
    old = placement.end_date
    new = old - dt.timedelta(days=days)
    placement_update(
        actor=user("coord@sintjozef.demo"),
        placement=placement,
        company=placement.company,
        vestiging=placement.vestiging,
        start_date=placement.start_date,
        end_date=new,
        weekly_pattern={day.value: getattr(placement, day.value) for day in Weekday},
        workplace_hours_per_week=placement.workplace_hours_per_week,
        mentors=[s.user for s in placement.supervisors.filter(kind="mentor")],
        begeleiders=[s.user for s in placement.supervisors.filter(kind="begeleider")],
    )
    return old, new


def test_the_placement_change_shows_on_the_traject_in_dutch(client, demo_cast, login):
    lotte = traject_of("Lotte")
    old, new = move_end_date(lotte)
    login("tb@sintjozef.demo")
    response = client.get(f"/trajects/{lotte.public_id}/")
    assert response.status_code == 200
    history = history_html(response)
    assert "Geschiedenis" in history
    first = re.search(r'<li class="history__item".*?</li>', history, re.S).group(0)
    assert 'data-action="placement.update"' in first  # newest first
    assert "Plaatsing gewijzigd" in first and "Metaalbouw Vandenberghe" in first
    assert "Einddatum" in first
    with translation.override("nl-be"):
        old_text, new_text = (date_format(d, "SHORT_DATE_FORMAT") for d in (old, new))
    assert f'data-testid="history-old">{old_text}<' in first
    assert f'data-testid="history-new">{new_text}<' in first
    assert str(user("coord@sintjozef.demo")) in first
    assert "(Technisch Instituut Sint-Jozef)" in first


def test_english_labels_for_english_readers(client, demo_cast, login):
    lotte = traject_of("Lotte")
    move_end_date(lotte)
    login("tb@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    history = history_html(client.get(f"/trajects/{lotte.public_id}/"))
    assert "History" in history and "Placement changed" in history and "End date" in history


def test_students_and_parents_see_no_internal_fields(client, demo_cast, login):
    lotte = traject_of("Lotte")
    coord = user("coord@sintjozef.demo")
    traject_update(actor=coord, traject=lotte, data={"intake_notes": f"Gesprek {SECRET}"})
    traject_update(
        actor=coord,
        traject=lotte,
        data={"beginsituatie": f"Begin {SECRET}", "klassenraad_advice": "aanloopfase"},
    )
    move_end_date(lotte)
    # The team sees everything.
    login("lk@sintjozef.demo")
    team_view = history_html(client.get(f"/trajects/{lotte.public_id}/"))
    assert SECRET in team_view and "Intakegesprek" in team_view
    for email in ("leerling1@sintjozef.demo", "ouder1@sintjozef.demo"):
        client.logout()
        login(email)
        response = client.get(f"/trajects/{lotte.public_id}/")
        assert response.status_code == 200, email
        family_view = history_html(response)
        assert SECRET not in family_view, email
        assert 'data-field="intake_notes"' not in family_view
        assert 'data-field="beginsituatie"' not in family_view
        # The rest of a mixed entry, and the other entries, are shown.
        assert 'data-field="klassenraad_advice"' in family_view
        assert "Aanloopfase" in family_view
        assert 'data-action="placement.update"' in family_view
        items = response.context["history"].items
        assert all(
            change.field not in {"intake_notes", "beginsituatie"}
            for item in items
            for change in item.changes
        )


def test_another_tenant_sees_neither_the_traject_nor_its_entries(client, demo_cast, login):
    lotte = traject_of("Lotte")
    traject_update(
        actor=user("coord@sintjozef.demo"), traject=lotte, data={"beginsituatie": SECRET}
    )
    login("tb@dering.demo")
    assert client.get(f"/trajects/{lotte.public_id}/").status_code == 404
    # Their own student's page lists only that traject's history.
    jonas = traject_of("Jonas")
    response = client.get(f"/trajects/{jonas.public_id}/")
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert all(
        "beginsituatie" not in [c.field for c in item.changes]
        for item in response.context["history"].items
    )
    # Another student of the same partnership: not Lotte's entries either.
    client.logout()
    login("leerling2@sintjozef.demo")
    mohamed = traject_of("Mohamed")
    assert client.get(f"/trajects/{lotte.public_id}/").status_code == 404
    assert SECRET not in client.get(f"/trajects/{mohamed.public_id}/").content.decode()


def test_entries_of_the_student_without_a_traject_are_listed_too(demo_cast):
    lotte = traject_of("Lotte")
    mohamed = traject_of("Mohamed")
    audit.record(action="student_contact.add", student=lotte.student, object_label="Oma")
    audit.record(action="student_contact.add", student=mohamed.student, object_label="Opa")
    labels = [i.object_label for i in traject_history(traject=lotte, internal=True).items]
    assert "Oma" in labels and "Opa" not in labels


def _add_entries(traject: Traject, count: int) -> None:
    audit.record_many(
        {
            "action": "traject.update",
            "traject": traject,
            "student": traject.student_id,
            "changes": {"status": ("intake", "running")},
        }
        for _ in range(count)
    )


@pytest.mark.parametrize("count", [3, 120])
def test_the_history_is_one_query_and_limited(demo_cast, django_assert_num_queries, count):
    lotte = traject_of("Lotte")
    # The demo's own entries (its school year of evaluations) come first.
    before = len(traject_history(traject=lotte, internal=False, limit=10_000).items)
    _add_entries(lotte, count)
    with django_assert_num_queries(1):
        history = traject_history(traject=lotte, internal=False, limit=50)
    assert len(history.items) == min(before + count, 50)
    assert history.more is (before + count > 50)
    ids = [item.pk for item in history.items]
    assert ids == sorted(ids, reverse=True)  # newest first


def test_the_page_says_when_older_entries_are_left_out(client, demo_cast, login):
    lotte = traject_of("Lotte")
    _add_entries(lotte, 60)
    login("tb@sintjozef.demo")
    history = history_html(client.get(f"/trajects/{lotte.public_id}/"))
    assert history.count('class="history__item"') == 50
    assert 'data-testid="history-more"' in history


def test_the_traject_page_query_count_does_not_grow_with_the_history(client, demo_cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lotte = traject_of("Lotte")
    login("tb@sintjozef.demo")
    url = f"/trajects/{lotte.public_id}/"
    _add_entries(lotte, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _add_entries(lotte, 40)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_values_are_shown_in_the_readers_language():
    from partnerships.audit import display_value, field_label

    placement = "partnerships.placement"
    with translation.override("nl-be"):
        assert display_value(placement, "workplace_hours_per_week", "22.5") == "22,5"
        assert display_value(placement, "friday", "training_centre") == "Opleidingscentrum"
        assert display_value(placement, "start_date", "2026-09-01") == "1/9/2026"
        assert display_value(placement, "mentors", [{"id": 1, "label": "An"}]) == "An"
        assert display_value(placement, "end_date", None) == "—"
        assert field_label(placement, "mentors") == "Mentor(en)"
        assert (
            field_label("organisations.organisation", "paritair_comite") == "paritair comité (PC)"
        )
    with translation.override("en"):
        assert display_value(placement, "workplace_hours_per_week", "22.5") == "22.5"
        assert display_value(placement, "friday", "training_centre") == "Training centre"
