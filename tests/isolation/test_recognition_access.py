"""Who sees and manages recognition requests (issue 12, item 5): the company's own people, the
school that filed with a mandate, the sector body the request was routed to — whose
consultants never see a student. Visible and hidden sets, on the demo cast."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404

from accounts.models import User
from learning.models import Opleiding
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships import permissions
from partnerships.models import Student, Traject
from recognition import services
from recognition.models import Recognition, RecognitionStatus

pytestmark = pytest.mark.django_db


def user(email: str) -> User:
    return User.objects.get(email=email)


def labels(qs) -> set[str]:
    return {
        f"{r.company.name}/{r.opleiding.code}" for r in qs.select_related("company", "opleiding")
    }


VANDENBERGHE = {
    "Metaalbouw Vandenberghe/lassen-constructie",
    "Metaalbouw Vandenberghe/lasser-monteerder",
}
DAEMS = {
    "Koeltechniek Daems/elektromechanische-technieken",
    "Koeltechniek Daems/lassen-constructie",
    "Koeltechniek Daems/onderhoudsmechanica",
}


@pytest.fixture
def elsewhere(demo_cast) -> Recognition:
    """A submitted request of a PC 200 company: routed to the Vlaams Partnerschap."""
    vpdl = Organisation.objects.create(
        kind=OrganisationKind.SECTOR_BODY, name="Vlaams Partnerschap Duaal Leren"
    )
    company = Organisation.objects.create(
        kind=OrganisationKind.COMPANY,
        name="Bakkerij Lenaerts",
        ondernemingsnummer="0566988259",
        paritair_comite="118",
    )
    vestiging = Vestiging.objects.create(
        organisation=company, vestigingsnummer="2147812701", name="Lenaerts"
    )
    admin = User.objects.create_user(email="baas@lenaerts.test", full_name="Baas")
    Membership.objects.create(user=admin, organisation=company, is_admin=True)
    recognition = services.recognition_create(
        actor=admin,
        company=company,
        vestiging=vestiging,
        opleiding=Opleiding.objects.get(code="onderhoudsmechanica"),
        ondernemingsnummer="0566988259",
        vestigingsnummer="2147812701",
        mentors=[admin],
    )
    services.recognition_submit(actor=admin, recognition=recognition)
    recognition.refresh_from_db()
    assert recognition.sector_body == vpdl
    return recognition


def test_each_side_sees_its_own_requests(elsewhere):
    assert (
        labels(permissions.recognitions_visible_to(user=user("consulent@sector.demo")))
        == VANDENBERGHE | DAEMS
    )
    assert (
        labels(permissions.recognitions_visible_to(user=user("coord@vandenberghe.demo")))
        == VANDENBERGHE
    )
    assert (
        labels(permissions.recognitions_visible_to(user=user("mentor@vandenberghe.demo")))
        == VANDENBERGHE
    )
    assert labels(permissions.recognitions_visible_to(user=user("coord@daems.demo"))) == DAEMS
    assert labels(permissions.recognitions_visible_to(user=user("baas@lenaerts.test"))) == {
        "Bakkerij Lenaerts/onderhoudsmechanica"
    }
    for email in (
        "tb@sintjozef.demo",
        "leerling1@sintjozef.demo",
        "ouder1@sintjozef.demo",
        "oc@octl.demo",
    ):
        assert labels(permissions.recognitions_visible_to(user=user(email))) == set(), email


def test_the_sector_body_sees_a_draft_only_once_submitted(demo_cast):
    admin = user("coord@daems.demo")
    draft = services.recognition_create(
        actor=admin,
        company=Organisation.objects.get(name="Koeltechniek Daems"),
        vestiging=Vestiging.objects.get(vestigingsnummer="2345678249"),
        opleiding=Opleiding.objects.get(code="mechanische-vormgeving"),
        ondernemingsnummer="0735412626",
        vestigingsnummer="2345678249",
        mentors=[user("mentor@daems.demo")],
    )
    consultant = user("consulent@sector.demo")
    assert not permissions.recognitions_visible_to(user=consultant).filter(pk=draft.pk).exists()
    with pytest.raises(Http404):
        permissions.get_recognition_for_user(user=consultant, public_id=draft.public_id)
    services.recognition_submit(actor=admin, recognition=draft)
    assert permissions.get_recognition_for_user(
        user=consultant, public_id=draft.public_id, decide=True
    )


def test_a_mandated_school_sees_the_request_it_filed(demo_cast):
    school = Organisation.objects.get(name="Technisch Instituut Sint-Jozef")
    coordinator = user("coord@sintjozef.demo")  # an administrator of the school
    company = Organisation.objects.get(name="Koeltechniek Daems")
    assert permissions.may_file_recognition(user=coordinator, company=company, school=school)
    assert not permissions.may_file_recognition(
        user=user("lk@sintjozef.demo"), company=company, school=school
    )
    assert not permissions.may_file_recognition(user=coordinator, company=company)
    recognition = services.recognition_create(
        actor=coordinator,
        company=company,
        vestiging=Vestiging.objects.get(vestigingsnummer="2345678249"),
        opleiding=Opleiding.objects.get(code="mechanische-vormgeving"),
        ondernemingsnummer="0735412626",
        vestigingsnummer="2345678249",
        filed_by_school=school,
        mandate=ContentFile(b"%PDF", name="machtiging.pdf"),
        sworn_statement=ContentFile(b"%PDF", name="verklaring.pdf"),
    )
    assert permissions.get_recognition_for_user(
        user=coordinator, public_id=recognition.public_id, manage=True
    )
    # Another school sees nothing of it.
    with pytest.raises(Http404):
        permissions.get_recognition_for_user(
            user=user("directie@dering.demo"), public_id=recognition.public_id
        )


def test_who_manages_and_who_decides(demo_cast):
    pending = Recognition.objects.get(
        company__name="Koeltechniek Daems", status=RecognitionStatus.COMPLETE
    )
    consultant = user("consulent@sector.demo")
    assert permissions.may_decide_recognition(user=consultant, recognition=pending)
    assert not permissions.may_manage_recognition(user=consultant, recognition=pending)
    assert permissions.may_manage_recognition(user=user("coord@daems.demo"), recognition=pending)
    assert not permissions.may_decide_recognition(
        user=user("coord@daems.demo"), recognition=pending
    )
    assert not permissions.may_manage_recognition(
        user=user("mentor@daems.demo"), recognition=pending
    )
    with pytest.raises(PermissionDenied):
        permissions.get_recognition_for_user(
            user=user("mentor@daems.demo"), public_id=pending.public_id, manage=True
        )
    with pytest.raises(Http404):
        permissions.get_recognition_for_user(
            user=user("coord@vandenberghe.demo"), public_id=pending.public_id
        )


def test_the_consultant_never_sees_a_student(client, demo_cast, login):
    consultant = user("consulent@sector.demo")
    assert not permissions.trajects_visible_to(user=consultant).exists()
    assert not permissions.placements_visible_to(user=consultant).exists()
    login("consulent@sector.demo")
    for traject in Traject.objects.all():
        assert client.get(f"/trajects/{traject.public_id}/").status_code == 404
    html = client.get("/").content.decode()
    for student in Student.objects.all():
        assert student.last_name not in html


def test_mentor_profiles_visible_to(demo_cast):
    names = lambda email: set(  # noqa: E731
        permissions.mentor_profiles_visible_to(user=user(email)).values_list("email", flat=True)
    )
    assert names("consulent@sector.demo") == {
        "mentor@vandenberghe.demo",
        "mentor2@vandenberghe.demo",
        "mentor@daems.demo",
        "coord@daems.demo",
        "consulent@sector.demo",  # their own
    }
    assert "mentor@daems.demo" not in names("coord@vandenberghe.demo")
    assert "mentor@vandenberghe.demo" in names("coord@vandenberghe.demo")
    assert names("mentor@vandenberghe.demo") == {"mentor@vandenberghe.demo"}
    assert names("tb@sintjozef.demo") == {"tb@sintjozef.demo"}
