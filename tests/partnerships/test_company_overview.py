"""A company's students across schools, with each mentor's current load.

Works / other tenant 404 / anonymous -> login / wrong method 405. Every member of the company
may open the page (it shows what each member may see), so there is no 403 case.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organisations.models import Organisation
from partnerships.models import Partnership, PartnershipCompany, SchoolClass, Student
from partnerships.services.trajects import placement_create, traject_create
from tests.partnerships.test_traject_views import bulk_trajects

pytestmark = pytest.mark.django_db

VANDENBERGHE = "Metaalbouw Vandenberghe"


def company(name: str = VANDENBERGHE) -> Organisation:
    return Organisation.objects.get(name=name)


def url(organisation: Organisation | None = None) -> str:
    return f"/organisations/{(organisation or company()).public_id}/students/"


def _students(response) -> set[str]:
    return {p.traject.student.first_name for p in response.context["page"].object_list}


def _loads(response) -> dict[str, int]:
    return {m.email: m.load for m in response.context["mentors"]}


def test_coordinator_sees_the_students_of_both_schools(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    response = client.get(url())
    assert response.status_code == 200
    assert _students(response) == {"Lotte", "Mohamed", "Jonas", "Noor"}  # Noor: contracts demo
    page = response.content.decode()
    assert "Technisch Instituut Sint-Jozef" in page and "GO! Technisch Atheneum De Ring" in page
    assert "Emma" not in page
    assert "Metaalbouw Vandenberghe – Genk" in page and "Lassen-Constructie duaal" in page


def test_a_mentor_sees_only_their_own_student(client, demo_cast, login):
    login("mentor@vandenberghe.demo")
    assert _students(client.get(url())) == {"Lotte", "Noor"}  # Noor: contracts demo


def test_search(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    assert _students(client.get(url(), {"q": "maes"})) == {"Jonas"}
    assert _students(client.get(url(), {"q": "x" * 500})) == set()
    assert _students(client.get(url(), {"q": "maes\x00"})) == {"Jonas"}


def test_mentor_load_against_the_limit(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    response = client.get(url())
    assert response.context["mentor_limit"] == 3
    assert _loads(response) == {"mentor@vandenberghe.demo": 1, "mentor2@vandenberghe.demo": 2}
    assert 'data-full="true"' not in response.content.decode()

    # A third student for mentor2 (Tom Lambrechts) fills them up.
    a1 = Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )
    student = Student.objects.create(
        school=a1.school,
        first_name="Nora",
        last_name="Test",
        birth_date=date(2009, 9, 9),
        school_class=SchoolClass.objects.filter(school=a1.school).first(),
    )
    coord = User.objects.get(email="coord@sintjozef.demo")
    entry = PartnershipCompany.objects.get(partnership=a1)
    first, last = a1.school_year_bounds
    placement_create(
        actor=coord,
        traject=traject_create(actor=coord, partnership=a1, student=student),
        company=entry.company,
        vestiging=entry.vestiging,
        start_date=first,
        end_date=last,
        weekly_pattern={},
        workplace_hours_per_week=Decimal("20"),
        mentors=[User.objects.get(email="mentor2@vandenberghe.demo")],
    )
    response = client.get(url())
    assert _loads(response)["mentor2@vandenberghe.demo"] == 3
    page = response.content.decode()
    assert page.count('data-full="true"') == 1
    assert 'data-load="3" class="row--full" data-full="true"' in page


def test_query_count_is_the_same_for_10_and_200_trajects(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    bulk_trajects(10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url()).status_code == 200
    bulk_trajects(190, offset=10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url())
    assert response.context["page"].paginator.count == 204  # the demo's 4 at X and 200
    assert _loads(response)["mentor2@vandenberghe.demo"] == 202  # bulk data ignores the limit
    assert len(large.captured_queries) == len(small.captured_queries), (
        len(small.captured_queries),
        len(large.captured_queries),
    )


def test_other_tenant_404_anonymous_and_method(client, demo_cast, login):
    assert "/accounts/login/" in client.get(url())["Location"]
    for outsider in ("coord@daems.demo", "tb@sintjozef.demo", "oc@octl.demo"):
        login(outsider)
        assert client.get(url()).status_code == 404, outsider
    # A school's own members: the page exists for companies only.
    login("coord@sintjozef.demo")
    assert client.get(url(company("Technisch Instituut Sint-Jozef"))).status_code == 404
    login("coord@vandenberghe.demo")
    assert client.post(url()).status_code == 405
