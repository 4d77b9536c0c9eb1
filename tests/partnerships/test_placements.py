"""Adding and removing placements: the service's rules come back as form errors, nothing saved.

Works / other tenant 404 / wrong role 403 / anonymous -> login / wrong method 405, and the bad
input of the issue: outside the school year, overlapping, a mentor of another company, a
mentor's fourth student. Service messages are new strings: asserted in English.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import User
from organisations.models import Organisation, Vestiging
from organisations.services import membership_ensure
from partnerships import permissions
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    TeamMember,
    Traject,
)
from partnerships.services.partnerships import partnership_company_add, team_member_add
from partnerships.services.trajects import placement_create, traject_create

pytestmark = pytest.mark.django_db

VANDENBERGHE = "Metaalbouw Vandenberghe"


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def traject_of(first_name: str) -> Traject:
    return Traject.objects.get(student__first_name=first_name)


def new_traject(first_name: str) -> Traject:
    partnership = a1()
    student = Student.objects.create(
        school=partnership.school,
        first_name=first_name,
        last_name="Test",
        birth_date=date(2009, 9, 9),
        school_class=SchoolClass.objects.get(school=partnership.school, name="6 LAS"),
    )
    return traject_create(actor=user("tb@sintjozef.demo"), partnership=partnership, student=student)


def company_x_entry() -> PartnershipCompany:
    return PartnershipCompany.objects.get(partnership=a1(), company__name=VANDENBERGHE)


def placement_data(**overrides) -> dict[str, object]:
    year = a1().school_year
    data = {
        "company_vestiging": company_x_entry().pk,
        "start_date": f"{year}-10-01",
        "end_date": f"{year + 1}-06-30",
        "monday": "school",
        "tuesday": "school",
        "wednesday": "company",
        "thursday": "company",
        "friday": "training_centre",
        "workplace_hours_per_week": "15",
        "mentors": [user("mentor@vandenberghe.demo").pk],
        "begeleiders": [],
    }
    data.update(overrides)
    return data


def english(client) -> None:
    client.cookies["duaal_language"] = "en"


# --- placement_create: works -----------------------------------------------------------------


def test_placement_create(client, demo_cast, login):
    traject = new_traject("Nora")
    login("coord@sintjozef.demo")  # R on contracten -> manage_placements
    url = f"/trajects/{traject.public_id}/placements/new/"
    response = client.post(url, placement_data(begeleiders=[user("mentor2@vandenberghe.demo").pk]))
    assert response.status_code == 302
    placement = Placement.objects.get(traject=traject)
    assert (placement.wednesday, placement.friday) == ("company", "training_centre")
    assert placement.workplace_hours_per_week == Decimal("15")
    kinds = set(placement.supervisors.values_list("user__email", "kind"))
    assert kinds == {
        ("mentor@vandenberghe.demo", "mentor"),
        ("mentor2@vandenberghe.demo", "begeleider"),
    }
    traject.refresh_from_db()
    # A placement alone does not start the traject: it runs when its first contract starts
    # (contracts app; tests/contracts/test_lifecycle.py).
    assert traject.status == "intake"
    # The new mentor sees the student on the next request.
    assert (
        permissions.trajects_visible_to(user=user("mentor@vandenberghe.demo"))
        .filter(pk=traject.pk)
        .exists()
    )
    login("mentor@vandenberghe.demo")
    assert client.get(f"/trajects/{traject.public_id}/").status_code == 200


def _offered(response, field: str) -> set[str]:
    """E-mail addresses the form offers for ``field``: its queryset and its rendered boxes."""
    form = response.context["form"]
    emails = set(form.fields[field].queryset.values_list("email", flat=True))
    page = response.content.decode()
    rendered = {
        person.email
        for person in User.objects.all()
        if f'name="{field}" value="{person.pk}"' in page
    }
    assert rendered == emails, (rendered, emails)
    return emails


def test_mentor_candidates_are_the_teams_mentors_not_the_companies_members(
    client, demo_cast, login
):
    company = Organisation.objects.get(name=VANDENBERGHE)
    # A colleague at company X who is in no team, and a begeleider in A1's team.
    colleague = User.objects.create_user("collega@vandenberghe.demo", "x", full_name="Collega")
    membership_ensure(user=colleague, organisation=company)
    team_member_add(
        actor=user("coord@sintjozef.demo"),
        partnership=a1(),
        user=user("directie@vandenberghe.demo"),
        role="begeleider",
        organisation=company,
    )
    traject = new_traject("Nora")
    login("coord@sintjozef.demo")
    response = client.get(f"/trajects/{traject.public_id}/placements/new/")
    assert _offered(response, "mentors") == {
        "mentor@vandenberghe.demo",
        "mentor2@vandenberghe.demo",
    }
    assert _offered(response, "begeleiders") == {
        "mentor@vandenberghe.demo",
        "mentor2@vandenberghe.demo",
        "directie@vandenberghe.demo",
    }
    # Company members outside the team (coordinator, the colleague) are not offered, nor
    # are the mentors of other partnerships' companies.
    response = client.post(
        f"/trajects/{traject.public_id}/placements/new/",
        placement_data(mentors=[colleague.pk]),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["mentors"]
    response = client.post(
        f"/trajects/{traject.public_id}/placements/new/",
        placement_data(begeleiders=[user("coord@vandenberghe.demo").pk]),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["begeleiders"]
    assert not Placement.objects.filter(traject=traject).exists()


def test_mentors_of_a_company_that_left_are_not_offered(client, demo_cast, login):
    traject = new_traject("Nora")
    company_x_entry().delete()  # company X no longer learns students in A1
    login("coord@sintjozef.demo")
    response = client.get(f"/trajects/{traject.public_id}/placements/new/")
    assert _offered(response, "mentors") == set()
    assert _offered(response, "begeleiders") == set()


# --- placement_create: bad input -------------------------------------------------------------


def _assert_refused(client, traject: Traject, data: dict, message: str) -> None:
    before = (Placement.objects.count(), PlacementSupervisor.objects.count())
    teams = TeamMember.objects.count()
    response = client.post(f"/trajects/{traject.public_id}/placements/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Placement.objects.count(), PlacementSupervisor.objects.count()) == before
    assert TeamMember.objects.count() == teams


def test_placement_outside_the_school_year(client, demo_cast, login):
    traject = new_traject("Nora")
    year = a1().school_year
    english(client)
    login("coord@sintjozef.demo")
    _assert_refused(
        client,
        traject,
        placement_data(start_date=f"{year}-08-15"),
        "A placement must fall within the school year",
    )
    _assert_refused(
        client,
        traject,
        placement_data(end_date=f"{year + 1}-09-30"),
        "A placement must fall within the school year",
    )


def test_overlapping_placements_for_one_student(client, demo_cast, login):
    lotte = traject_of("Lotte")  # placed from 1 September to 30 June
    year = a1().school_year
    english(client)
    login("coord@sintjozef.demo")
    _assert_refused(
        client,
        lotte,
        placement_data(start_date=f"{year + 1}-01-01", end_date=f"{year + 1}-02-28"),
        "This period overlaps the placement at Metaalbouw Vandenberghe",
    )


def test_end_before_start(client, demo_cast, login):
    traject = new_traject("Nora")
    year = a1().school_year
    english(client)
    login("coord@sintjozef.demo")
    _assert_refused(
        client,
        traject,
        placement_data(start_date=f"{year}-12-01", end_date=f"{year}-11-01"),
        "The end date comes before the start date.",
    )


def test_mentor_of_another_company(client, demo_cast, login):
    daems = Organisation.objects.get(name="Koeltechniek Daems")
    # Company Z joins A1 too, with its mentor in A1's team, so that mentor is offered; at
    # company X's vestiging they are not a colleague.
    partnership_company_add(
        actor=user("coord@sintjozef.demo"),
        partnership=a1(),
        company=daems,
        vestiging=Vestiging.objects.get(organisation=daems),
    )
    team_member_add(
        actor=user("coord@sintjozef.demo"),
        partnership=a1(),
        user=user("mentor@daems.demo"),
        role="mentor",
        organisation=daems,
    )
    traject = new_traject("Nora")
    english(client)
    login("coord@sintjozef.demo")
    _assert_refused(
        client,
        traject,
        placement_data(mentors=[user("mentor@daems.demo").pk]),
        "Jan Smets does not work at Metaalbouw Vandenberghe.",
    )


def test_a_person_outside_the_partnerships_companies_is_not_a_choice(client, demo_cast, login):
    traject = new_traject("Nora")
    login("coord@sintjozef.demo")
    response = client.post(
        f"/trajects/{traject.public_id}/placements/new/",
        placement_data(mentors=[user("mentor@daems.demo").pk]),
    )
    assert response.status_code == 400
    assert not Placement.objects.filter(traject=traject).exists()


def test_fourth_student_for_a_mentor_is_refused(client, demo_cast, login):
    # mentors Lotte, and Noor from three weeks on: two students in the school year
    mentor = user("mentor@vandenberghe.demo")
    partnership = a1()
    first, last = partnership.school_year_bounds
    for name in ("Nora",):
        placement_create(
            actor=user("coord@sintjozef.demo"),
            traject=new_traject(name),
            company=company_x_entry().company,
            vestiging=company_x_entry().vestiging,
            start_date=first,
            end_date=last,
            weekly_pattern={},
            workplace_hours_per_week=Decimal("20"),
            mentors=[mentor],
        )
    fourth = new_traject("Lina")
    english(client)
    login("coord@sintjozef.demo")
    _assert_refused(
        client,
        fourth,
        placement_data(),
        "Patrick Hermans already guides 3 students in this period; "
        "a mentor guides at most 3 at the same time.",
    )
    # Another mentor with room is fine.
    response = client.post(
        f"/trajects/{fourth.public_id}/placements/new/",
        placement_data(mentors=[user("mentor2@vandenberghe.demo").pk]),
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "overrides",
    [
        {"mentors": []},
        {"workplace_hours_per_week": "61"},
        {"workplace_hours_per_week": "-1"},
        {"workplace_hours_per_week": "abc"},
        {"monday": "beach"},
        {"start_date": "31/02/2027"},
        {"company_vestiging": "999999"},
    ],
)
def test_invalid_form_is_400_and_saves_nothing(client, demo_cast, login, overrides):
    traject = new_traject("Nora")
    login("coord@sintjozef.demo")
    response = client.post(
        f"/trajects/{traject.public_id}/placements/new/", placement_data(**overrides)
    )
    assert response.status_code == 400
    assert not Placement.objects.filter(traject=traject).exists()


# --- placement_create: access ----------------------------------------------------------------


def test_placement_create_access(client, demo_cast, login):
    traject = traject_of("Mohamed")
    url = f"/trajects/{traject.public_id}/placements/new/"
    year = a1().school_year
    data = placement_data(start_date=f"{year + 1}-07-01", end_date=f"{year + 1}-07-31")
    assert "/accounts/login/" in client.post(url, data)["Location"]
    login("lk@sintjozef.demo")  # sees Mohamed, may not manage placements
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    login("mentor@daems.demo")
    assert client.post(url, data).status_code == 404
    login("coord@sintjozef.demo")
    assert client.put(url).status_code == 405
    assert traject.placements.count() == 1


# --- placement_delete ------------------------------------------------------------------------


def test_placement_delete_revokes_the_mentors_view(client, demo_cast, login):
    lotte = traject_of("Lotte")
    placement = lotte.placements.get()
    login("coord@sintjozef.demo")
    response = client.post(
        f"/trajects/{lotte.public_id}/placements/{placement.public_id}/delete/", {"confirm": "yes"}
    )
    assert response.status_code == 302
    assert not Placement.objects.filter(pk=placement.pk).exists()
    login("mentor@vandenberghe.demo")
    assert client.get(f"/trajects/{lotte.public_id}/").status_code == 404


def test_placement_delete_access(client, demo_cast, login):
    lotte = traject_of("Lotte")
    placement = lotte.placements.get()
    url = f"/trajects/{lotte.public_id}/placements/{placement.public_id}/delete/"
    assert "/accounts/login/" in client.post(url)["Location"]
    login("lk@sintjozef.demo")
    assert client.post(url).status_code == 403
    login("mentor@daems.demo")
    assert client.post(url).status_code == 404
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 200  # the confirmation page
    # A placement of another traject, under Lotte's traject: 404.
    mohamed_placement = traject_of("Mohamed").placements.get()
    other = f"/trajects/{lotte.public_id}/placements/{mohamed_placement.public_id}/delete/"
    assert client.post(other).status_code == 404
    assert Placement.objects.filter(pk__in=[placement.pk, mohamed_placement.pk]).count() == 2


# --- the traject page: removal dialogs and a fixed number of queries ---------------------------


def _placement(traject: Traject, season: str) -> Placement:
    """An autumn or a spring placement at company X: mentor@ guides both, mentor2@ only
    the spring."""
    year = a1().school_year
    entry = company_x_entry()
    start, end = {
        "autumn": (date(year, 10, 1), date(year, 12, 31)),
        "spring": (date(year + 1, 1, 1), date(year + 1, 6, 30)),
    }[season]
    mentors = [user("mentor@vandenberghe.demo")]
    if season == "spring":
        mentors.append(user("mentor2@vandenberghe.demo"))
    return placement_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=entry.company,
        vestiging=entry.vestiging,
        start_date=start,
        end_date=end,
        weekly_pattern={"wednesday": "company"},
        workplace_hours_per_week=Decimal("15"),
        mentors=mentors,
    )


def _two_placements(traject: Traject) -> tuple[Placement, Placement]:
    return _placement(traject, "autumn"), _placement(traject, "spring")


def test_the_traject_pages_dialogs_say_what_the_confirmation_pages_say(client, demo_cast, login):
    """The traject page builds each removal dialog from the supervisors it has loaded; the
    confirmation page asks the database. Both say the same: a mentor who keeps another
    placement of the traject does not lose it."""
    from partnerships.selectors.removals import placement_delete_consequences

    traject = new_traject("Nora")
    autumn, spring = _two_placements(traject)
    english(client)
    login("coord@sintjozef.demo")
    response = client.get(f"/trajects/{traject.public_id}/")
    shown = {p.pk: p.delete_consequences for p in response.context["placements"]}
    assert set(shown) == {autumn.pk, spring.pk}
    for placement in (autumn, spring):
        assert shown[placement.pk] == placement_delete_consequences(
            placement=Placement.objects.get(pk=placement.pk)
        )
    losing = " ".join(shown[spring.pk])
    assert "no longer sees the traject of Nora" in losing
    assert user("mentor2@vandenberghe.demo").full_name in losing
    assert user("mentor@vandenberghe.demo").full_name not in losing
    assert not any("no longer sees" in sentence for sentence in shown[autumn.pk])


def test_the_traject_page_asks_a_fixed_number_of_queries(client, demo_cast, login):
    """Whatever the number of placements and their supervisors: 17 for a coördinator who
    manages placements and accounts (the session, the user and the menu included: the tests
    have no shared cache). It was 17 + 4 per placement + 1 before decision 0022's follow-up 2
    (each removal dialog asked the database; the partnership's grants were a query of their
    own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    traject = new_traject("Nora")
    _placement(traject, "autumn")
    url = f"/trajects/{traject.public_id}/"
    login("coord@sintjozef.demo")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _placement(traject, "spring")
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()
    assert page.count('data-testid="placement"') == 2
    assert 'data-testid="delete-placement"' in page
    assert len(one.captured_queries) == len(two.captured_queries), "\n".join(
        q["sql"][:120] for q in two.captured_queries
    )
    assert len(two.captured_queries) == 17, "\n".join(q["sql"][:120] for q in two.captured_queries)
