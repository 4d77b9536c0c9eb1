"""Company pickers (issue 13, finding 7): a school picks from the companies it already works with
and those that opted in to be found — never another school's private partners."""

from __future__ import annotations

import pytest

from organisations.models import Organisation, OrganisationKind, Vestiging
from partnerships.models import Partnership, PartnershipCompany
from partnerships.selectors.partnerships import company_vestigingen

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
DE_RING = "GO! Technisch Atheneum De Ring"
VANDENBERGHE = "Metaalbouw Vandenberghe"
DAEMS = "Koeltechniek Daems"


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def a2() -> Partnership:
    return Partnership.objects.get(name="Elektromechanische technieken duaal")


def b1() -> Partnership:
    return Partnership.objects.get(school__name=DE_RING)


@pytest.fixture
def private_partner(demo_cast) -> Organisation:
    """A company that works with Sint-Jozef (in A2) and did not opt in to be found."""
    company = Organisation.objects.create(
        kind=OrganisationKind.COMPANY,
        name="Privé Lasatelier Peeters",
        ondernemingsnummer="0999888777",
    )
    vestiging = Vestiging.objects.create(
        organisation=company, vestigingsnummer="2999888777", name="Privé Lasatelier – Bree"
    )
    PartnershipCompany.objects.create(partnership=a2(), company=company, vestiging=vestiging)
    return company


@pytest.fixture
def unknown_company(demo_cast) -> Organisation:
    """A company nobody works with yet that did not opt in."""
    company = Organisation.objects.create(
        kind=OrganisationKind.COMPANY, name="Stille Metaal", ondernemingsnummer="0999888666"
    )
    Vestiging.objects.create(
        organisation=company, vestigingsnummer="2999888666", name="Stille Metaal – Peer"
    )
    return company


def companies(school: str) -> set[str]:
    return {v.organisation.name for v in company_vestigingen(schools=[org(school)])}


def test_the_demo_company_daems_opted_in_and_vandenberghe_did_not(demo_cast):
    assert org(DAEMS).findable
    assert not org(VANDENBERGHE).findable


def test_a_school_sees_its_partners_and_the_findable_companies_only(
    private_partner, unknown_company
):
    # Sint-Jozef works with Vandenberghe, Daems and its private partner.
    assert companies(SINT_JOZEF) == {VANDENBERGHE, DAEMS, private_partner.name}
    # De Ring works with Vandenberghe; Daems opted in; Sint-Jozef's private partner is not
    # listed, nor is a company nobody works with.
    assert companies(DE_RING) == {VANDENBERGHE, DAEMS}


def test_opting_in_makes_a_company_findable(unknown_company):
    assert unknown_company.name not in companies(DE_RING)
    unknown_company.findable = True
    unknown_company.save(update_fields=["findable"])
    assert unknown_company.name in companies(DE_RING)
    assert unknown_company.name in companies(SINT_JOZEF)


def test_the_company_picker_on_the_partnership_page(client, login, private_partner):
    login("tb@dering.demo")
    page = client.get(f"/partnerships/{b1().public_id}/")
    if page.context.get("company_form") is None:  # tb has no right to change B1
        login("directie@dering.demo")
        page = client.get(f"/partnerships/{b1().public_id}/")
    form = page.context["company_form"]
    listed = {v.organisation.name for v in form.fields["vestiging"].queryset}
    assert listed == {VANDENBERGHE, DAEMS}
    assert private_partner.name not in page.content.decode()
    # Posting the private partner's vestiging anyway is refused as an invalid choice.
    vestiging = private_partner.vestigingen.get()
    response = client.post(
        f"/partnerships/{b1().public_id}/companies/add/", {"company-vestiging": vestiging.pk}
    )
    assert response.status_code == 400
    assert not PartnershipCompany.objects.filter(partnership=b1(), company=private_partner).exists()


def test_the_partnership_create_form_narrows_to_the_chosen_school(client, login, private_partner):
    from accounts.models import User
    from partnerships.forms.partnerships import PartnershipCreateForm

    user = User.objects.get(email="directie@dering.demo")
    form = PartnershipCreateForm(user=user)
    listed = {v.organisation.name for v in form.fields["vestigingen"].queryset}
    assert private_partner.name not in listed
    assert DAEMS in listed


def test_a_company_admin_opts_in_on_the_organisation_page(client, login, demo_cast):
    company = org(VANDENBERGHE)
    login("coord@vandenberghe.demo")
    url = f"/organisations/{company.public_id}/edit/"
    page = client.get(url)
    if page.status_code != 200:
        login("directie@vandenberghe.demo")
        page = client.get(url)
    assert page.status_code == 200
    assert "Vindbaar voor scholen" in page.content.decode()
    data = {
        "name": company.name,
        "ondernemingsnummer": company.ondernemingsnummer,
        "paritair_comite": company.paritair_comite,
        "findable": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    company.refresh_from_db()
    assert company.findable
