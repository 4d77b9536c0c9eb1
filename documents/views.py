"""Requesting a PDF, watching it being made, downloading it.

Requests: the kind named in the URL fetches and authorises the subject
(``DocumentKind.get_subject_for_user``: 404 when not visible, 403 when not allowed, and
nothing is queued). Status and download: ``selectors.get_document_for_user`` (the requester
only, while the subject stays visible; 404 for everyone else).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from documents import selectors, services
from documents.models import DocumentStatus
from documents.registry import kind_for_slug, kinds


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap asks for the region only; a history restore (cache miss) needs the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_POST
def document_request(request: HttpRequest, kind: str, subject_id: uuid.UUID) -> HttpResponse:
    spec = kind_for_slug(kind)
    subject = spec.get_subject_for_user(user=request.user, subject_id=subject_id)
    document = services.document_request(actor=request.user, kind=spec.code, subject=subject)
    return redirect("documents:document_detail", document_id=document.public_id)


@login_required
@require_http_methods(["GET", "HEAD"])
@vary_on_headers("HX-Request")
def document_detail(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = selectors.get_document_for_user(user=request.user, document_id=document_id)
    template = "documents/document_detail.html"
    if _wants_fragment(request):
        template += "#document-status"
    kind = kinds[document.kind]
    subject = document.subject
    context = {
        "document": document,
        "kind_label": kind.label,
        "title": kind.title(subject),
        "subject_path": kind.subject_path(subject),
        "request_url": reverse("documents:document_request", args=[kind.slug, subject.public_id]),
    }
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def document_download(request: HttpRequest, document_id: uuid.UUID) -> FileResponse:
    document = selectors.get_document_for_user(user=request.user, document_id=document_id)
    if document.status != DocumentStatus.READY or not document.file:
        raise Http404
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=selectors.download_filename(document),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
