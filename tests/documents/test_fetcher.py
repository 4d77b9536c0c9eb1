"""The PDF renderer loads nothing but data: URLs and the project's own static files.

Hostile markup points at the file system, at a live HTTP server on 127.0.0.1 (which records
every request it gets), at a redirect to file://, and asks for file attachments. The fetcher
refuses each URL, the server receives nothing, and the PDF holds none of the targets' content.
"""

from __future__ import annotations

import io
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from documents.fetcher import StaticOnlyURLFetcher, URLRefused
from documents.rendering import html_to_pdf
from tests.documents.conftest import pdf_text, squash

SECRET = "SECRET-FROM-LOCALHOST-7f3a"
PASSWD_FIRST_LINE = Path("/etc/passwd").read_text().splitlines()[0]


@pytest.fixture
def trap():
    """An HTTP server on 127.0.0.1 that records every request.

    ``/redirect`` answers 302 to file:///etc/passwd; every other path serves a stylesheet
    that would print the secret into the PDF.
    """
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()
                return
            body = f'body::after {{ content: "{SECRET}"; }}'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", received=received)
    server.shutdown()
    server.server_close()


def _assert_trap_is_live(trap) -> None:
    """The server answers a direct request: its silence during rendering means something."""
    with urllib.request.urlopen(f"{trap.url}/alive", timeout=5) as response:
        assert SECRET in response.read().decode()


# --- the fetcher on its own ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file://localhost/etc/passwd",
        "https://example.org/style.css",
        "ftp://127.0.0.1/passwd",
        "javascript:alert(1)",
        "about:blank",
        "static/pdf/print.css",
        "/static/pdf/print.css",
        "duaal-static:../manage.py",
        "duaal-static:%2e%2e/manage.py",
        "duaal-static:pdf/../../duaal/settings.py",
        "duaal-static:/etc/passwd",
        "duaal-static://etc/passwd",
        "duaal-static:pdf\\..\\..\\manage.py",
        "duaal-static:pdf/print.css%00.png",
        "duaal-static:fonts/README.txt",
        "duaal-static:pdf/nothing-here.css",
        "duaal-static:admin/css/base.css",
    ],
)
def test_fetcher_refuses(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(URLRefused):
        fetcher.fetch(url)
    assert [refusal.url for refusal in fetcher.refused] == [url]


def test_fetcher_refuses_localhost_without_connecting(trap):
    fetcher = StaticOnlyURLFetcher()
    for url in (f"{trap.url}/", f"{trap.url}/redirect", f"{trap.url}/x.css".upper()):
        with pytest.raises(URLRefused):
            fetcher.fetch(url)
    assert trap.received == []
    _assert_trap_is_live(trap)


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch("duaal-static:pdf/print.css")
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetcher.fetch("duaal-static:fonts/DejaVuSans.ttf")
    assert font.content_type == "font/ttf"
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    data = fetcher.fetch("data:text/css;base64,Ym9keXt9")
    assert data.read() == b"body{}"
    assert fetcher.refused == []


def test_fetcher_refuses_a_symlink_out_of_the_static_folders(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "evil.css").symlink_to("/etc/passwd")
    (static / "fine.css").write_text("p { color: black }")
    settings.STATICFILES_DIRS = [static]
    fetcher = StaticOnlyURLFetcher()
    assert fetcher.fetch("duaal-static:fine.css").read() == b"p { color: black }"
    with pytest.raises(URLRefused):
        fetcher.fetch("duaal-static:evil.css")


# --- hostile markup through WeasyPrint -------------------------------------------------------


def _hostile_html(trap) -> str:
    return f"""<!doctype html>
<html><head>
  <link rel="stylesheet" href="file:///etc/passwd">
  <link rel="stylesheet" href="{trap.url}/style.css">
  <link rel="stylesheet" href="{trap.url}/redirect">
  <link rel="attachment" href="file:///etc/passwd" title="passwords">
  <link rel="attachment" href="{trap.url}/attachment.txt">
  <link rel="attachment" href="data:text/plain,innocent-looking">
  <style>
    @import url("file:///etc/hostname");
    @import url("{trap.url}/import.css");
    body {{ background: url("file:///etc/passwd"); }}
    @font-face {{ font-family: x; src: url("{trap.url}/font.ttf"); }}
  </style>
</head><body>
  <p>Visible paragraph</p>
  <img src="file:///etc/passwd" alt="">
  <img src="{trap.url}/redirect" alt="">
  <img src="ftp://127.0.0.1/passwd" alt="">
  <img src="duaal-static:../manage.py" alt="">
  <object data="file:///etc/passwd"></object>
  <embed src="{trap.url}/embed">
  <a rel="attachment" href="file:///etc/passwd">attached file</a>
</body></html>"""


def test_hostile_markup_loads_nothing(trap):
    result = html_to_pdf(_hostile_html(trap))

    assert trap.received == [], "the renderer contacted 127.0.0.1"
    refused = {refusal.url for refusal in result.refused}
    for url in (
        "file:///etc/passwd",
        "file:///etc/hostname",
        f"{trap.url}/style.css",
        f"{trap.url}/redirect",
        f"{trap.url}/import.css",
        f"{trap.url}/font.ttf",
        "ftp://127.0.0.1/passwd",
        "duaal-static:../manage.py",
    ):
        assert url in refused, url
    # Attachments are dropped before the PDF is written, whatever their URL.
    assert f"{trap.url}/attachment.txt" in refused
    assert "data:text/plain,innocent-looking" in refused

    text = pdf_text(result.content)
    assert "Visible paragraph" in text
    assert SECRET not in text
    assert squash(PASSWD_FIRST_LINE) not in squash(text)
    reader = PdfReader(io.BytesIO(result.content))
    assert reader.attachments == {}
    assert b"/EmbeddedFile" not in result.content
    assert b"/FileAttachment" not in result.content
    assert b"innocent-looking" not in result.content
    _assert_trap_is_live(trap)


def test_a_base_url_does_not_open_the_file_system(trap):
    html = (
        '<html><head><base href="file:///etc/"><link rel="stylesheet" href="passwd"></head>'
        '<body><p>Still here</p><img src="hostname"></body></html>'
    )
    result = html_to_pdf(html)
    refused = {refusal.url for refusal in result.refused}
    assert {"file:///etc/passwd", "file:///etc/hostname"} <= refused
    text = pdf_text(result.content)
    assert "Still here" in text
    assert squash(PASSWD_FIRST_LINE) not in squash(text)


def test_relative_urls_without_base_resolve_to_nothing():
    html = '<html><body><p>Relative</p><img src="/etc/passwd"><img src="etc/passwd"></body></html>'
    result = html_to_pdf(html)
    assert "Relative" in pdf_text(result.content)
    assert squash(PASSWD_FIRST_LINE) not in squash(pdf_text(result.content))


def test_the_fetcher_has_no_urllib_handler_at_all():
    """Even the parent's urllib machinery, if something called it, could open nothing."""
    fetcher = StaticOnlyURLFetcher()
    assert fetcher.handlers == []
    assert urllib.request.OpenerDirector.open(fetcher, "file:///etc/passwd") is None
    with pytest.raises(URLRefused):
        fetcher.open(urllib.request.Request("file:///etc/passwd"))
