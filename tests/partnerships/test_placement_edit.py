"""Changing a placement: the form starts from the placement, the service's rules apply, the
mentors' rights follow. Works / other tenant 404 / wrong role 403 / anonymous -> login / 405."""

from __future__ import annotations

import pytest

from accounts.models import User
from partnerships import permissions
from partnerships.models import Placement, Traject

pytestmark = pytest.mark.django_db


def user(email: str) -> User:
    return User.objects.get(email=email)


def lotte() -> Traject:
    return Traject.objects.select_related("partnership").get(student__first_name="Lotte")


def edit_url(traject: Traject, placement: Placement) -> str:
    return f"/trajects/{traject.public_id}/placements/{placement.public_id}/edit/"


def form_data(traject: Traject, placement: Placement, **overrides) -> dict[str, object]:
    entry = traject.partnership.companies.get(
        company=placement.company, vestiging=placement.vestiging
    )
    data = {
        "company_vestiging": entry.pk,
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
        "monday": placement.monday,
        "tuesday": placement.tuesday,
        "wednesday": placement.wednesday,
        "thursday": placement.thursday,
        "friday": placement.friday,
        "workplace_hours_per_week": str(placement.workplace_hours_per_week),
        "mentors": [user("mentor@vandenberghe.demo").pk],
        "begeleiders": [],
    }
    data.update(overrides)
    return data


def test_the_form_starts_from_the_placement(client, demo_cast, login):
    traject = lotte()
    placement = traject.placements.get()
    login("coord@sintjozef.demo")
    response = client.get(edit_url(traject, placement))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["start_date"].value() == placement.start_date
    assert form["friday"].value() == placement.friday
    assert form["mentors"].value() == [user("mentor@vandenberghe.demo").pk]
    assert form["company_vestiging"].value() is not None
    page = response.content.decode()
    assert "De plaatsing bewaren" in page


def test_changing_the_mentor_moves_the_view_of_the_student(client, demo_cast, login):
    traject = lotte()
    placement = traject.placements.get()
    login("coord@sintjozef.demo")
    response = client.post(
        edit_url(traject, placement),
        form_data(traject, placement, mentors=[user("mentor2@vandenberghe.demo").pk]),
    )
    assert response.status_code == 302
    assert set(placement.supervisors.values_list("user__email", "kind")) == {
        ("mentor2@vandenberghe.demo", "mentor")
    }
    new, old = user("mentor2@vandenberghe.demo"), user("mentor@vandenberghe.demo")
    assert permissions.trajects_visible_to(user=new).filter(pk=traject.pk).exists()
    assert not permissions.trajects_visible_to(user=old).filter(pk=traject.pk).exists()


def test_a_placement_does_not_overlap_itself_but_may_not_leave_the_school_year(
    client, demo_cast, login
):
    traject = lotte()
    placement = traject.placements.get()
    year = traject.partnership.school_year
    login("coord@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    shorter = form_data(traject, placement, start_date=f"{year}-10-01")
    assert client.post(edit_url(traject, placement), shorter).status_code == 302
    placement.refresh_from_db()
    assert placement.start_date.isoformat() == f"{year}-10-01"
    outside = form_data(traject, placement, end_date=f"{year + 1}-09-30")
    response = client.post(edit_url(traject, placement), outside)
    assert response.status_code == 400
    assert "A placement must fall within the school year" in response.content.decode()
    placement.refresh_from_db()
    assert placement.end_date.year == year + 1 and placement.end_date.month != 9


def test_placement_edit_access(client, demo_cast, login):
    traject = lotte()
    placement = traject.placements.get()
    url = edit_url(traject, placement)
    data = form_data(traject, placement, friday="free")
    assert "/accounts/login/" in client.post(url, data)["Location"]
    login("lk@sintjozef.demo")  # sees Lotte, may not manage placements
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    client.logout()
    login("tb@dering.demo")  # another school
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.logout()
    login("coord@sintjozef.demo")
    assert client.put(url).status_code == 405
    # A placement of another traject under Lotte's traject: 404.
    other = Traject.objects.get(student__first_name="Mohamed").placements.get()
    assert client.get(edit_url(traject, other)).status_code == 404
    placement.refresh_from_db()
    assert placement.friday != "free"
