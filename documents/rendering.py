"""HTML to PDF with WeasyPrint, behind the deny-by-default fetcher.

The HTML comes from a Django template (autoescaped: database text is never markup); the one
print stylesheet and the embedded fonts come from ``static/`` through ``StaticOnlyURLFetcher``.
PDF forms and file attachments are switched off, and attachments the markup asks for
(``<link rel="attachment">``, ``<a rel="attachment">``) are dropped before the PDF is written,
so they are never even fetched.

One font configuration serves every render of the process: a fresh one per document (WeasyPrint's
default) costs tens of milliseconds and leaks about half a megabyte each time in fontconfig and
Pango, which ``manage.py bench_pdf`` shows as a growing resident set. Pango's font map is not
thread-safe, so renders in one process take turns (the pdf worker renders one at a time anyway).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from documents.fetcher import Refusal, StaticOnlyURLFetcher

logger = logging.getLogger(__name__)

# Options for both ``render`` and ``write_pdf``: no forms, no attachments, no HTML hints.
PDF_OPTIONS = {
    "pdf_forms": False,
    "attachments": None,
    "presentational_hints": False,
    "custom_metadata": False,
}


_render_lock = threading.Lock()
_font_config: FontConfiguration | None = None


def _shared_font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    refused: list[Refusal] = field(default_factory=list)


class _TimeLimitedFetcher(StaticOnlyURLFetcher):
    """WeasyPrint turns every ``Exception`` a fetch raises into a warning; the task's soft time
    limit must stop the rendering instead, so it travels as a ``FatalURLFetchingError``."""

    def fetch(self, url: str, headers: dict | None = None) -> Any:
        try:
            return super().fetch(url, headers)
        except SoftTimeLimitExceeded as exc:
            raise FatalURLFetchingError("soft time limit") from exc


def render_pdf(*, template_name: str, context: dict) -> RenderedPdf:
    """Render ``template_name`` with ``context`` (autoescaped) to a PDF."""
    return html_to_pdf(render_to_string(template_name, context))


def html_to_pdf(html: str) -> RenderedPdf:
    """Lay out ``html`` and write the PDF; refused URLs are listed in the result."""
    fetcher = _TimeLimitedFetcher()
    try:
        with _render_lock:
            # No base URL: relative references resolve to nothing, not to a file:// path.
            document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(
                font_config=_shared_font_config(), **PDF_OPTIONS
            )
            _drop_attachments(document, fetcher)
            content = document.write_pdf(**PDF_OPTIONS)
    except FatalURLFetchingError as exc:
        if isinstance(exc.__cause__, SoftTimeLimitExceeded):
            raise exc.__cause__ from None
        raise
    return RenderedPdf(content=content, pages=len(document.pages), refused=list(fetcher.refused))


def _drop_attachments(document, fetcher: StaticOnlyURLFetcher) -> None:  # noqa: ANN001
    """Remove the file attachments the markup declared; they are never fetched."""
    for attachment in document.metadata.attachments:
        args = getattr(attachment.source, "args", ())
        url = args[2] if len(args) > 2 and isinstance(args[2], str) else '<link rel="attachment">'
        fetcher.refuse(url, "file attachments are not allowed")
    document.metadata.attachments = []
    for page in document.pages:
        kept = []
        for link in page.links:
            if link[0] == "attachment":
                fetcher.refuse(link[1], "file attachments are not allowed")
            else:
                kept.append(link)
        page.links = kept
