"""The main menu kept per person in a shared cache (issue 13, ``DUAAL_NAV_CACHE_SECONDS``):
the kept menu is used while nothing changed, and every change of grants, memberships or a
student's name shows on the next request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from duaal import homes
from organisations.models import Membership, Organisation
from partnerships.models import Student, TeamMember
from partnerships.services.grants import partnership_sync_grants
from tests.homes.test_navigation import main_nav


@pytest.fixture
def nav_cache(settings):
    settings.DUAAL_NAV_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _nav(client, email: str) -> dict[str, tuple[str, str]]:
    client.force_login(User.objects.get(email=email))
    return main_nav(client.get("/").content.decode())


def test_the_kept_menu_is_used_while_nothing_changes(client, demo_cast, nav_cache, monkeypatch):
    first = _nav(client, "tb@sintjozef.demo")
    assert "nav-trajects" in first

    def recompute(viewer):
        raise AssertionError("the menu was computed again")

    monkeypatch.setattr(homes, "_nav_entries", recompute)
    assert main_nav(client.get("/trajects/").content.decode()) == first
    html = client.get("/trajects/").content.decode()
    assert 'data-testid="nav-trajects" aria-current="page"' in html  # per request, not kept


def test_the_kept_menu_needs_fewer_queries(client, demo_cast, nav_cache):
    client.force_login(User.objects.get(email="tb@sintjozef.demo"))
    with CaptureQueriesContext(connection) as computed:
        client.get("/notifications/")
    with CaptureQueriesContext(connection) as kept:
        client.get("/notifications/")
    assert len(kept) <= len(computed) - 3


def test_each_language_has_its_own_menu(client, demo_cast, nav_cache, settings):
    assert _nav(client, "tb@sintjozef.demo")["nav-trajects"][1] == "Leerlingen"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert main_nav(client.get("/").content.decode())["nav-trajects"][1] == "Students"


def test_a_lost_grant_changes_the_menu_on_the_next_request(client, demo_cast, nav_cache):
    """lk@sintjozef.demo leaves the A1 team (their only partnership): the students list,
    evaluations, partnerships and agenda leave their menu at once."""
    assert {"nav-trajects", "nav-partnerships"} <= set(_nav(client, "lk@sintjozef.demo"))
    member = TeamMember.objects.get(user__email="lk@sintjozef.demo")
    partnership = member.partnership
    member.delete()
    partnership_sync_grants(partnership=partnership)
    assert set(_nav(client, "lk@sintjozef.demo")) == {"nav-leerfiches"}


def test_a_lost_membership_changes_the_menu_on_the_next_request(client, demo_cast, nav_cache):
    assert set(_nav(client, "consulent@sector.demo")) == {"nav-leerfiches", "nav-recognitions"}
    Membership.objects.filter(user__email="consulent@sector.demo").delete()
    assert set(_nav(client, "consulent@sector.demo")) == set()


def test_a_renamed_student_is_named_so_in_the_parents_menu(client, demo_cast, nav_cache):
    assert _nav(client, "ouder1@sintjozef.demo")["nav-my-traject"][1] == "Traject van Lotte"
    student = Student.objects.get(first_name="Lotte")
    student.first_name = "Charlotte"
    student.save()
    assert _nav(client, "ouder1@sintjozef.demo")["nav-my-traject"][1] == "Traject van Charlotte"


def test_without_a_shared_cache_nothing_is_kept(client, demo_cast, settings):
    settings.DUAAL_NAV_CACHE_SECONDS = 0
    cache.clear()
    _nav(client, "tb@sintjozef.demo")
    assert cache.get(homes.NAV_VERSION_KEY) is None


def _switcher(html: str) -> list[str]:
    """The organisation switcher's options (only shown with two or more organisations)."""
    form = html.split('class="inline-form org-switcher"', 1)
    if len(form) == 1:
        return []
    select = form[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1].split("<", 1)[0] for option in select.split("<option")[1:]]


def test_the_switchers_memberships_are_kept_and_follow_changes(client, demo_cast, nav_cache):
    """The organisation switcher's memberships are kept like the menu: no query while nothing
    changed; a new membership and a renamed organisation show on the next request."""
    tb = User.objects.get(email="tb@sintjozef.demo")
    client.force_login(tb)
    assert _switcher(client.get("/").content.decode()) == []  # one organisation
    with CaptureQueriesContext(connection) as kept:
        client.get("/notifications/")
    assert not [q for q in kept.captured_queries if "organisations_membership" in q["sql"]]

    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    Membership.objects.create(user=tb, organisation=company)
    options = _switcher(client.get("/").content.decode())
    assert options == sorted(options) and "Metaalbouw Vandenberghe" in options and len(options) == 2

    company.name = "Vandenberghe Metaal"
    company.save()
    assert "Vandenberghe Metaal" in _switcher(client.get("/").content.decode())


def test_a_student_home_asks_nothing_about_organisations(client, demo_cast, nav_cache):
    """With the memberships kept, a student's home (no organisation) asks no organisation
    query; a member's home still shows their organisations."""
    client.force_login(User.objects.get(email="leerling1@sintjozef.demo"))
    client.get("/")
    with CaptureQueriesContext(connection) as kept:
        html = client.get("/").content.decode()
    assert 'data-testid="home-organisations"' not in html
    assert not [q for q in kept.captured_queries if "organisations_" in q["sql"]]
    client.force_login(User.objects.get(email="tb@sintjozef.demo"))
    assert 'data-testid="home-organisations"' in client.get("/").content.decode()


def test_the_link_to_the_reminders_overview_is_kept_and_follows_the_grants(
    client, demo_cast, nav_cache
):
    """Whether someone follows reminders (the overview's link on the notifications page) is
    kept like the menu: no grant query while nothing changed; a lost grant removes the link
    on the next request."""
    coordinator = User.objects.get(email="coord@sintjozef.demo")
    client.force_login(coordinator)
    assert 'data-testid="reminders-link"' in client.get("/notifications/").content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert 'data-testid="reminders-link"' in client.get("/notifications/").content.decode()
    assert not [q for q in kept.captured_queries if "partnershipuserobjectpermission" in q["sql"]]

    for member in TeamMember.objects.filter(user=coordinator).select_related("partnership"):
        member.delete()
        partnership_sync_grants(partnership=member.partnership)
    assert 'data-testid="reminders-link"' not in client.get("/notifications/").content.decode()


class _CountingCache:
    """The cache, counting the reads and writes the home engine asks of it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str):
        attribute = getattr(self.inner, name)
        if name in {"get", "get_many", "set", "add", "incr"}:

            def counted(*args, **kwargs):
                self.calls.append(name)
                return attribute(*args, **kwargs)

            return counted
        return attribute


def test_one_request_reads_the_kept_entries_in_two_round_trips(
    client, demo_cast, nav_cache, monkeypatch
):
    """The version once and every kept entry of the person (menu, memberships, follows
    reminders) in one ``get_many``; nothing is written while nothing changed."""
    client.force_login(User.objects.get(email="coord@sintjozef.demo"))
    client.get("/")
    client.get("/notifications/")  # every kept entry exists now
    counting = _CountingCache(cache)
    monkeypatch.setattr(homes, "cache", counting)
    html = client.get("/notifications/").content.decode()
    assert 'data-testid="reminders-link"' in html and "nav-trajects" in html
    assert counting.calls == ["get", "get_many"]
    counting.calls.clear()
    client.get("/")
    assert counting.calls == ["get", "get_many"]
