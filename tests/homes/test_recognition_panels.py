"""The recognition panels of the school's and the company's administrators (issue 12): what
they say, that their links open, and that they cost the same with one row as with many."""

from __future__ import annotations

import re

import pytest

from accounts.models import User
from learning.models import Opleiding
from organisations.models import Organisation
from organisations.services import membership_ensure
from recognition.models import MentorProfile, Programmatie, ProgrammatieStatus, Recognition
from recognition.programmatie import first_open_school_year
from tests.homes.test_homes import sections
from tests.homes.test_query_counts import add_students, count_home

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
VANDENBERGHE = "Metaalbouw Vandenberghe"


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_school_administrator_sees_the_open_programmatie_with_its_deadline(client, home):
    html = home("coord@sintjozef.demo")
    panel = sections(html, "home-programmatie")
    item = Programmatie.objects.get(school__name=SINT_JOZEF)
    assert "Opleidingsaanbod" in panel
    assert "1 open programmatieaanvraag." in panel
    assert f'href="/recognition/programmatie/{item.public_id}/"' in panel
    assert "Dien in uiterlijk op 30 november" in panel  # the next deadline
    assert 'href="/recognition/programmatie/" data-testid="home-programmatie-list"' in panel
    assert 'href="/recognition/partners/" data-testid="home-partner-search"' in panel
    for link in hrefs(panel):
        assert client.get(link).status_code == 200, link
    # Once started, the request has no deadline left: it leaves the panel.
    Programmatie.objects.filter(pk=item.pk).update(status=ProgrammatieStatus.STARTED)
    panel = sections(home("coord@sintjozef.demo"), "home-programmatie")
    assert "Geen open programmatieaanvraag." in panel
    assert "/recognition/partners/" in panel


def test_a_school_member_who_is_no_administrator_has_no_programmatie_panel(home):
    for email in ("tb@sintjozef.demo", "lk@sintjozef.demo", "coord@vandenberghe.demo"):
        assert sections(home(email), "home-programmatie") == ""


def test_the_company_administrator_sees_the_recognitions_and_the_mentors_not_eligible(
    client, home, week
):
    company = Organisation.objects.get(name=VANDENBERGHE)
    html = home("coord@vandenberghe.demo")
    panel = sections(html, "home-company-recognitions")
    in_force = Recognition.objects.filter(
        company=company, status="recognised", decided_on__lte=week, valid_until__gte=week
    )
    soonest = min(in_force.values_list("valid_until", flat=True))
    assert f'data-testid="home-recognitions-in-force">{in_force.count()}<' in panel
    assert in_force.count() == 2
    assert f"{soonest.day} " in re.search(r'home-recognitions-expiry">([^<]+)<', panel)[1]
    assert 'data-testid="home-recognitions-pending">0<' in panel
    assert "home-mentors-not-eligible" not in panel  # the demo's mentors are eligible
    assert f'href="/organisations/{company.public_id}/recognitions/"' in panel
    assert f'href="/recognition/companies/{company.public_id}/listing/"' in panel
    for link in hrefs(panel):
        assert client.get(link).status_code == 200, link
    # A mentor without a profile is not eligible: the panel counts them.
    MentorProfile.objects.filter(user__email="mentor@vandenberghe.demo").delete()
    panel = sections(home("coord@vandenberghe.demo"), "home-company-recognitions")
    assert "1 mentor voldoet nog niet" in panel
    assert f'href="/organisations/{company.public_id}/students/"' in panel


def test_a_company_member_who_is_no_administrator_has_no_recognitions_panel(home):
    for email in ("mentor@vandenberghe.demo", "coord@sintjozef.demo", "consulent@sector.demo"):
        assert sections(home(email), "home-company-recognitions") == ""


def test_the_recognition_panels_cost_the_same_with_one_row_or_many(client, demo_cast, week):
    few_school, _html = count_home(client, "coord@sintjozef.demo")
    few_company, html = count_home(client, "coord@vandenberghe.demo")
    assert "home-mentors-not-eligible" not in html
    school = Organisation.objects.get(name=SINT_JOZEF)
    year = first_open_school_year(week)
    for opleiding in Opleiding.objects.exclude(pk__in=Programmatie.objects.values("opleiding"))[:3]:
        Programmatie.objects.create(school=school, opleiding=opleiding, school_year=year)
    company = Organisation.objects.get(name=VANDENBERGHE)
    for number in range(3):  # new mentors without a profile: not eligible
        mentor = User.objects.create_user(
            email=f"mentor{number}@x.example", full_name=f"Mentor {number}"
        )
        membership_ensure(user=mentor, organisation=company)
        add_students(1, mentor=mentor, parent=User.objects.get(email="ouder1@sintjozef.demo"))
    many_school, html = count_home(client, "coord@sintjozef.demo")
    assert "4 open programmatieaanvragen." in sections(html, "home-programmatie")
    many_company, html = count_home(client, "coord@vandenberghe.demo")
    assert "3 mentoren voldoen nog niet" in sections(html, "home-company-recognitions")
    assert (many_school, many_company) == (few_school, few_company)


@pytest.mark.parametrize("email", ["coord@vandenberghe.demo", "directie@vandenberghe.demo"])
def test_the_company_pages_link_the_listing_for_its_administrators(client, demo_cast, email):
    company = Organisation.objects.get(name=VANDENBERGHE)
    listing = f'href="/recognition/companies/{company.public_id}/listing/"'
    client.force_login(User.objects.get(email=email))
    for page in (
        f"/organisations/{company.public_id}/recognitions/",
        f"/organisations/{company.public_id}/students/",
    ):
        assert listing in client.get(page).content.decode(), page
    assert client.get(f"/recognition/companies/{company.public_id}/listing/").status_code == 200


def test_a_mentor_sees_no_listing_link(client, demo_cast):
    company = Organisation.objects.get(name=VANDENBERGHE)
    client.force_login(User.objects.get(email="mentor@vandenberghe.demo"))
    for page in (
        f"/organisations/{company.public_id}/recognitions/",
        f"/organisations/{company.public_id}/students/",
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "/listing/" not in response.content.decode(), page
