"""WeasyPrint's URL fetcher, deny by default.

A PDF may load exactly two kinds of resource:

* ``data:`` URLs (decoded in memory);
* the project's own static files, named with the ``duaal-static:`` scheme
  (``duaal-static:pdf/print.css``, ``duaal-static:fonts/DejaVuSans.ttf``), looked up with the
  staticfiles ``FileSystemFinder`` in ``settings.STATICFILES_DIRS`` only, no path traversal, no
  symlink leaving those folders, and only stylesheets, fonts and images.

Everything else — ``file://``, ``http(s)://`` (127.0.0.1 and redirects included, as no request
is ever made), ``ftp://``, relative paths, unknown schemes — raises ``URLRefused`` and is
recorded in ``refused``. The fetcher never touches the network or the file system outside
the static folders: it does not call the parent class's urllib machinery at all.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote
from urllib.request import DataHandler, OpenerDirector, Request

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_SCHEME = "duaal-static:"

# What a document may load from the static folders.
ALLOWED_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
MAX_STATIC_BYTES = 5 * 1024 * 1024


class URLRefused(ValueError):
    """The fetcher refused a URL (WeasyPrint logs it and renders without the resource)."""


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


def static_url(path: str) -> str:
    """The URL of a static file for use in PDF templates and stylesheets."""
    return f"{STATIC_SCHEME}{path}"


class StaticOnlyURLFetcher(URLFetcher):
    """Serve ``data:`` and the project's static files; refuse and record everything else."""

    def __init__(self) -> None:
        # Deliberately not ``URLFetcher.__init__``: it installs urllib's http, https, ftp and
        # file handlers (and builds an SSL context on every render). With no handler at all,
        # even a stray call into the parent's machinery could open nothing.
        OpenerDirector.__init__(self)
        self._timeout = 10
        self._http_headers: dict[str, str] = {}
        self._allowed_protocols: tuple[str, ...] = ()
        self._fail_on_errors = False  # read by weasyprint.urls.fetch
        self._request = None
        self.refused: list[Refusal] = []
        self.fetched: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            if url.startswith("data:"):
                response = self._data(url)
            elif url.startswith(STATIC_SCHEME):
                response = self._static(url)
            else:
                raise URLRefused("only data: URLs and the project's static files may be loaded")
        except URLRefused as refusal:
            self.refuse(url, str(refusal))
            raise
        self.fetched.append(url if len(url) < 200 else url[:200] + "…")
        return response

    def open(self, url, data=None, timeout=None) -> Any:  # noqa: ANN001 - urllib's signature
        return self.fetch(url.full_url if isinstance(url, Request) else url)

    def refuse(self, url: str, reason: str) -> None:
        shown = url if len(url) < 200 else url[:200] + "…"
        self.refused.append(Refusal(shown, reason))
        logger.warning("PDF rendering: refused to load %s (%s)", shown, reason)

    # --- the two allowed kinds ------------------------------------------------------------

    def _data(self, url: str) -> URLFetcherResponse:
        try:
            response = DataHandler().data_open(Request(url))  # noqa: S310 - data: only
        except Exception as exc:
            raise URLRefused(f"malformed data: URL ({exc})") from exc
        body = response.read()
        content_type = response.headers.get("Content-Type", "text/plain")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _static(self, url: str) -> URLFetcherResponse:
        path = resolve_static(url.removeprefix(STATIC_SCHEME))
        size = path.stat().st_size
        if size > MAX_STATIC_BYTES:
            raise URLRefused("static file too large")
        content_type = ALLOWED_TYPES[path.suffix.lower()]
        if content_type == "text/css":
            content_type += "; charset=utf-8"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def _static_roots() -> list[Path]:
    roots = []
    for entry in settings.STATICFILES_DIRS:
        root = entry[1] if isinstance(entry, tuple | list) else entry
        roots.append(Path(os.path.realpath(root)))
    return roots


def resolve_static(raw: str) -> Path:
    """The file under ``STATICFILES_DIRS`` that ``raw`` names, or ``URLRefused``."""
    name = unquote(raw.split("?", 1)[0].split("#", 1)[0])
    pure = PurePosixPath(name)
    if (
        not name
        or "\x00" in name
        or "\\" in name
        or pure.is_absolute()
        or any(part in {"..", "."} for part in pure.parts)
        or name.startswith("//")
    ):
        raise URLRefused("not a plain path inside the static folders")
    if pure.suffix.lower() not in ALLOWED_TYPES:
        raise URLRefused("not a stylesheet, font or image")
    try:
        found = FileSystemFinder().find(name)
    except SuspiciousFileOperation as exc:
        raise URLRefused("path outside the static folders") from exc
    if not found:
        raise URLRefused("no such static file")
    real = Path(os.path.realpath(found))
    if not any(real.is_relative_to(root) for root in _static_roots()) or not real.is_file():
        raise URLRefused("path outside the static folders")
    if real.suffix.lower() not in ALLOWED_TYPES:
        raise URLRefused("not a stylesheet, font or image")
    return real
