"""Fixtures of the generated-documents tests: private storage in a temporary folder, demo
subjects, and PDF text extraction."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """All text of a PDF, page after page, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Text without any white space: line wrapping in the PDF does not matter."""
    return "".join(text.split())


def a1():
    from partnerships.models import Partnership

    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def lotte():
    from partnerships.models import Traject

    return Traject.objects.select_related("student", "partnership").get(student__first_name="Lotte")


def emma():
    from partnerships.models import Traject

    return Traject.objects.get(student__first_name="Emma")


@pytest.fixture
def request_document(django_capture_on_commit_callbacks):
    """``request_document(actor, kind, subject)``: the service, with its task run (eagerly)."""
    from documents import services

    def _request(actor, kind, subject):
        with django_capture_on_commit_callbacks(execute=True):
            document = services.document_request(actor=actor, kind=kind, subject=subject)
        document.refresh_from_db()
        return document

    return _request
