"""A company-side team manager manages only the people of their own company."""

import pytest

from accounts.models import User
from partnerships.models import Partnership, TeamMember, Traject

pytestmark = pytest.mark.django_db


def _a1():
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def test_company_coordinator_cannot_remove_a_teacher(client, demo_cast, login):
    teacher = TeamMember.objects.get(partnership=_a1(), user__email="lk@sintjozef.demo")
    login("coord@vandenberghe.demo")  # holds manage_team in A1 (R of "Informeren mentoren")
    response = client.post(
        f"/partnerships/{_a1().public_id}/team/{teacher.pk}/remove/", {"confirm": "yes"}
    )
    assert response.status_code == 403
    assert TeamMember.objects.filter(pk=teacher.pk).exists()


def _takeover(mentor: TeamMember) -> dict:
    """The confirmation of removing mentor2, Mohamed's only mentor: mentor@ takes over."""
    placement = Traject.objects.get(student__first_name="Mohamed").placements.get()
    field = f"remove-member-{mentor.pk}-replacement_{placement.public_id.hex}"
    return {"confirm": "yes", field: User.objects.get(email="mentor@vandenberghe.demo").pk}


def test_company_coordinator_removes_a_mentor_of_the_company(client, demo_cast, login):
    mentor = TeamMember.objects.get(partnership=_a1(), user__email="mentor2@vandenberghe.demo")
    login("coord@vandenberghe.demo")
    response = client.post(
        f"/partnerships/{_a1().public_id}/team/{mentor.pk}/remove/", _takeover(mentor)
    )
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=mentor.pk).exists()


def test_school_coordinator_manages_the_whole_team(client, demo_cast, login):
    mentor = TeamMember.objects.get(partnership=_a1(), user__email="mentor2@vandenberghe.demo")
    login("coord@sintjozef.demo")
    response = client.post(
        f"/partnerships/{_a1().public_id}/team/{mentor.pk}/remove/", _takeover(mentor)
    )
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=mentor.pk).exists()


def test_company_coordinator_cannot_invite_for_the_school(client, demo_cast, login):
    from partnerships.models import Invitation

    login("coord@vandenberghe.demo")
    school = _a1().school
    response = client.post(
        f"/partnerships/{_a1().public_id}/invitations/new/",
        {
            "invite-email": "x@sintjozef.demo",
            "invite-full_name": "X",
            "invite-role": "leerkracht",
            "invite-organisation": school.pk,
        },
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@sintjozef.demo").exists()
