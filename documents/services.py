"""Writes of generated documents: the request (web) and the rendering (``pdf`` worker).

The render never raises: whatever goes wrong ends as status ``failed`` with a reason the
requester can read, so the worker goes on with the next document.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone, translation

from accounts.models import User
from documents.models import DocumentFailure, DocumentStatus, GeneratedDocument
from documents.registry import kinds

if TYPE_CHECKING:
    from documents.rendering import RenderedPdf

logger = logging.getLogger(__name__)

# A worker killed mid-render (hard time limit, OOM, deploy) redelivers the task (acks_late);
# after this many deliveries the document is given up instead of looping.
MAX_ATTEMPTS = 3
# A second click while the first request is still waiting returns the same document.
REUSE_PENDING_FOR = timedelta(minutes=5)


def document_request(*, actor: User, kind: str, subject: models.Model) -> GeneratedDocument:
    """Create the document row and queue its rendering once the transaction commits.

    The caller has checked, through the kind (``get_subject_for_user``), that ``actor`` may ask
    for it. A request identical to one of the actor's documents still waiting (under five
    minutes old) returns that document instead. Raises ``ValueError`` for an unknown kind or
    a subject that does not fit the kind.
    """
    if kind not in kinds:
        raise ValueError(f"unknown document kind {kind!r}")
    spec = kinds[kind]
    if not isinstance(subject, spec.subject_model) or subject.pk is None:
        raise ValueError(f"a {kind} document needs a saved {spec.subject_model.__name__}")
    subject_key = {spec.subject_column: subject.pk}
    with transaction.atomic():
        waiting = GeneratedDocument.objects.filter(
            requester=actor,
            kind=kind,
            status__in=[DocumentStatus.PENDING, DocumentStatus.RENDERING],
            created_at__gte=timezone.now() - REUSE_PENDING_FOR,
            **subject_key,
        ).first()
        if waiting is not None:
            return waiting
        document = GeneratedDocument.objects.create(kind=kind, requester=actor, **subject_key)
        transaction.on_commit(lambda: _enqueue(document.pk))
    return document


def _enqueue(document_id: int) -> None:
    from documents.tasks import render_document

    render_document.delay(document_id)


def document_render(*, document_id: int) -> GeneratedDocument | None:
    """Render one document: pending -> rendering -> ready (file stored) or failed (reason).

    Returns ``None`` when there is nothing to do: the row is gone (its subject was deleted) or
    the document is already finished (a redelivered task). Never raises for a rendering error.
    """
    document = _claim(document_id)
    if document is None:
        return None
    if document.attempts > MAX_ATTEMPTS:
        detail = f"{document.attempts - 1} interrupted attempts"
        return _fail(document, DocumentFailure.INTERRUPTED, detail)
    # The soft time limit may strike anywhere, storing included: nothing escapes this block,
    # so the document never stays "rendering" behind a finished task.
    try:
        rendered = document_pdf(document=document)
        if rendered.refused:
            # Our templates refer only to static files: a refusal is a template bug.
            logger.warning(
                "document %s: refused %s", document.public_id, [r.url for r in rendered.refused]
            )
        return _store(document, rendered)
    except SoftTimeLimitExceeded:
        return _fail(document, DocumentFailure.TIMEOUT, "soft time limit exceeded")
    except (TemplateDoesNotExist, TemplateSyntaxError) as exc:
        logger.exception("document %s: broken template", document.public_id)
        return _fail(document, DocumentFailure.TEMPLATE, f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        logger.exception("document %s: rendering failed", document.public_id)
        return _fail(document, DocumentFailure.ERROR, type(exc).__name__)


def document_pdf(*, document: GeneratedDocument) -> RenderedPdf:
    """The PDF of ``document`` in its requester's language, rendered now and not stored.

    Raises whatever the rendering raises (``document_render`` turns that into a reason).
    """
    # WeasyPrint takes a second to import: web processes never pay for it, and the pdf
    # worker's children import it when they start (``tasks.preload_renderer``).
    from documents import rendering

    kind = kinds[document.kind]
    with translation.override(document.requester.language):
        return rendering.render_pdf(template_name=kind.template_name, context=_context(document))


def _claim(document_id: int) -> GeneratedDocument | None:
    with transaction.atomic():
        document = (
            GeneratedDocument.objects.select_for_update()
            .select_related("requester")
            .filter(pk=document_id)
            .first()
        )
        if document is None or document.is_finished:
            return None
        document.status = DocumentStatus.RENDERING
        document.attempts += 1
        document.started_at = timezone.now()
        document.save(update_fields=["status", "attempts", "started_at"])
    return document


def _context(document: GeneratedDocument) -> dict:
    kind = kinds[document.kind]
    subject = kind.load_subject(pk=getattr(document, kind.subject_column))
    context = kind.context(subject=subject, viewer=document.requester)
    return {**context, "generated_at": timezone.localtime()}


def _store(document: GeneratedDocument, rendered: RenderedPdf) -> GeneratedDocument | None:
    """Save the file, then mark the row ready; a row deleted meanwhile takes its file along."""
    name = document.file.storage.save(
        document.file.field.generate_filename(document, "document.pdf"),
        ContentFile(rendered.content),
    )
    updated = GeneratedDocument.objects.filter(
        pk=document.pk, status=DocumentStatus.RENDERING
    ).update(
        status=DocumentStatus.READY,
        file=name,
        size=len(rendered.content),
        pages=rendered.pages,
        finished_at=timezone.now(),
        failure="",
        error="",
    )
    if not updated:
        document.file.storage.delete(name)
    return GeneratedDocument.objects.filter(pk=document.pk).first()


def _fail(document: GeneratedDocument, failure: str, detail: str) -> GeneratedDocument | None:
    GeneratedDocument.objects.filter(pk=document.pk).exclude(status=DocumentStatus.READY).update(
        status=DocumentStatus.FAILED,
        failure=failure,
        error=detail[:500],
        finished_at=timezone.now(),
    )
    return GeneratedDocument.objects.filter(pk=document.pk).first()
