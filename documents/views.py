"""Requesting a PDF, watching it being made, downloading it.

Requests: the subject is fetched and authorised by ``partnerships.permissions`` (404 when not
visible, and nothing is queued). Status and download: ``selectors.get_document_for_user``
(the requester only, while the subject stays visible; 404 for everyone else).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from documents import selectors, services
from documents.models import DocumentKind, DocumentStatus
from partnerships import permissions


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap asks for the region only; a history restore (cache miss) needs the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_POST
def request_raci_matrix(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(user=request.user, public_id=partnership_id)
    document = services.document_request(
        actor=request.user, kind=DocumentKind.RACI_MATRIX, subject=partnership
    )
    return redirect("documents:document_detail", document_id=document.public_id)


@login_required
@require_POST
def request_traject_sheet(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_user(user=request.user, public_id=traject_id)
    document = services.document_request(
        actor=request.user, kind=DocumentKind.TRAJECT_SHEET, subject=traject
    )
    return redirect("documents:document_detail", document_id=document.public_id)


@login_required
@require_http_methods(["GET", "HEAD"])
@vary_on_headers("HX-Request")
def document_detail(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = selectors.get_document_for_user(user=request.user, document_id=document_id)
    template = "documents/document_detail.html"
    if _wants_fragment(request):
        template += "#document-status"
    response = render(request, template, {"document": document})
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
