"""Reads of generated documents.

A document is its requester's: only they reach it, and only while they may still see its
subject (as its kind says: ``DocumentKind.subjects_visible_to``). Everyone else gets 404, as
for a missing document.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.text import slugify

from accounts.models import User
from documents.models import GeneratedDocument
from documents.registry import SCOPE_FIELDS, kinds

# --- access ----------------------------------------------------------------------------------


def documents_visible_to(*, user: User) -> QuerySet[GeneratedDocument]:
    """The user's own documents whose subject the user may still see (filtered in SQL)."""
    if not user.is_authenticated:
        return GeneratedDocument.objects.none()
    visible = Q(pk__in=[])
    for kind in kinds.values():
        subjects = kind.subjects_visible_to(user=user).values("pk")
        visible |= Q(kind=kind.code, **{f"{kind.subject_column}__in": subjects})
    return GeneratedDocument.objects.filter(requester=user).filter(visible)


def get_document_for_user(*, user: User, document_id: uuid.UUID | str) -> GeneratedDocument:
    """The document if ``user`` requested it and may still see its subject; 404 otherwise.

    The same answer as ``documents_visible_to`` in two small queries: the user's own document
    with this id, then whether its kind still shows the user its subject (asking only that
    kind, rather than every kind's subjects at once).
    """
    if not user.is_authenticated:
        raise Http404
    try:
        public_id = document_id if isinstance(document_id, uuid.UUID) else uuid.UUID(document_id)
    except ValueError as exc:
        raise Http404 from exc
    document = (
        GeneratedDocument.objects.select_related("requester", *SCOPE_FIELDS, *_subject_related())
        .filter(requester=user, public_id=public_id)
        .first()
    )
    kind = kinds.get(document.kind) if document is not None else None
    if document is None or kind is None:
        raise Http404
    subject_pk = getattr(document, kind.subject_column)
    if subject_pk is None or not (
        kind.subjects_visible_to(user=user).filter(pk=subject_pk).exists()
    ):
        raise Http404
    return document


def _subject_related() -> list[str]:
    """The relations of the subjects the kinds name (``DocumentKind.subject_related``), as
    paths from the document, each once."""
    paths = {
        f"{kind.subject_field}__{name}"
        for kind in kinds.values()
        if kind.subject_field in SCOPE_FIELDS
        for name in kind.subject_related
    }
    return sorted(paths)


def download_filename(document: GeneratedDocument) -> str:
    """A readable file name: kind and subject (as the kind names them), ASCII only."""
    stem = kinds[document.kind].filename_stem(document.subject)
    return f"{slugify(stem)[:80] or 'document'}.pdf"
