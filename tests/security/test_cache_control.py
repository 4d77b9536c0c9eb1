"""Signed-in pages are never kept by shared caches or the back-forward cache (issue 13,
finding 6): ``Cache-Control: private, no-store`` unless the view chose its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import Traject

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_private_and_not_stored(client, demo_cast, login):
    login("coord@sintjozef.demo")
    traject = Traject.objects.select_related("partnership").get(student__first_name="Lotte")
    partnership = traject.partnership
    pages = [
        "/",
        reverse("notifications:notification_list"),
        f"/trajects/{traject.public_id}/",
        f"/partnerships/{partnership.public_id}/",
        reverse("accounts:password_change"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html"), path
        assert response["Cache-Control"] == "private, no-store", path


def test_an_htmx_fragment_and_a_redirect_are_not_stored_either(client, demo_cast, login):
    login("coord@sintjozef.demo")
    fragment = client.get(reverse("notifications:notification_list"), HTTP_HX_REQUEST="true")
    assert fragment["Cache-Control"] == "private, no-store"
    redirect = client.get("/accounts/login/")  # a signed-in person is sent home
    assert redirect.status_code == 302
    assert "no-store" in redirect["Cache-Control"]


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, demo_cast, login, settings):
    """The iCal feed and the documents' downloads decide for themselves."""
    login("leerling1@sintjozef.demo")
    created = client.post(reverse("agenda:feed_create"))
    assert created.status_code == 200
    feed_path = created.context["feed_url"].removeprefix(settings.SITE_URL)
    feed = client.get(feed_path)
    assert feed.status_code == 200
    assert feed["Cache-Control"] == "private, max-age=300"


def test_anonymous_pages_are_not_marked_private(client, demo_cast):
    login_page = client.get("/accounts/login/")
    assert login_page.status_code == 200
    # Django's login view forbids caching by itself; we add nothing of ours.
    assert "no-store" in login_page["Cache-Control"]
    assert login_page["Cache-Control"] != "private, no-store"
    assert login_page["Cache-Control"].startswith("max-age=0")
    # An anonymous page without a header of its own gets none from us.
    reset = client.get("/accounts/password/reset/")
    assert reset.status_code == 200
    assert not reset.has_header("Cache-Control")
