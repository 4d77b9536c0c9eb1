"""Requesting, watching and downloading PDFs: works, other tenant 404, anonymous to login,
wrong method 405, and nothing queued for what one may not see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import DocumentStatus, GeneratedDocument
from partnerships.documents import RaciMatrix, TrajectSheet
from partnerships.models import PlacementSupervisor, TeamMember
from tests.documents.conftest import a1, emma, lotte
from tests.isolation.test_url_classification import ALL, SEE_A1, SEE_LOTTE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(monkeypatch):
    """The render tasks handed to Celery (not run): proves what was, or was not, queued."""
    from documents.tasks import render_document

    calls: list[int] = []
    monkeypatch.setattr(render_document, "delay", lambda document_id: calls.append(document_id))
    return calls


def _raci_url(partnership) -> str:
    return reverse("documents:document_request", args=["raci", partnership.public_id])


def _traject_url(traject) -> str:
    return reverse("documents:document_request", args=["traject", traject.public_id])


def _detail_url(document) -> str:
    return reverse("documents:document_detail", args=[document.public_id])


def _download_url(document) -> str:
    return reverse("documents:document_download", args=[document.public_id])


def _status_section(body: bytes | str) -> str:
    """The ``#document-status`` region of a page or fragment (the header has its own htmx)."""
    text = body.decode() if isinstance(body, bytes) else body
    start = text.index('<section id="document-status"')
    return text[start : text.index("</section>", start)]


# --- requesting --------------------------------------------------------------------------------


def test_request_raci_pdf_creates_the_document_and_shows_it_ready(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_raci_url(a1()))
    assert len(callbacks) == 1
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(document)
    assert document.kind == RaciMatrix.code
    assert document.partnership == a1() and document.traject is None
    assert document.requester.email == "coord@sintjozef.demo"
    assert document.status == DocumentStatus.READY
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert str(document.public_id) not in document.file.name

    page = client.get(_detail_url(document))
    assert page.status_code == 200
    status = _status_section(page.content)
    assert 'data-status="ready"' in status
    assert _download_url(document) in status
    assert "hx-trigger" not in status  # finished: no more polling


def test_request_traject_sheet_by_a_mentor_of_the_student(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("mentor@vandenberghe.demo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_traject_url(lotte()))
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert document.kind == TrajectSheet.code and document.traject == lotte()
    assert document.status == DocumentStatus.READY


def test_request_queues_the_render_task_only_on_commit(
    client, demo_cast, login, queued, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_raci_url(a1()))
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert queued == [] and document.status == DocumentStatus.PENDING
    for callback in callbacks:  # the commit
        callback()
    assert queued == [document.pk]


def test_a_second_click_returns_the_waiting_document(
    client, demo_cast, login, queued, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_raci_url(a1()))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(_raci_url(a1()))
    assert first["Location"] == second["Location"]
    assert GeneratedDocument.objects.count() == 1
    assert len(queued) == 1


@pytest.mark.parametrize(
    ("email", "subject"),
    [
        ("tb@dering.demo", "a1"),  # another school
        ("mentor@daems.demo", "a1"),  # another company
        ("consulent@sector.demo", "a1"),
        ("leerling3@sintjozef.demo", "a1"),
        ("lk@sintjozef.demo", "emma"),  # same school, not her partnership
        ("mentor2@vandenberghe.demo", "lotte"),  # same company, not his student
        ("tb@dering.demo", "lotte"),
    ],
)
def test_request_for_an_invisible_subject_is_404_and_queues_nothing(
    client, demo_cast, login, queued, django_capture_on_commit_callbacks, email, subject
):
    url = {
        "a1": lambda: _raci_url(a1()),
        "lotte": lambda: _traject_url(lotte()),
        "emma": lambda: _traject_url(emma()),
    }[subject]()
    login(email)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plain = client.post(url)
        htmx = client.post(url, **HTMX)
    assert plain.status_code == 404 and htmx.status_code == 404
    assert GeneratedDocument.objects.count() == 0
    assert callbacks == [] and queued == []


def test_request_of_an_unknown_subject_is_404(client, demo_cast, login, queued):
    login("coord@sintjozef.demo")
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.post(f"/documents/request/raci/{unknown}/").status_code == 404
    assert client.post(f"/documents/request/traject/{unknown}/").status_code == 404
    assert GeneratedDocument.objects.count() == 0 and queued == []


def test_request_needs_post(client, demo_cast, login, queued):
    login("coord@sintjozef.demo")
    assert client.get(_raci_url(a1())).status_code == 405
    assert client.get(_traject_url(lotte())).status_code == 405
    assert GeneratedDocument.objects.count() == 0


def test_request_pages_offer_the_buttons(client, demo_cast, login):
    login("tb@sintjozef.demo")
    partnership_page = client.get(reverse("partnerships:partnership_detail", args=[a1().public_id]))
    assert _raci_url(a1()).encode() in partnership_page.content
    assert b'data-testid="raci-pdf"' in partnership_page.content
    traject_page = client.get(reverse("partnerships:traject_detail", args=[lotte().public_id]))
    assert _traject_url(lotte()).encode() in traject_page.content
    assert b'data-testid="traject-pdf"' in traject_page.content


# --- status page and polling ------------------------------------------------------------------


@pytest.fixture
def pending_document(demo_cast, queued, django_capture_on_commit_callbacks):
    from documents import services

    with django_capture_on_commit_callbacks(execute=True):
        return services.document_request(
            actor=demo_cast["coord@sintjozef.demo"], kind=RaciMatrix.code, subject=a1()
        )


def test_status_page_polls_while_pending(client, login, pending_document):
    login("coord@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    response = client.get(_detail_url(pending_document))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body  # the full page
    assert 'data-status="pending"' in body
    assert f'hx-get="{_detail_url(pending_document)}"' in body
    assert 'hx-trigger="every 1500ms"' in body
    assert "Waiting for its turn" in body
    assert 'data-testid="check-again"' in body  # without JavaScript: a plain link
    assert _download_url(pending_document) not in body
    assert response["Cache-Control"] == "private, no-store"


def test_polling_fragment_follows_the_status(client, login, pending_document):
    login("coord@sintjozef.demo")
    fragment = client.get(_detail_url(pending_document), **HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="document-status"')
    assert "hx-trigger" in body
    assert "Vary" in fragment and "HX-Request" in fragment["Vary"]

    GeneratedDocument.objects.filter(pk=pending_document.pk).update(status=DocumentStatus.RENDERING)
    assert 'data-status="rendering"' in client.get(_detail_url(pending_document), **HTMX).text

    from documents import services

    services.document_render(document_id=pending_document.pk)
    body = _status_section(client.get(_detail_url(pending_document), **HTMX).content)
    assert 'data-status="ready"' in body
    assert "hx-trigger" not in body
    assert _download_url(pending_document) in body


def test_status_page_of_a_failed_document_shows_the_reason_and_a_retry(
    client, login, pending_document
):
    GeneratedDocument.objects.filter(pk=pending_document.pk).update(
        status=DocumentStatus.FAILED, failure="timeout", error="soft time limit exceeded"
    )
    login("coord@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    body = _status_section(client.get(_detail_url(pending_document)).content)
    assert 'data-status="failed"' in body
    assert "Rendering took too long." in body
    assert "hx-trigger" not in body
    assert _raci_url(a1()) in body  # "Try again" posts a new request
    assert _download_url(pending_document) not in body
    assert client.get(_download_url(pending_document)).status_code == 404


def test_status_page_needs_get(client, login, pending_document):
    login("coord@sintjozef.demo")
    assert client.post(_detail_url(pending_document)).status_code == 405
    assert client.post(_download_url(pending_document)).status_code == 405


# --- download ---------------------------------------------------------------------------------


@pytest.fixture
def ready_document(demo_cast, request_document):
    document = request_document(demo_cast["tb@sintjozef.demo"], TrajectSheet.code, lotte())
    assert document.status == DocumentStatus.READY
    return document


def test_download_streams_the_pdf_as_an_attachment(client, login, ready_document):
    login("tb@sintjozef.demo")
    response = client.get(_download_url(ready_document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="traject-lotte-janssens.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert len(body) == ready_document.size


def test_the_private_file_is_not_under_any_url(client, login, ready_document, settings):
    login("tb@sintjozef.demo")
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    for prefix in ("/media/", "/static/", "/private/", "/"):
        assert client.get(prefix + ready_document.file.name).status_code == 404


def test_another_member_of_the_team_cannot_download_my_document(client, login, ready_document):
    """A document is its requester's: a colleague who sees the student requests their own."""
    login("coord@sintjozef.demo")
    assert client.get(_detail_url(ready_document)).status_code == 404
    assert client.get(_download_url(ready_document)).status_code == 404


def test_the_requester_loses_the_document_with_access_to_the_subject(
    client, demo_cast, login, request_document
):
    document = request_document(demo_cast["mentor@vandenberghe.demo"], TrajectSheet.code, lotte())
    login("mentor@vandenberghe.demo")
    assert client.get(_download_url(document)).status_code == 200

    from partnerships.services.trajects import placement_delete

    placement = lotte().placements.get()
    assert PlacementSupervisor.objects.filter(
        placement=placement, user__email="mentor@vandenberghe.demo"
    ).exists()
    placement_delete(actor=demo_cast["coord@sintjozef.demo"], placement=placement)

    assert client.get(_download_url(document)).status_code == 404
    assert client.get(_detail_url(document)).status_code == 404
    assert client.get(_detail_url(document), **HTMX).status_code == 404


def test_removed_from_the_team_loses_the_raci_pdf(client, demo_cast, login, request_document):
    document = request_document(demo_cast["lk@sintjozef.demo"], RaciMatrix.code, a1())
    login("lk@sintjozef.demo")
    assert client.get(_download_url(document)).status_code == 200

    from partnerships.services.partnerships import team_member_remove

    member = TeamMember.objects.get(partnership=a1(), user__email="lk@sintjozef.demo")
    team_member_remove(actor=demo_cast["coord@sintjozef.demo"], member=member)
    assert client.get(_download_url(document)).status_code == 404


def test_a_missing_file_is_404_not_500(client, login, ready_document):
    ready_document.file.storage.delete(ready_document.file.name)
    login("tb@sintjozef.demo")
    assert client.get(_download_url(ready_document)).status_code == 404


def test_malformed_and_unknown_document_ids_are_404(client, demo_cast, login):
    login("tb@sintjozef.demo")
    assert client.get("/documents/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/documents/not-a-uuid/").status_code == 404
    assert (
        client.get("/documents/00000000-0000-4000-8000-000000000000/download/").status_code == 404
    )


# --- anonymous and cross-tenant ---------------------------------------------------------------


@pytest.fixture
def documents_of_school_a(demo_cast, request_document):
    """A RACI PDF of A1 and a traject sheet of Lotte, both requested by A's coordinator."""
    coordinator = demo_cast["coord@sintjozef.demo"]
    return {
        "raci": request_document(coordinator, RaciMatrix.code, a1()),
        "traject": request_document(coordinator, TrajectSheet.code, lotte()),
    }


def _my_urls(documents) -> dict[str, tuple[str, frozenset[str]]]:
    """Each URL of the app built from school A's objects, with who may reach it."""
    requester = frozenset({"coord@sintjozef.demo"})
    return {
        "request_raci_matrix": (_raci_url(a1()), frozenset(SEE_A1)),
        "request_traject_sheet": (_traject_url(lotte()), frozenset(SEE_LOTTE)),
        "document_detail raci": (_detail_url(documents["raci"]), requester),
        "document_download raci": (_download_url(documents["raci"]), requester),
        "document_detail traject": (_detail_url(documents["traject"]), requester),
        "document_download traject": (_download_url(documents["traject"]), requester),
    }


def test_anonymous_is_sent_to_login(client, documents_of_school_a, queued):
    for name, (url, _insiders) in _my_urls(documents_of_school_a).items():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name
    assert GeneratedDocument.objects.count() == 2 and queued == []


def test_everyone_else_gets_404_and_nothing_changes(
    client, login, documents_of_school_a, queued, django_capture_on_commit_callbacks
):
    before = list(GeneratedDocument.objects.order_by("pk").values())
    urls = _my_urls(documents_of_school_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for name, (url, insiders) in urls.items():
            outsiders = sorted(ALL - insiders)
            assert outsiders, name
            for email in outsiders:
                client.logout()
                login(email)
                for headers in ({}, HTMX):
                    get = client.get(url, **headers)
                    post = client.post(url, **headers)
                    if name.startswith("request"):
                        # POST-only views: GET is 405 for every id, so nothing leaks.
                        assert get.status_code == 405, (name, email)
                    else:
                        assert get.status_code == 404, (name, email, get.status_code)
                    assert post.status_code in {404, 405}, (name, email, post.status_code)
                    if post.status_code == 405:
                        assert get.status_code == 404
    assert list(GeneratedDocument.objects.order_by("pk").values()) == before
    assert callbacks == [] and queued == []


def test_a_document_waiting_far_too_long_offers_a_new_request(
    client, login, pending_document, queued, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    GeneratedDocument.objects.filter(pk=pending_document.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    login("coord@sintjozef.demo")
    body = _status_section(client.get(_detail_url(pending_document), **HTMX).content)
    assert 'data-testid="overdue"' in body and "hx-trigger" in body
    assert _raci_url(a1()) in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_raci_url(a1()))
    assert response["Location"] != _detail_url(pending_document)
    assert GeneratedDocument.objects.count() == 2 and len(queued) == 2
