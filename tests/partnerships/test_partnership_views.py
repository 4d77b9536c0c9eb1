"""Partnership list, create and detail; team and companies: works / 404 / 403 / login / 405."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from learning.models import Opleiding
from organisations.models import Organisation, Vestiging
from partnerships import permissions
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    PartnershipUserObjectPermission,
    PlacementSupervisor,
    TeamMember,
    Traject,
    TrajectUserObjectPermission,
)
from partnerships.services import partnerships as services

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
DE_RING = "GO! Technisch Atheneum De Ring"
VANDENBERGHE = "Metaalbouw Vandenberghe"
DAEMS = "Koeltechniek Daems"
LASSEN = "Lassen-Constructie duaal"
ELEKTRO = "Elektromechanische technieken duaal"


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(name=LASSEN, school__name=SINT_JOZEF)


def a2() -> Partnership:
    return Partnership.objects.get(name=ELEKTRO)


def b1() -> Partnership:
    return Partnership.objects.get(name=LASSEN, school__name=DE_RING)


def url(partnership: Partnership, suffix: str = "") -> str:
    return f"/partnerships/{partnership.public_id}/{suffix}"


def member(partnership: Partnership, email: str, role: str) -> TeamMember:
    return TeamMember.objects.get(partnership=partnership, user__email=email, role=role)


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- partnership_list ----------------------------------------------------------------------


def test_list_shows_the_visible_partnerships_with_visible_traject_counts(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.get("/partnerships/")
    assert response.status_code == 200
    rows = response.context["page_obj"].object_list
    assert {p.pk for p in rows} == {a1().pk, a2().pk}
    counts = {p.pk: p.traject_count for p in rows}
    assert counts == {a1().pk: 3, a2().pk: 1}  # A1: Lotte, Mohamed and Noor
    page = response.content.decode()
    assert VANDENBERGHE in page and DAEMS in page
    assert "Lassen-Constructie" in page


def test_list_counts_only_the_trajects_the_user_sees(client, demo_cast, login):
    login("mentor@vandenberghe.demo")
    rows = client.get("/partnerships/").context["page_obj"].object_list
    # Lotte and Noor (contracts demo), not Mohamed
    assert [(p.pk, p.traject_count) for p in rows] == [(a1().pk, 2)]


def test_company_coordinator_lists_partnerships_of_two_schools(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    rows = client.get("/partnerships/").context["page_obj"].object_list
    assert {p.pk for p in rows} == {a1().pk, b1().pk}


def test_outsider_lists_nothing(client, demo_cast, login):
    login("consulent@sector.demo")
    response = client.get("/partnerships/")
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []
    assert LASSEN not in response.content.decode()


def test_list_search_and_year_filter(client, demo_cast, login):
    login("tb@sintjozef.demo")
    rows = client.get("/partnerships/", {"q": "elektro"}).context["page_obj"].object_list
    assert [p.pk for p in rows] == [a2().pk]
    year = a1().school_year
    assert len(client.get("/partnerships/", {"year": year}).context["page_obj"].object_list) == 2
    assert not client.get("/partnerships/", {"year": year + 1}).context["page_obj"].object_list
    # A malformed filter is ignored, never a 500.
    assert client.get("/partnerships/", {"year": "x'; --", "page": "zz"}).status_code == 200


def _more_partnerships(n: int, *, start: int = 0) -> None:
    coordinator = user("coord@sintjozef.demo")
    vestiging = Vestiging.objects.get(organisation__name=VANDENBERGHE)
    for i in range(start, start + n):
        services.partnership_create(
            actor=coordinator,
            school=org(SINT_JOZEF),
            name=f"Extra partnership {i:03d}",
            opleiding=Opleiding.objects.filter(active=True).first(),
            school_year=2025,
            companies=[(vestiging.organisation, vestiging)],
        )


def test_list_paginates_by_20(client, demo_cast, login):
    _more_partnerships(25)
    login("coord@sintjozef.demo")
    first = client.get("/partnerships/")
    assert len(first.context["page_obj"].object_list) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get("/partnerships/", {"page": 2})
    assert len(second.context["page_obj"].object_list) == 2 + 25 - 20


def test_list_query_count_is_constant(client, demo_cast, login, django_assert_num_queries):
    login("coord@sintjozef.demo")
    client.get("/partnerships/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get("/partnerships/")
    # 10 for the page, at most 3 for the main menu (duaal.homes: the entries this person can use).
    assert len(small.captured_queries) <= 13
    _more_partnerships(15)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/partnerships/")
    assert len(response.context["page_obj"].object_list) == 17


def test_new_partnership_button_only_for_school_admins(client, demo_cast, login):
    login("coord@sintjozef.demo")
    assert 'data-testid="partnership-create"' in client.get("/partnerships/").content.decode()
    for email in ("tb@sintjozef.demo", "coord@vandenberghe.demo"):  # not admin / not a school
        login(email)
        assert (
            'data-testid="partnership-create"' not in client.get("/partnerships/").content.decode()
        )


def test_list_anonymous_and_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.get("/partnerships/"))
    login("tb@sintjozef.demo")
    assert client.post("/partnerships/").status_code == 405


# --- partnership_create --------------------------------------------------------------------


def _create_data(**overrides) -> dict:
    data = {
        "name": "Onderhoudstechnicus duaal",
        "school": org(SINT_JOZEF).pk,
        "opleiding": Opleiding.objects.filter(active=True).first().pk,
        "school_year": 2026,
        "vestigingen": [
            Vestiging.objects.get(organisation__name=VANDENBERGHE).pk,
            Vestiging.objects.get(organisation__name=DAEMS).pk,
        ],
        "training_centre": org("Opleidingscentrum Techniek Limburg").pk,
    }
    data.update(overrides)
    return data


def test_school_admin_creates_a_partnership(client, demo_cast, login):
    login("coord@sintjozef.demo")
    form = client.get("/partnerships/new/")
    assert form.status_code == 200
    assert form.context["form"].initial["school_year"] >= 2025
    response = client.post("/partnerships/new/", _create_data())
    created = Partnership.objects.get(name="Onderhoudstechnicus duaal")
    assert response.status_code == 302
    assert response["Location"] == url(created)
    assert created.school == org(SINT_JOZEF)
    assert created.training_centre.name == "Opleidingscentrum Techniek Limburg"
    assert {pc.company.name for pc in created.companies.all()} == {VANDENBERGHE, DAEMS}
    assert TeamMember.objects.filter(
        partnership=created, user__email="coord@sintjozef.demo", role="coordinator_school"
    ).exists()
    assert created.raci_cells.count() > 0
    assert client.get(url(created)).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"vestigingen": []},  # no company
        {"name": ""},
        {"school_year": 1999},
        {"school": "not-a-number"},
        {"training_centre": "999999"},
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(client, demo_cast, login, overrides):
    login("coord@sintjozef.demo")
    before = Partnership.objects.count()
    response = client.post("/partnerships/new/", _create_data(**overrides))
    assert response.status_code == 400
    assert Partnership.objects.count() == before


def test_create_refuses_a_school_the_user_does_not_administer(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.post("/partnerships/new/", _create_data(school=org(DE_RING).pk))
    assert response.status_code == 400
    assert not Partnership.objects.filter(name="Onderhoudstechnicus duaal").exists()


def test_create_duplicate_name_shows_the_service_message(client, demo_cast, login):
    client.cookies["duaal_language"] = "en"
    login("coord@sintjozef.demo")
    response = client.post(
        "/partnerships/new/", _create_data(name=LASSEN, school_year=a1().school_year)
    )
    assert response.status_code == 400
    assert "already has a partnership with this name" in response.content.decode()
    assert Partnership.objects.filter(name=LASSEN).count() == 2


@pytest.mark.parametrize("email", ["tb@sintjozef.demo", "coord@vandenberghe.demo", "oc@octl.demo"])
def test_create_is_403_for_non_school_admins(client, demo_cast, login, email):
    login(email)
    before = Partnership.objects.count()
    assert client.get("/partnerships/new/").status_code == 403
    assert client.post("/partnerships/new/", _create_data()).status_code == 403
    assert Partnership.objects.count() == before


def test_create_anonymous_and_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.get("/partnerships/new/"))
    assert_login_redirect(client.post("/partnerships/new/", _create_data()))
    login("coord@sintjozef.demo")
    assert client.put("/partnerships/new/").status_code == 405


# --- partnership_detail --------------------------------------------------------------------


def test_detail_shows_facts_team_and_visible_trajects(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.get(url(a1()))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="team-mentor"' in page
    assert "Patrick Hermans" in page and "mentor@vandenberghe.demo" in page
    assert "Opleidingscentrum Techniek Limburg" in page
    trajects = {t.student.first_name for t in response.context["trajects"]}
    assert trajects == {"Lotte", "Mohamed", "Noor"}
    assert 'data-testid="raci-link"' in page
    assert 'data-testid="invitation-form"' not in page  # tb may not manage the team


def test_mentor_sees_only_their_student_on_the_detail(client, demo_cast, login):
    login("mentor@vandenberghe.demo")
    response = client.get(url(a1()))
    assert response.status_code == 200
    names = sorted(t.student.first_name for t in response.context["trajects"])
    assert names == ["Lotte", "Noor"]  # Noor: contracts demo
    assert "Mohamed El Amrani" not in response.content.decode()


def test_detail_shows_team_forms_to_team_managers(client, demo_cast, login):
    login("coord@sintjozef.demo")
    page = client.get(url(a1())).content.decode()
    assert 'data-testid="invitation-form"' in page
    assert 'data-testid="team-member-form"' in page
    assert (
        'data-testid="company-add-form"' in page
    )  # R of "Opmaken contracten": sets up the partnership


@pytest.mark.parametrize("email", ["coord@daems.demo", "consulent@sector.demo", "tb@dering.demo"])
def test_detail_is_404_for_other_tenants(client, demo_cast, login, email):
    login(email)
    assert client.get(url(a1())).status_code == 404


def test_detail_unknown_id_anonymous_and_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.get(url(a1())))
    login("tb@sintjozef.demo")
    assert client.get("/partnerships/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.post(url(a1())).status_code == 405


def test_superuser_flag_does_not_open_a_partnership(client, demo_cast, login):
    outsider = user("coord@daems.demo")
    outsider.is_superuser = outsider.is_staff = True
    outsider.save()
    login("coord@daems.demo")
    assert client.get(url(a1())).status_code == 404
    assert a1().pk not in {p.pk for p in client.get("/partnerships/").context["page_obj"]}


# --- team_member_add -----------------------------------------------------------------------


def _member_data(email: str, role: str, organisation: str) -> dict:
    return {
        "member-user": user(email).pk,
        "member-role": role,
        "member-organisation": org(organisation).pk,
    }


def test_team_manager_adds_a_member_who_gains_access_at_once(client, demo_cast, login):
    lk = user("lk@sintjozef.demo")
    assert not permissions.partnerships_visible_to(user=lk).filter(pk=a2().pk).exists()
    login("coord@sintjozef.demo")
    response = client.post(
        url(a2(), "team/add/"), _member_data("lk@sintjozef.demo", "leerkracht", SINT_JOZEF)
    )
    assert response.status_code == 302
    assert member(a2(), "lk@sintjozef.demo", "leerkracht")
    assert permissions.partnerships_visible_to(user=lk).filter(pk=a2().pk).exists()
    assert permissions.trajects_visible_to(user=lk).filter(partnership=a2()).count() == 1


def test_a_person_may_hold_several_roles(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.post(
        url(a1(), "team/add/"), _member_data("lk@sintjozef.demo", "trajectbegeleider", SINT_JOZEF)
    )
    assert response.status_code == 302
    assert TeamMember.objects.filter(partnership=a1(), user__email="lk@sintjozef.demo").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # duplicate member in the same role
        (("lk@sintjozef.demo", "leerkracht", SINT_JOZEF), "is already"),
        # a school person as mentor: the mentor belongs to the company side
        (("lk@sintjozef.demo", "mentor", SINT_JOZEF), "belongs to"),
    ],
)
def test_add_member_bad_input_shows_the_service_message(client, demo_cast, login, data, message):
    client.cookies["duaal_language"] = "en"
    login("coord@sintjozef.demo")
    before = TeamMember.objects.count()
    response = client.post(url(a1(), "team/add/"), _member_data(*data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert TeamMember.objects.count() == before


def test_add_member_of_a_company_outside_the_partnership_is_refused(client, demo_cast, login):
    login("coord@sintjozef.demo")
    before = TeamMember.objects.count()
    # mentor@daems.demo works for a company that is not in A1: not a choice of the form.
    response = client.post(
        url(a1(), "team/add/"), _member_data("mentor@daems.demo", "mentor", DAEMS)
    )
    assert response.status_code == 400
    response = client.post(
        url(a1(), "team/add/"), _member_data("mentor@daems.demo", "mentor", VANDENBERGHE)
    )
    assert response.status_code == 400
    assert TeamMember.objects.count() == before


def test_company_coordinator_adds_a_colleague_of_their_company(client, demo_cast, login):
    login("coord@vandenberghe.demo")  # manage_team through "informeren mentoren"
    response = client.post(
        url(a1(), "team/add/"),
        _member_data("mentor@vandenberghe.demo", "begeleider", VANDENBERGHE),
    )
    assert response.status_code == 302
    assert member(a1(), "mentor@vandenberghe.demo", "begeleider")
    # The school's members are internal to the school: not a choice for the company side.
    response = client.post(
        url(a1(), "team/add/"), _member_data("lk@sintjozef.demo", "trajectbegeleider", SINT_JOZEF)
    )
    assert response.status_code == 400


@pytest.mark.parametrize("email", ["mentor@vandenberghe.demo", "lk@sintjozef.demo"])
def test_add_member_is_403_without_manage_team(client, demo_cast, login, email):
    login(email)
    before = TeamMember.objects.count()
    response = client.post(
        url(a1(), "team/add/"), _member_data("tb@sintjozef.demo", "leerkracht", SINT_JOZEF)
    )
    assert response.status_code == 403
    assert TeamMember.objects.count() == before


def test_add_member_other_tenant_anonymous_wrong_method(client, demo_cast, login):
    data = _member_data("tb@sintjozef.demo", "leerkracht", SINT_JOZEF)
    before = TeamMember.objects.count()
    assert_login_redirect(client.post(url(a1(), "team/add/"), data))
    login("coord@daems.demo")  # manages the team of A2, not of A1
    assert client.post(url(a1(), "team/add/"), data).status_code == 404
    login("coord@sintjozef.demo")
    assert client.get(url(a1(), "team/add/")).status_code == 405
    assert TeamMember.objects.count() == before


# --- team_member_remove --------------------------------------------------------------------


def _no_rows_left_for(u: User, partnership: Partnership) -> bool:
    group_ids = partnership.role_groups.values_list("group_id", flat=True)
    return not (
        Group.user_set.through.objects.filter(user=u, group_id__in=group_ids).exists()
        or PartnershipUserObjectPermission.objects.filter(
            user=u, content_object=partnership
        ).exists()
        or TrajectUserObjectPermission.objects.filter(
            user=u, content_object__partnership=partnership
        ).exists()
    )


def test_removed_school_member_loses_access_at_once(client, demo_cast, login):
    lk = user("lk@sintjozef.demo")
    lotte = Traject.objects.get(student__first_name="Lotte")
    assert permissions.get_traject_for_user(user=lk, public_id=lotte.public_id)
    login("coord@sintjozef.demo")
    target = member(a1(), "lk@sintjozef.demo", "leerkracht")
    response = client.post(url(a1(), f"team/{target.pk}/remove/"), {"confirm": "yes"})
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=target.pk).exists()
    assert not permissions.partnerships_visible_to(user=lk).exists()
    assert not permissions.trajects_visible_to(user=lk).exists()
    with pytest.raises(Exception) as exc:
        permissions.get_traject_for_user(user=lk, public_id=lotte.public_id)
    assert exc.type.__name__ == "Http404"
    assert _no_rows_left_for(lk, a1())
    login("lk@sintjozef.demo")
    assert client.get(url(a1())).status_code == 404


def test_removed_mentor_loses_their_student_and_leaves_no_rows(client, demo_cast, login):
    # Tom Lambrechts (mentor2) guides Mohamed in A1 and Jonas in B1; he leaves A1. Patrick
    # Hermans (Lotte, and Noor from three weeks on) has room to take Mohamed over.
    mentor = user("mentor2@vandenberghe.demo")
    mohamed = Traject.objects.get(student__first_name="Mohamed")
    jonas = Traject.objects.get(student__first_name="Jonas")
    assert set(permissions.trajects_visible_to(user=mentor)) == {mohamed, jonas}
    login("coord@sintjozef.demo")
    target = member(a1(), "mentor2@vandenberghe.demo", "mentor")
    # Mohamed's running placement needs a mentor: a takeover (the replacement rule).
    placement = mohamed.placements.get()
    takeover = f"remove-member-{target.pk}-replacement_{placement.public_id.hex}"
    data = {"confirm": "yes", takeover: user("mentor@vandenberghe.demo").pk}
    assert client.post(url(a1(), f"team/{target.pk}/remove/"), data).status_code == 302
    assert list(permissions.trajects_visible_to(user=mentor)) == [jonas]  # B1 stays
    assert not PlacementSupervisor.objects.filter(
        user=mentor, placement__traject__partnership=a1()
    ).exists()
    assert _no_rows_left_for(mentor, a1())
    assert not TrajectUserObjectPermission.objects.filter(
        user=mentor, content_object__partnership=a1()
    ).exists()


def test_remove_member_of_another_partnership_is_404(client, demo_cast, login):
    login("coord@sintjozef.demo")
    other = member(b1(), "tb@dering.demo", "trajectbegeleider")
    assert client.post(url(a1(), f"team/{other.pk}/remove/")).status_code == 404
    assert client.post(url(a1(), "team/999999/remove/")).status_code == 404
    assert TeamMember.objects.filter(pk=other.pk).exists()


def test_remove_member_403_404_login_405(client, demo_cast, login):
    target = member(a1(), "lk@sintjozef.demo", "leerkracht")
    path = url(a1(), f"team/{target.pk}/remove/")
    assert_login_redirect(client.post(path))
    login("mentor@vandenberghe.demo")
    assert client.post(path).status_code == 403
    login("coord@daems.demo")
    assert client.post(path).status_code == 404
    login("coord@sintjozef.demo")
    # GET is the confirmation page; a POST without confirm=yes removes nothing.
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert TeamMember.objects.filter(pk=target.pk).exists()


# --- company_add ---------------------------------------------------------------------------


def test_company_add_works_and_refuses_duplicates(client, demo_cast, login):
    client.cookies["duaal_language"] = "en"
    login("tb@sintjozef.demo")  # change_partnership through "jaarplanning" (R)
    data = {"company-vestiging": Vestiging.objects.get(organisation__name=DAEMS).pk}
    response = client.post(url(a1(), "companies/add/"), data)
    assert response.status_code == 302
    assert PartnershipCompany.objects.filter(partnership=a1(), company__name=DAEMS).exists()
    again = client.post(url(a1(), "companies/add/"), data)
    assert again.status_code == 400
    assert "already in the partnership" in again.content.decode()
    assert PartnershipCompany.objects.filter(partnership=a1()).count() == 2
    assert client.post(url(a1(), "companies/add/"), {"company-vestiging": "x"}).status_code == 400


def test_company_add_403_404_login_405(client, demo_cast, login):
    data = {"company-vestiging": Vestiging.objects.get(organisation__name=DAEMS).pk}
    path = url(a1(), "companies/add/")
    assert_login_redirect(client.post(path, data))
    login("lk@sintjozef.demo")  # sees the partnership, may not change it
    assert client.post(path, data).status_code == 403
    login("coord@daems.demo")
    assert client.post(path, data).status_code == 404
    login("tb@sintjozef.demo")
    assert client.get(path).status_code == 405
    assert PartnershipCompany.objects.filter(partnership=a1()).count() == 1


def test_list_search_survives_a_nul_character_and_a_huge_query(client, demo_cast, login):
    login("tb@sintjozef.demo")
    assert client.get("/partnerships/?q=a%00b").status_code == 200
    assert client.get("/partnerships/?q=" + "x" * 5000).status_code == 200
