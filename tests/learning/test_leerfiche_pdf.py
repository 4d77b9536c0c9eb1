"""The leerfiche PDF kind: who may read the version may request it; the PDF holds the
leerfiche as the page shows it; a discarded draft takes its PDFs along."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import services
from documents.models import DocumentStatus, GeneratedDocument
from learning.documents.catalogue import LeerficheSheet
from learning.models import Opleiding, SetEditor
from learning.services import versions
from organisations.models import Organisation
from tests.documents.conftest import pdf_text, squash
from tests.learning.factories import make_set_version

SECTOR = "Sectoraal Partnerschap Technologische Industrie"


@pytest.fixture
def sector_versions(demo_cast):
    sector = Organisation.objects.get(name=SECTOR)
    lassen = Opleiding.objects.get(code="lassen-constructie")
    published = make_set_version(owner=sector, opleiding=lassen, name="PDF-set")
    SetEditor.objects.create(
        leerfiche_set=published.leerfiche_set, user=demo_cast["consulent@sector.demo"]
    )
    return published, versions.start_draft(leerfiche_set=published.leerfiche_set)


def test_a_member_requests_the_pdf_of_a_published_leerfiche(
    client, login, sector_versions, django_capture_on_commit_callbacks
):
    published, _draft = sector_versions
    fiche = published.leerfiches.order_by("pk").first()
    login("mentor@vandenberghe.demo")
    url = reverse("documents:document_request", args=["leerfiche", fiche.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    document = GeneratedDocument.objects.get(kind=LeerficheSheet.code, leerfiche=fiche)
    assert document.status == DocumentStatus.READY, (document.failure, document.error)
    with document.file.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    for expected in (fiche.title, "Eenleerdoel", "Criterium1(S)", "EVALUATIECRITERIA"):
        assert squash(expected) in text, expected
    download = client.get(reverse("documents:document_download", args=[document.public_id]))
    assert download.status_code == 200


def test_a_draft_leerfiche_pdf_is_for_the_owner_only(
    client,
    login,
    sector_versions,
    demo_cast,
    django_capture_on_commit_callbacks,
):
    _published, draft = sector_versions
    fiche = draft.leerfiches.first()
    url = reverse("documents:document_request", args=["leerfiche", fiche.public_id])
    login("coord@sintjozef.demo")
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    login("leerling1@sintjozef.demo")
    assert client.post(url).status_code == 404
    assert not GeneratedDocument.objects.filter(leerfiche=fiche).exists()
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            actor=demo_cast["consulent@sector.demo"], kind=LeerficheSheet.code, subject=fiche
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    # Discarding the draft removes its documents with it.
    versions.discard_draft(version=draft)
    assert not GeneratedDocument.objects.filter(pk=document.pk).exists()
