"""Notification screens: works / other person or tenant 404 / wrong role 403 / anonymous ->
login / wrong method 405, htmx fragments, constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notifications.models import DeliveryStatus, Notification, NotificationPreference, Reminder
from notifications.registry import rules
from notifications.services.notifications import notification_create
from organisations.models import Organisation, Vestiging
from partnerships.models import PartnershipCompany
from tests.notifications.conftest import a1, a2, b1, new_placement, new_traject, today, user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def english(client) -> None:
    client.cookies["duaal_language"] = "en"


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def notify(email: str, count: int = 1) -> list[Notification]:
    return [
        notification_create(
            user=user(email), kind="raci_gap", title=f"Melding {n}", url=f"/partnerships/#{n}"
        )
        for n in range(count)
    ]


# --- in-app list ------------------------------------------------------------------------------


def test_list_shows_only_my_notifications(client, demo_cast, login):
    mine = notify("coord@sintjozef.demo", 2)
    theirs = notify("coord@vandenberghe.demo")
    login("coord@sintjozef.demo")
    response = client.get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f'id="notification-{n.public_id}"' in html for n in mine)
    assert f"notification-{theirs[0].public_id}" not in html
    assert 'data-count="2"' in html


def test_list_fragment_for_htmx(client, demo_cast, login):
    notify("coord@sintjozef.demo")
    login("coord@sintjozef.demo")
    response = client.get("/notifications/?show=unread", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="notification-list"')
    assert "<html" not in html


def test_list_query_count_is_constant(client, demo_cast, login):
    login("coord@sintjozef.demo")
    counts = []
    for size in (2, 20):
        notify("coord@sintjozef.demo", size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_list_anonymous_and_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.get("/notifications/"))
    login("coord@sintjozef.demo")
    assert client.post("/notifications/").status_code == 405


def test_mark_read(client, demo_cast, login):
    notification = notify("coord@sintjozef.demo")[0]
    login("coord@sintjozef.demo")
    response = client.post(f"/notifications/{notification.public_id}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_htmx_returns_the_item_and_tells_the_counter(client, demo_cast, login):
    notification = notify("coord@sintjozef.demo")[0]
    login("coord@sintjozef.demo")
    response = client.post(f"/notifications/{notification.public_id}/read/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="card" id="notification-{notification.public_id}"')
    assert 'data-read="true"' in html
    # The header counter comes along, out of band, with the new count.
    counter = html.split('data-testid="notification-counter"')[1]
    assert 'hx-swap-oob="true"' in counter and 'data-unread="0"' in counter
    assert "notifications-changed" in response["HX-Trigger"]


def test_mark_read_of_someone_else_is_404_and_changes_nothing(client, demo_cast, login):
    notification = notify("coord@vandenberghe.demo")[0]
    login("coord@sintjozef.demo")
    assert client.post(f"/notifications/{notification.public_id}/read/").status_code == 404
    assert client.post(f"/notifications/{notification.public_id}/read/", **HTMX).status_code == 404
    assert client.post("/notifications/not-a-uuid/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_anonymous_and_wrong_method(client, demo_cast, login):
    notification = notify("coord@sintjozef.demo")[0]
    url = f"/notifications/{notification.public_id}/read/"
    assert_login_redirect(client.post(url))
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 405


def test_mark_all_read(client, demo_cast, login):
    notify("coord@sintjozef.demo", 3)
    other = notify("directie@sintjozef.demo")[0]
    login("coord@sintjozef.demo")
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/", **HTMX)
    assert response.status_code == 200
    assert 'data-count="0"' in response.content.decode()
    counter = response.content.decode().split('data-testid="notification-counter"')[1]
    assert 'data-unread="0"' in counter and 'hx-swap-oob="true"' in counter
    assert not Notification.objects.filter(
        user__email="coord@sintjozef.demo", read_at=None
    ).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert client.post("/notifications/read-all/").status_code == 302
    client.logout()
    assert_login_redirect(client.post("/notifications/read-all/"))


# --- the header counter -----------------------------------------------------------------------


def test_unread_counter_fragment(client, demo_cast, login):
    notify("coord@sintjozef.demo", 2)
    login("coord@sintjozef.demo")
    response = client.get("/notifications/unread/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-unread="2"' in html
    # The fragment polls; only the page's placeholder also fires on load (no request loop).
    assert 'hx-trigger="every 60s' in html and "load" not in html
    assert client.post("/notifications/unread/").status_code == 405
    client.logout()
    assert_login_redirect(client.get("/notifications/unread/"))


def test_every_page_has_the_counter_placeholder(client, demo_cast, login):
    login("tb@sintjozef.demo")
    html = client.get("/").content.decode()
    assert 'id="notification-counter"' in html
    assert 'hx-trigger="load, every 60s, notifications-changed from:body"' in html
    assert "<script>" not in html and " style=" not in html


# --- preferences ------------------------------------------------------------------------------


def test_preferences_default_is_everything_at_once(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.get("/notifications/preferences/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in rules:
        assert f'value="{code}"' in html
    assert html.count("checked") == len(rules) + 1  # every kind ticked, and "immediate"


def test_preferences_opt_out_and_digest(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.post(
        "/notifications/preferences/",
        {"delivery": "digest", "emailed_kinds": ["placement_without_mentor", "invitation_pending"]},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user__email="coord@sintjozef.demo")
    assert preference.delivery == "digest"
    # Every other kind is muted, the evaluation app's included.
    assert sorted(preference.muted_kinds) == sorted(
        set(rules) - {"placement_without_mentor", "invitation_pending"}
    )
    assert {"mentor_overload", "raci_gap", "weekly_checkin_missing"} <= set(preference.muted_kinds)
    html = client.get("/notifications/preferences/").content.decode()
    assert 'value="raci_gap"' in html and html.count("checked") == 3


@pytest.mark.parametrize(
    "data",
    [{"delivery": "weekly"}, {"delivery": "digest", "emailed_kinds": ["nonsense"]}, {}],
)
def test_preferences_bad_input_is_400_and_saves_nothing(client, demo_cast, login, data):
    login("coord@sintjozef.demo")
    assert client.post("/notifications/preferences/", data).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_preferences_anonymous_and_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.get("/notifications/preferences/"))
    login("coord@sintjozef.demo")
    assert client.put("/notifications/preferences/").status_code == 405


# --- the coordinator's reminders page --------------------------------------------------------


def test_reminders_page_lists_the_partnerships_reminders_with_status(
    client, demo_cast, login, sweep
):
    sweep()
    failed = Reminder.objects.get(recipient__email="directie@sintjozef.demo")
    Reminder.objects.filter(pk=failed.pk).update(
        status=DeliveryStatus.FAILED, attempts=5, last_error="SMTP 451: mailbox busy"
    )
    english(client)
    login("coord@sintjozef.demo")
    response = client.get("/notifications/reminders/")
    assert response.status_code == 200
    html = response.content.decode()
    # A2's two reminders (coord and directie Sint-Jozef); B1 is another school's.
    assert html.count('data-testid="reminder"') == 2
    assert 'data-status="failed"' in html and "SMTP 451: mailbox busy" in html
    assert 'data-status="sent"' in html
    assert "Gap in the RACI matrix" in html
    filtered = client.get("/notifications/reminders/?status=failed", **HTMX)
    assert filtered.content.decode().count('data-testid="reminder"') == 1
    assert "<html" not in filtered.content.decode()


def test_reminders_page_for_one_partnership(client, demo_cast, login, sweep):
    sweep()
    login("directie@dering.demo")
    response = client.get(f"/notifications/reminders/?partnership={b1().public_id}")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="reminder"') == 1


def test_reminders_page_other_tenant_is_404(client, demo_cast, login):
    login("coord@sintjozef.demo")
    assert client.get(f"/notifications/reminders/?partnership={b1().public_id}").status_code == 404
    assert client.get("/notifications/reminders/?partnership=nonsense").status_code == 404


@pytest.mark.parametrize(
    "email", ["lk@sintjozef.demo", "mentor@vandenberghe.demo", "leerling1@sintjozef.demo"]
)
def test_reminders_page_wrong_role_is_403(client, demo_cast, login, email):
    login(email)
    assert client.get("/notifications/reminders/").status_code == 403


def test_reminders_page_partnership_visible_but_not_overseen_is_403(client, demo_cast, login):
    login("lk@sintjozef.demo")
    assert client.get(f"/notifications/reminders/?partnership={a1().public_id}").status_code == 403


def test_reminders_page_anonymous_and_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.get("/notifications/reminders/"))
    login("coord@sintjozef.demo")
    assert client.post("/notifications/reminders/").status_code == 405


def test_reminders_about_a_student_show_only_to_who_sees_the_student(
    client, demo_cast, login, sweep
):
    """coord@vandenberghe.demo runs A1's team (manage_team) but sees only company X's students."""
    daems = Organisation.objects.get(name="Koeltechniek Daems")
    PartnershipCompany.objects.create(
        partnership=a1(), company=daems, vestiging=Vestiging.objects.get(organisation=daems)
    )
    at_x = new_placement(new_traject(a1(), "Xavier"), start=today() + timedelta(days=4))
    at_daems = new_placement(new_traject(a1(), "Dirk"), start=today() + timedelta(days=4))
    at_daems.company = daems
    at_daems.vestiging = Vestiging.objects.get(organisation=daems)
    at_daems.save()
    from partnerships.services.grants import partnership_sync_grants

    partnership_sync_grants(partnership=a1())
    sweep()
    assert (
        Reminder.objects.filter(
            subject_id__in=[at_x.pk, at_daems.pk], rule="placement_without_mentor"
        ).count()
        == 4
    )
    login("coord@vandenberghe.demo")
    html = client.get(f"/notifications/reminders/?partnership={a1().public_id}").content.decode()
    assert "Xavier" in html
    assert "Dirk" not in html
    client.logout()
    login("coord@sintjozef.demo")
    html = client.get(f"/notifications/reminders/?partnership={a1().public_id}").content.decode()
    assert "Xavier" in html and "Dirk" in html


def test_reminders_page_query_count_is_constant(client, demo_cast, login, sweep):
    login("coord@sintjozef.demo")
    counts = []
    for size in (1, 8):
        for _ in range(size):
            new_placement(new_traject(a2()), start=today() + timedelta(days=6))
        sweep()
        ContentType.objects.clear_cache()  # both counts from cold caches, whatever ran before
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/reminders/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert Reminder.objects.filter(rule="placement_without_mentor").count() == 18
    assert counts[0] == counts[1], counts


# --- bad input never gives a 500; stored markup is escaped ---------------------------------

TEXT = st.text(max_size=40)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    delivery=TEXT,
    kinds=st.lists(st.one_of(TEXT, st.sampled_from(sorted(rules))), max_size=5),
    status=TEXT,
    page=TEXT,
)
def test_forms_never_fail_on_odd_input(client, demo_cast, login, delivery, kinds, status, page):
    login("coord@sintjozef.demo")
    response = client.post(
        "/notifications/preferences/", {"delivery": delivery, "emailed_kinds": kinds}
    )
    assert response.status_code in {302, 400}
    response = client.get("/notifications/reminders/", {"status": status, "page": page})
    assert response.status_code == 200
    response = client.get("/notifications/", {"show": status, "page": page})
    assert response.status_code == 200


def test_markup_in_names_is_escaped_in_the_mail_and_the_list(client, demo_cast, login, sweep):
    from django.core import mail

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    from partnerships.services.grants import partnership_sync_grants

    traject = new_traject(a1(), payload)
    new_placement(traject, start=today() + timedelta(days=3))
    partnership_sync_grants(partnership=a1())
    sweep()
    message = next(m for m in mail.outbox if payload in m.subject)
    html = message.alternatives[0].content
    assert payload not in html and "&lt;script&gt;" in html
    assert payload in message.body  # plain text: shown as typed, nothing to interpret
    login("coord@sintjozef.demo")
    for url in ("/notifications/", "/notifications/reminders/"):
        page = client.get(url).content.decode()
        assert payload not in page and "&lt;script&gt;alert" in page, url
