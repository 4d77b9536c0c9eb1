"""The render service: every failure ends as ``failed`` with a reason, and the next document
renders fine; documents and their files go with their subject."""

from __future__ import annotations

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse

from documents import rendering, services
from documents.models import DocumentFailure, DocumentStatus, GeneratedDocument
from documents.registry import kinds
from partnerships.documents import RaciMatrix, TrajectSheet
from tests.documents.conftest import a1, lotte

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(demo_cast):
    return demo_cast["coord@sintjozef.demo"]


def _assert_next_document_renders(request_document, coordinator) -> None:
    """The worker keeps going: the next request after a failure is rendered."""
    document = request_document(coordinator, RaciMatrix.code, a1())
    assert document.status == DocumentStatus.READY
    assert document.pages >= 1 and document.size > 1000
    assert document.file.storage.exists(document.file.name)


def test_a_broken_template_fails_with_a_readable_reason(
    monkeypatch, request_document, coordinator, client, login
):
    monkeypatch.setattr(kinds[RaciMatrix.code], "template_name", "pdf/does_not_exist.html")
    document = request_document(coordinator, RaciMatrix.code, a1())
    assert document.status == DocumentStatus.FAILED
    assert document.failure == DocumentFailure.TEMPLATE
    assert "pdf/does_not_exist.html" in document.error
    assert not document.file and document.finished_at is not None

    login("coord@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    page = client.get(reverse("documents:document_detail", args=[document.public_id])).text
    assert "The template of this document is missing or broken." in page
    assert "pdf/does_not_exist.html" in page

    monkeypatch.undo()
    _assert_next_document_renders(request_document, coordinator)


def test_a_template_with_a_syntax_error_fails(monkeypatch, request_document, coordinator):
    from django.template import engines

    def broken(template_name, context):
        engines["django"].from_string("{% if %}")

    monkeypatch.setattr(rendering, "render_pdf", lambda **kwargs: broken(**kwargs))
    document = request_document(coordinator, RaciMatrix.code, a1())
    assert document.status == DocumentStatus.FAILED
    assert document.failure == DocumentFailure.TEMPLATE
    assert document.error.startswith("TemplateSyntaxError")


def test_a_render_timeout_fails_as_took_too_long(
    monkeypatch, request_document, coordinator, client, login
):
    """What the task's soft time limit raises inside the rendering (Celery's signal)."""

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: too_slow())
    document = request_document(coordinator, TrajectSheet.code, lotte())
    assert document.status == DocumentStatus.FAILED
    assert document.failure == DocumentFailure.TIMEOUT

    login("coord@sintjozef.demo")
    client.cookies["duaal_language"] = "en"
    page = client.get(reverse("documents:document_detail", args=[document.public_id])).text
    assert "Rendering took too long." in page

    monkeypatch.undo()
    _assert_next_document_renders(request_document, coordinator)


def test_a_timeout_during_a_fetch_still_stops_the_rendering(monkeypatch, coordinator):
    """WeasyPrint swallows exceptions raised while fetching; the time limit must not be."""
    from documents.fetcher import StaticOnlyURLFetcher

    original = StaticOnlyURLFetcher._static

    def slow_static(self, url):
        if url.endswith("print.css"):
            raise SoftTimeLimitExceeded()
        return original(self, url)

    monkeypatch.setattr(StaticOnlyURLFetcher, "_static", slow_static)
    with pytest.raises(SoftTimeLimitExceeded):
        rendering.render_pdf(
            template_name="pdf/raci_matrix.html",
            context={**_raci_context(), "generated_at": None},
        )


def _raci_context():
    from partnerships.documents import raci_sheet_context

    return raci_sheet_context(partnership=a1())


def test_any_other_error_fails_without_leaking_its_message(
    monkeypatch, request_document, coordinator
):
    def explode(html):
        raise RuntimeError("secret internals /var/lib/duaal")

    monkeypatch.setattr(rendering, "html_to_pdf", explode)
    document = request_document(coordinator, RaciMatrix.code, a1())
    assert document.status == DocumentStatus.FAILED
    assert document.failure == DocumentFailure.ERROR
    assert document.error == "RuntimeError"
    monkeypatch.undo()
    _assert_next_document_renders(request_document, coordinator)


def test_a_redelivered_task_does_not_render_twice(request_document, coordinator):
    document = request_document(coordinator, RaciMatrix.code, a1())
    name = document.file.name
    assert services.document_render(document_id=document.pk) is None
    document.refresh_from_db()
    assert document.file.name == name and document.attempts == 1


def test_a_task_for_a_deleted_document_does_nothing(coordinator):
    assert services.document_render(document_id=999_999) is None


def test_a_document_interrupted_too_often_is_given_up(coordinator):
    document = GeneratedDocument.objects.create(
        kind=RaciMatrix.code,
        partnership=a1(),
        requester=coordinator,
        status=DocumentStatus.RENDERING,  # a worker died while rendering it
        attempts=services.MAX_ATTEMPTS,
    )
    result = services.document_render(document_id=document.pk)
    assert result.status == DocumentStatus.FAILED
    assert result.failure == DocumentFailure.INTERRUPTED


def test_a_redelivery_after_a_worker_died_renders_the_document(coordinator):
    document = GeneratedDocument.objects.create(
        kind=RaciMatrix.code,
        partnership=a1(),
        requester=coordinator,
        status=DocumentStatus.RENDERING,
        attempts=1,
    )
    result = services.document_render(document_id=document.pk)
    assert result.status == DocumentStatus.READY and result.attempts == 2


def test_the_kind_must_fit_the_subject(coordinator):
    with pytest.raises(ValueError):
        services.document_request(actor=coordinator, kind=RaciMatrix.code, subject=lotte())
    with pytest.raises(ValueError):
        services.document_request(actor=coordinator, kind=TrajectSheet.code, subject=a1())
    with pytest.raises(ValueError):
        services.document_request(actor=coordinator, kind="invoice", subject=a1())
    assert GeneratedDocument.objects.count() == 0


def test_the_database_refuses_a_document_without_exactly_one_subject(coordinator):
    """Which column a kind uses is checked by the service (above); the database keeps every
    row to one subject, whatever the kind."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocument.objects.create(kind=RaciMatrix.code, requester=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocument.objects.create(
            kind=RaciMatrix.code, partnership=a1(), traject=lotte(), requester=coordinator
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocument.objects.create(
            kind=RaciMatrix.code,
            requester=coordinator,
            status=DocumentStatus.READY,
            partnership=a1(),
        )


def test_documents_and_files_go_with_their_subject(
    request_document, coordinator, private_storage, django_capture_on_commit_callbacks
):
    from partnerships.services.trajects import traject_delete

    sheet = request_document(coordinator, TrajectSheet.code, lotte())
    matrix = request_document(coordinator, RaciMatrix.code, a1())
    sheet_file = private_storage / sheet.file.name
    assert sheet_file.exists()

    with django_capture_on_commit_callbacks(execute=True):
        traject_delete(actor=coordinator, traject=lotte())
    assert not GeneratedDocument.objects.filter(pk=sheet.pk).exists()
    assert not sheet_file.exists()
    assert GeneratedDocument.objects.filter(pk=matrix.pk).exists()
    assert (private_storage / matrix.file.name).exists()


def test_a_subject_deleted_while_rendering_leaves_no_file(
    monkeypatch, coordinator, private_storage
):
    document = GeneratedDocument.objects.create(
        kind=RaciMatrix.code, partnership=a1(), requester=coordinator
    )
    real_render = rendering.render_pdf
    # The demo may have put files here already (a bedrijfsfiche's photo): only new ones count.
    before = {path for path in private_storage.rglob("*") if path.is_file()}

    def render_then_delete(**kwargs):
        result = real_render(**kwargs)
        GeneratedDocument.objects.filter(pk=document.pk).delete()
        return result

    monkeypatch.setattr(rendering, "render_pdf", render_then_delete)
    assert services.document_render(document_id=document.pk) is None
    assert {path for path in private_storage.rglob("*") if path.is_file()} == before


def test_the_pdf_is_in_the_requesters_language(request_document, coordinator):
    from tests.documents.conftest import pdf_text

    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    document = request_document(coordinator, TrajectSheet.code, lotte())
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Monday" in text and "Maandag" not in text


def test_a_rolled_back_request_queues_nothing(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    import contextlib

    from django.db import transaction

    from documents.tasks import render_document

    queued: list[int] = []
    monkeypatch.setattr(render_document, "delay", queued.append)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        services.document_request(actor=coordinator, kind=RaciMatrix.code, subject=a1())
        raise RuntimeError("the surrounding work failed")
    assert callbacks == [] and queued == []
    assert GeneratedDocument.objects.count() == 0
