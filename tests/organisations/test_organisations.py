"""Home page's organisations, organisation switcher, organisation detail and edit: works / 404 / 403 / login / 405."""

import re

import pytest

from accounts.models import User
from organisations.models import Membership, Organisation
from organisations.services import membership_ensure

pytestmark = pytest.mark.django_db


def org(name):
    return Organisation.objects.get(name=name)


SINT_JOZEF = "Technisch Instituut Sint-Jozef"
VANDENBERGHE = "Metaalbouw Vandenberghe"
DAEMS = "Koeltechniek Daems"


def my_organisations(html: str) -> str:
    """The home's "My organisations" panel (the home shows partnerships and students too)."""
    found = re.search(
        r'<section[^>]*data-testid="home-organisations"[^>]*>(.*?)</section>', html, re.S
    )
    return found.group(1) if found else ""


def test_home_lists_only_the_users_organisations(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    page = my_organisations(client.get("/").content.decode())
    assert VANDENBERGHE in page
    assert "0461.728.314" in page  # KBO shown formatted
    assert "4 leden" in page  # coord, directie and the two mentors
    for other in (SINT_JOZEF, DAEMS, "GO! Technisch Atheneum De Ring"):
        assert other not in page


def test_home_query_count_does_not_grow_with_organisations(
    client, demo_cast, login, django_assert_max_num_queries
):
    user = User.objects.get(email="tb@sintjozef.demo")
    login("tb@sintjozef.demo")
    # One organisation of each kind first: a membership of a new kind may bring a panel of
    # its own (a sector body's recognitions); more organisations of those kinds add nothing.
    others = Organisation.objects.exclude(memberships__user=user).order_by("pk")
    for kind in {organisation.kind for organisation in others}:
        membership_ensure(user=user, organisation=others.filter(kind=kind).first())
    # The whole home (menu, students, organisations) of a trajectbegeleider.
    with django_assert_max_num_queries(22) as one:
        client.get("/")
    for organisation in Organisation.objects.exclude(memberships__user=user):
        membership_ensure(user=user, organisation=organisation)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/").content.decode()
    assert DAEMS in page


def test_switcher_appears_only_with_several_organisations(client, demo_cast, login):
    login("tb@sintjozef.demo")
    assert 'name="organisation"' not in client.get("/").content.decode()
    membership_ensure(user=User.objects.get(email="tb@sintjozef.demo"), organisation=org(DAEMS))
    assert 'name="organisation"' in client.get("/").content.decode()


def test_switch_to_own_organisation(client, demo_cast, login):
    user = User.objects.get(email="tb@sintjozef.demo")
    membership_ensure(user=user, organisation=org(DAEMS))
    login("tb@sintjozef.demo")
    response = client.post(
        "/organisations/switch/", {"organisation": str(org(DAEMS).public_id), "next": "/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert 'class="card card--active"' in client.get("/").content.decode()
    assert client.session["duaal_active_organisation"] == str(org(DAEMS).public_id)


def test_switch_to_foreign_organisation_is_404_and_changes_nothing(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.post("/organisations/switch/", {"organisation": str(org(DAEMS).public_id)})
    assert response.status_code == 404
    assert "duaal_active_organisation" not in client.session
    assert client.post("/organisations/switch/", {"organisation": "not-a-uuid"}).status_code == 404


def test_switch_refuses_an_offsite_next(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.post(
        "/organisations/switch/",
        {"organisation": str(org(SINT_JOZEF).public_id), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_switch_needs_post(client, demo_cast, login):
    login("tb@sintjozef.demo")
    assert client.get("/organisations/switch/").status_code == 405


def test_member_sees_organisation_detail(client, demo_cast, login):
    login("mentor@vandenberghe.demo")
    response = client.get(f"/organisations/{org(VANDENBERGHE).public_id}/")
    assert response.status_code == 200
    assert "Tom Lambrechts" in response.content.decode()


def test_other_tenant_gets_404_on_detail_and_edit(client, demo_cast, login):
    login("coord@daems.demo")  # an admin, but of another organisation
    target = org(VANDENBERGHE).public_id
    assert client.get(f"/organisations/{target}/").status_code == 404
    assert client.get(f"/organisations/{target}/edit/").status_code == 404
    assert client.post(f"/organisations/{target}/edit/", {"name": "Hacked"}).status_code == 404
    assert org(VANDENBERGHE).name == VANDENBERGHE


def test_model_wide_permissions_and_superuser_do_not_open_other_tenants(client, demo_cast, login):
    user = User.objects.get(email="coord@daems.demo")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    login("coord@daems.demo")
    assert client.get(f"/organisations/{org(VANDENBERGHE).public_id}/").status_code == 404
    assert VANDENBERGHE not in client.get("/").content.decode()


def test_non_admin_member_gets_403_on_edit(client, demo_cast, login):
    login("mentor@vandenberghe.demo")
    target = org(VANDENBERGHE).public_id
    assert client.get(f"/organisations/{target}/edit/").status_code == 403
    response = client.post(
        f"/organisations/{target}/edit/", {"name": "Hacked", "ondernemingsnummer": "0461728314"}
    )
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert org(VANDENBERGHE).name == VANDENBERGHE


def test_anonymous_is_sent_to_login(client, demo_cast):
    target = org(VANDENBERGHE).public_id
    for url in (f"/organisations/{target}/", f"/organisations/{target}/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_wrong_method_is_405(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    target = org(VANDENBERGHE).public_id
    assert client.delete(f"/organisations/{target}/edit/").status_code == 405
    assert client.post(f"/organisations/{target}/").status_code == 405


def test_admin_edits_the_organisation(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    target = org(VANDENBERGHE).public_id
    response = client.post(
        f"/organisations/{target}/edit/",
        {
            "name": "Metaalbouw Vandenberghe NV",
            "ondernemingsnummer": "0566.988.259",
            "paritair_comite": "111",
        },
    )
    assert response.status_code == 302
    saved = Organisation.objects.get(public_id=target)
    assert saved.name == "Metaalbouw Vandenberghe NV"
    assert saved.ondernemingsnummer == "0566988259"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0566.988.258", "De controlecijfers van ondernemingsnummer 0566.988.258 kloppen niet"),
        ("12345", "Een ondernemingsnummer telt 10 cijfers; dit telt er 5."),
        ("", "Een bedrijf heeft een ondernemingsnummer (KBO) nodig."),
    ],
)
def test_invalid_kbo_number_is_named_and_nothing_changes(client, demo_cast, login, number, message):
    login("coord@vandenberghe.demo")
    target = org(VANDENBERGHE).public_id
    response = client.post(
        f"/organisations/{target}/edit/",
        {"name": "Anders", "ondernemingsnummer": number, "paritair_comite": "111"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    saved = Organisation.objects.get(public_id=target)
    assert (saved.name, saved.ondernemingsnummer) == (VANDENBERGHE, "0461728314")


def test_school_edit_requires_institution_number(client, demo_cast, login):
    login("coord@sintjozef.demo")
    target = org(SINT_JOZEF).public_id
    response = client.post(
        f"/organisations/{target}/edit/", {"name": SINT_JOZEF, "instellingsnummer": "abc"}
    )
    assert response.status_code == 400
    assert org(SINT_JOZEF).instellingsnummer == "999101"


def test_database_refuses_a_company_without_kbo_number():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Zonder KBO", kind="company")


def test_membership_is_unique_per_user_and_organisation(demo_cast):
    from django.db import IntegrityError, transaction

    membership = Membership.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, organisation=membership.organisation)
