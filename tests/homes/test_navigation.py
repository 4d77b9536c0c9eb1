"""The main menu shows only what the person can use: every entry opens a page that is
allowed and not empty for that person."""

from __future__ import annotations

import re

import pytest

from accounts.models import User
from organisations import demo as people

TEAM = {"nav-trajects", "nav-evaluations", "nav-partnerships", "nav-leerfiches", "nav-agenda"}
FAMILY = {"nav-my-traject", "nav-progress", "nav-agenda"}
EXPECTED = {
    **{person.email: TEAM for person in people.PEOPLE if person.organisation},
    "consulent@sector.demo": {"nav-leerfiches", "nav-recognitions"},
    "leerling1@sintjozef.demo": FAMILY,
    "leerling2@sintjozef.demo": FAMILY,
    "leerling3@sintjozef.demo": FAMILY,
    "leerling1@dering.demo": FAMILY,
    "ouder1@sintjozef.demo": FAMILY,
    "leerling4@sintjozef.demo": FAMILY,
    "ouder2@sintjozef.demo": FAMILY,
}
# Noor (contracts demo) starts three weeks after seeding: her agenda has no day yet.
NOT_STARTED = {"leerling4@sintjozef.demo", "ouder2@sintjozef.demo"}
# What shows that a page the menu opens is not empty for its person.
NOT_EMPTY = {
    "nav-trajects": 'data-testid="traject-row"',
    "nav-partnerships": 'data-testid="partnership-row"',
    "nav-agenda": 'data-testid="agenda-event"',
    "nav-my-traject": 'data-testid="student-facts"',
    "nav-leerfiches": 'data-testid="set-version"',
    "nav-evaluations": 'data-testid="review-student"',
    "nav-progress": 'data-testid="progress-title"',
    "nav-recognitions": 'data-testid="inbox"',
}


def main_nav(html: str) -> dict[str, tuple[str, str]]:
    """{testid: (href, label)} of the main menu's links."""
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', html, flags=re.S)
    if nav is None:
        return {}
    return {
        testid: (href, label)
        for href, testid, label in re.findall(
            r'<a href="([^"]+)" data-testid="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1)
        )
    }


def test_every_person_of_the_cast_is_covered():
    assert set(EXPECTED) == {person.email for person in people.PEOPLE}


@pytest.mark.parametrize("email", list(EXPECTED))
def test_every_menu_entry_opens_an_allowed_page_that_is_not_empty(client, demo_cast, week, email):
    client.force_login(User.objects.get(email=email))
    nav = main_nav(client.get("/").content.decode())
    assert set(nav) == EXPECTED[email]
    for testid, (href, _label) in nav.items():
        response = client.get(href)
        assert response.status_code == 200, (testid, href)
        if testid == "nav-agenda" and email in NOT_STARTED:
            continue  # no company day in the agenda before her placement starts
        assert NOT_EMPTY[testid] in response.content.decode(), (testid, href)


def test_one_name_for_the_students_list_in_the_menu_and_on_the_page(client, demo_cast):
    client.force_login(User.objects.get(email="tb@sintjozef.demo"))
    href, label = main_nav(client.get("/").content.decode())["nav-trajects"]
    assert label == "Leerlingen"
    page = client.get(href).content.decode()
    assert re.search(r"<h1>\s*Leerlingen\s*</h1>", page)


def test_the_family_entry_is_named_for_the_student_and_leads_to_the_traject(client, demo_cast):
    client.force_login(User.objects.get(email="leerling1@sintjozef.demo"))
    href, label = main_nav(client.get("/").content.decode())["nav-my-traject"]
    assert label == "Mijn traject" and href.startswith("/trajects/")
    client.force_login(User.objects.get(email="ouder1@sintjozef.demo"))
    href_parent, label = main_nav(client.get("/").content.decode())["nav-my-traject"]
    assert label == "Traject van Lotte" and href_parent == href


def test_the_menu_marks_the_current_page(client, demo_cast):
    client.force_login(User.objects.get(email="tb@sintjozef.demo"))
    html = client.get("/trajects/").content.decode()
    assert re.search(r'data-testid="nav-trajects" aria-current="page"', html)
    assert 'data-testid="nav-agenda" aria-current' not in html


def test_a_school_administrator_without_partnerships_may_start_one(client, demo_cast):
    """The partnerships page offers "new partnership" to a school's administrators."""
    from organisations.models import Organisation
    from organisations.services import membership_ensure

    user = User.objects.create_user(email="nieuw@school.example", password="x" * 12)
    school = Organisation.objects.create(
        name="Nieuwe school", kind="school", instellingsnummer="999777"
    )
    membership_ensure(user=user, organisation=school, is_admin=True)
    client.force_login(user)
    nav = main_nav(client.get("/").content.decode())
    assert set(nav) == {"nav-partnerships", "nav-leerfiches"}
    assert (
        'data-testid="partnership-create"'
        in client.get(nav["nav-partnerships"][0]).content.decode()
    )
