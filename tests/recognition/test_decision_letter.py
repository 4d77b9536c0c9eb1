"""The decision letter (issue 12, item 3): a kind of the PDF engine on its generic subject
column — recognised with its 5-year period, or refused with the reason and the 10-day appeal
right; asked for by whoever sees a decided request, never before a decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from accounts.models import User
from documents.models import DocumentStatus, GeneratedDocument
from documents.registry import DocumentKind, kinds, register_kind
from organisations.models import Membership, Organisation, OrganisationKind
from partnerships.models import Student
from recognition import services
from recognition.documents import DecisionLetter
from recognition.models import Recognition
from tests.documents.conftest import pdf_text, squash

pytestmark = pytest.mark.django_db

CONSULTANT = "consulent@sector.demo"


def pending() -> Recognition:
    return Recognition.objects.get(opleiding__code="onderhoudsmechanica")


def _pdf(document: GeneratedDocument) -> str:
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, (document.failure, document.error)
    with document.file.open("rb") as handle:
        return squash(pdf_text(handle.read()))


def _decide(recognised: bool, **kwargs) -> Recognition:
    return services.recognition_decide(
        actor=User.objects.get(email=CONSULTANT),
        recognition=pending(),
        recognised=recognised,
        reason="" if recognised else "Geen lasuitrusting in de werkplaats.",
        **kwargs,
    )


def _request(client, recognition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/documents/request/recognition-letter/{recognition.public_id}/")
    assert response.status_code == 302, response.status_code
    return GeneratedDocument.objects.filter(kind=DecisionLetter.code).latest("created_at")


def test_the_letter_of_a_recognition(login, demo_cast, django_capture_on_commit_callbacks):
    recognition = _decide(True)
    document = _request(login(CONSULTANT), recognition, django_capture_on_commit_callbacks)
    assert document.subject_id == recognition.pk and document.subject == recognition
    text = _pdf(document)
    today = timezone.localdate()
    for expected in (
        "KoeltechniekDaems",
        "Onderhoudsmechanicaduaal",
        "Beslissing:erkend",
        "5jaargeldig",
        f"van{today.day}/{today.month}/{today.year}",
        "SectoraalPartnerschapTechnologischeIndustrie",
    ):
        assert expected in text, expected
    assert "beroep" not in text.lower()
    # Company and mentor data only: no student's name in the letter.
    for student in Student.objects.all():
        assert squash(student.full_name) not in text


def test_the_letter_of_a_refusal_states_the_reason_and_the_appeal_right(
    login, demo_cast, django_capture_on_commit_callbacks
):
    recognition = _decide(False)
    document = _request(login(CONSULTANT), recognition, django_capture_on_commit_callbacks)
    text = _pdf(document)
    until = timezone.localdate() + timedelta(days=10)
    assert "Beslissing:geweigerd" in text
    assert "Geenlasuitrustingindewerkplaats." in text
    assert f"binnen10dagen,uiterlijktot{until.day}/{until.month}/{until.year}" in text


def test_no_letter_before_a_decision_and_none_for_another_body(
    client, login, demo_cast, django_capture_on_commit_callbacks
):
    url = f"/documents/request/recognition-letter/{pending().public_id}/"
    assert login(CONSULTANT).post(url).status_code == 404
    recognition = _decide(True)
    vpdl = Organisation.objects.create(
        kind=OrganisationKind.SECTOR_BODY, name="Vlaams Partnerschap Duaal Leren"
    )
    other = User.objects.create_user(email="consulent@vpdl.test", full_name="Andere Consulent")
    Membership.objects.create(user=other, organisation=vpdl)
    client.force_login(other)
    assert client.post(url).status_code == 404
    assert login("coord@vandenberghe.demo").post(url).status_code == 404
    # The company reads its own letter.
    document = _request(login("coord@daems.demo"), recognition, django_capture_on_commit_callbacks)
    assert (
        login("coord@daems.demo").get(f"/documents/{document.public_id}/download/").status_code
        == 200
    )
    # Another person's document stays theirs.
    assert login(CONSULTANT).get(f"/documents/{document.public_id}/download/").status_code == 404


def test_a_generic_subject_kind_must_name_its_model():
    with kinds.restored(), pytest.raises(ImproperlyConfigured, match="subject_model_label"):

        @register_kind
        class Loose(DocumentKind):
            code = "loose_letter"
            slug = "loose-letter"
            subject_field = "subject"
