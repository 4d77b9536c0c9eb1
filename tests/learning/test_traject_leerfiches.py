"""The leerfiches of a student's own traject: the student, the parents and the team read
those of the version their plan adopted, nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learning.models import Opleiding, Opleidingsplan
from organisations.models import Organisation
from partnerships.models import Traject
from tests.learning.factories import make_set_version

SECTOR = "Sectoraal Partnerschap Technologische Industrie"


@pytest.fixture
def plans(demo_cast):
    """A1 adopts one version; Jonas (B1) a different one through his own plan."""
    sector = Organisation.objects.get(name=SECTOR)
    lassen = Opleiding.objects.get(code="lassen-constructie")
    Opleidingsplan.objects.all().delete()
    a1_version = make_set_version(owner=sector, opleiding=lassen, name="A1-set", themes=2)
    other = make_set_version(owner=sector, opleiding=lassen, name="Andere set", themes=1)
    lotte = Traject.objects.get(student__first_name="Lotte")
    jonas = Traject.objects.get(student__first_name="Jonas")
    Opleidingsplan.objects.create(partnership=lotte.partnership, set_version=a1_version)
    Opleidingsplan.objects.create(partnership=jonas.partnership, traject=jonas, set_version=other)
    return lotte, jonas, a1_version, other


@pytest.mark.parametrize(
    "email", ["leerling1@sintjozef.demo", "ouder1@sintjozef.demo", "mentor@vandenberghe.demo"]
)
def test_the_student_parents_and_team_read_the_adopted_leerfiches(client, login, plans, email):
    lotte, _jonas, version, _other = plans
    login(email)
    response = client.get(reverse("learning:traject_leerfiches", args=[lotte.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="leerfiche-card"') == version.leerfiches.count()
    assert html.count('data-testid="theme"') == 2
    fiche = version.leerfiches.order_by("pk").first()
    response = client.get(
        reverse("learning:traject_leerfiche", args=[lotte.public_id, fiche.public_id])
    )
    assert response.status_code == 200
    assert fiche.title in response.content.decode()
    assert 'data-testid="criterion"' in response.content.decode()


def test_another_trajects_leerfiches_are_404(client, login, plans):
    lotte, jonas, _version, other = plans
    login("leerling1@sintjozef.demo")
    assert (
        client.get(reverse("learning:traject_leerfiches", args=[jonas.public_id])).status_code
        == 404
    )
    fiche = other.leerfiches.first()
    url = reverse("learning:traject_leerfiche", args=[jonas.public_id, fiche.public_id])
    assert client.get(url).status_code == 404
    # A leerfiche of another version, through the own traject: 404 too.
    url = reverse("learning:traject_leerfiche", args=[lotte.public_id, fiche.public_id])
    assert client.get(url).status_code == 404


def test_the_trajects_own_plan_wins(client, login, plans):
    _lotte, jonas, _version, other = plans
    login("leerling1@dering.demo")
    html = client.get(
        reverse("learning:traject_leerfiches", args=[jonas.public_id])
    ).content.decode()
    assert html.count('data-testid="leerfiche-card"') == other.leerfiches.count()


def test_no_adopted_version_says_so(client, login, demo_cast):
    Opleidingsplan.objects.all().delete()
    lotte = Traject.objects.get(student__first_name="Lotte")
    login("leerling1@sintjozef.demo")
    response = client.get(reverse("learning:traject_leerfiches", args=[lotte.public_id]))
    assert response.status_code == 200
    assert b'data-testid="no-version"' in response.content


def test_the_traject_page_links_to_its_leerfiches(client, login, demo_cast):
    lotte = Traject.objects.get(student__first_name="Lotte")
    login("ouder1@sintjozef.demo")
    response = client.get(reverse("partnerships:traject_detail", args=[lotte.public_id]))
    assert (
        reverse("learning:traject_leerfiches", args=[lotte.public_id]) in response.content.decode()
    )


def test_the_trajects_pages_take_constant_queries(client, login, demo_cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sector = Organisation.objects.get(name=SECTOR)
    lassen = Opleiding.objects.get(code="lassen-constructie")
    lotte = Traject.objects.get(student__first_name="Lotte")
    login("leerling1@sintjozef.demo")
    counts = []
    for name, themes, fiches, criteria in (("Klein", 2, 5, 10), ("Groot", 4, 20, 80)):
        version = make_set_version(
            owner=sector,
            opleiding=lassen,
            name=name,
            themes=themes,
            fiches_per_theme=fiches,
            criteria_per_fiche=criteria,
        )
        Opleidingsplan.objects.update_or_create(
            partnership=lotte.partnership, traject=None, defaults={"set_version": version}
        )
        fiche = version.leerfiches.first()
        urls = [
            reverse("learning:traject_leerfiches", args=[lotte.public_id]),
            reverse("learning:traject_leerfiche", args=[lotte.public_id, fiche.public_id]),
        ]
        sizes = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            sizes.append(len(captured))
        counts.append(sizes)
    assert counts[0] == counts[1]
