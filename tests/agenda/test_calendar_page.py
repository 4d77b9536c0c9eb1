"""The agenda page: the calendar link (shown once), rotate and revoke, and the four-week preview.

Each view: works / anonymous -> login / wrong method 405 / CSRF. The page shows only the
user's own link and the events of students the user may see (no tenant-scoped URL here).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import CalendarFeed

pytestmark = pytest.mark.django_db

PAGE = reverse("agenda:calendar")
CREATE = reverse("agenda:feed_create")
REVOKE = reverse("agenda:feed_revoke")


def active_feeds(user) -> list[CalendarFeed]:
    return list(CalendarFeed.objects.filter(user=user, revoked_at__isnull=True))


@pytest.mark.parametrize("url", [PAGE, CREATE, REVOKE])
def test_anonymous_is_sent_to_login(cast, client, url):
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("url", [CREATE, REVOKE])
def test_create_and_revoke_are_post_only(cast, login, url):
    client = login("leerling1@sintjozef.demo")
    assert client.get(url).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_page_is_get_only(cast, login):
    assert login("leerling1@sintjozef.demo").post(PAGE).status_code == 405


def test_page_without_a_feed(cast, login):
    client = login("leerling1@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    response = client.get(PAGE)
    assert response.status_code == 200
    assert b'data-testid="feed-none"' in response.content
    assert b"Anyone who has the link sees your agenda" in response.content
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_create_shows_the_link_once(cast, login, settings):
    settings.SITE_URL = "https://duaal.example.be"
    user = cast["leerling1@sintjozef.demo"]
    client = login(user.email)
    response = client.post(CREATE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = response.context["feed_url"]
    # SITE_URL, not the host the request came in on.
    assert url.startswith("https://duaal.example.be/agenda/feed/") and url.endswith(".ics")
    assert response.context["webcal_url"] == "webcal://" + url.removeprefix("https://")
    assert url.encode() in response.content
    assert response.context["webcal_url"].encode() in response.content
    [feed] = active_feeds(user)
    # The link works, and the page never shows it again.
    path = url.removeprefix("https://duaal.example.be")
    assert Client().get(path).status_code == 200
    again = client.get(PAGE)
    assert b'data-testid="feed-exists"' in again.content
    assert path.encode() not in again.content
    assert b'data-testid="feed-url"' not in again.content


def test_new_link_rotates(cast, login):
    user = cast["leerling1@sintjozef.demo"]
    client = login(user.email)
    first = client.post(CREATE).context["feed_url"].removeprefix(settings.SITE_URL)
    second = client.post(CREATE).context["feed_url"].removeprefix(settings.SITE_URL)
    assert first != second
    assert len(active_feeds(user)) == 1
    anonymous = Client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200


def test_revoke(cast, login):
    user = cast["leerling1@sintjozef.demo"]
    client = login(user.email)
    path = client.post(CREATE).context["feed_url"].removeprefix(settings.SITE_URL)
    response = client.post(REVOKE)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert active_feeds(user) == []
    assert Client().get(path).status_code == 404
    assert b'data-testid="feed-none"' in client.get(PAGE).content


def test_revoke_touches_only_the_own_feed(cast, login):
    other = cast["leerling2@sintjozef.demo"]
    from agenda import services

    services.calendar_feed_create(user=other)
    client = login("leerling1@sintjozef.demo")
    client.post(CREATE)
    client.post(REVOKE)
    assert len(active_feeds(other)) == 1


def test_csrf_is_required(cast):
    from accounts.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(email="leerling1@sintjozef.demo"))
    assert client.post(CREATE).status_code == 403
    assert client.post(REVOKE).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_preview_shows_the_next_four_weeks(cast, login, frozen_today):
    client = login("leerling1@sintjozef.demo")
    response = client.get(PAGE)
    events = response.context["events"]
    assert events
    assert min(e.day for e in events) == frozen_today  # Monday 3 November 2025: school
    assert max(e.day for e in events) <= date(2025, 11, 30)
    assert date(2025, 11, 11) not in {e.day for e in events}  # public holiday
    assert b'data-kind="training_centre" data-day="2025-11-04"' in response.content
    assert b'data-kind="company" data-day="2025-11-05"' in response.content


def test_preview_shows_only_visible_students(cast, login):
    client = login("mentor@vandenberghe.demo")
    client.cookies["duaal_language"] = "en"
    response = client.get(PAGE)
    assert b"Lotte Janssens: company day" in response.content
    for other in (b"Mohamed", b"Jonas", b"Emma"):
        assert other not in response.content


def test_preview_empty_for_the_sector_consultant(cast, login):
    response = login("consulent@sector.demo").get(PAGE)
    assert response.status_code == 200
    assert b'data-testid="agenda-empty"' in response.content


def test_preview_is_capped(cast, login, monkeypatch):
    from agenda import views

    monkeypatch.setattr(views, "PREVIEW_MAX_EVENTS", 5)
    response = login("tb@sintjozef.demo").get(PAGE)
    assert len(response.context["events"]) == 5
    assert b'data-testid="events-hidden"' in response.content


def test_page_query_count_is_constant(cast, login, add_students):
    client = login("tb@sintjozef.demo")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    add_students(1)
    few = count()
    add_students(4)
    assert count() == few
