"""Cross-cutting behaviour of the platform: health, CSP, error pages, Celery configuration."""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "eager"}


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # discard port: nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from duaal import health

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    class BrokenConnection:
        def cursor(self):
            return BrokenCursor()

    monkeypatch.setattr(health, "connections", {"default": BrokenConnection()})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz", "/does-not-exist/"])
def test_every_response_has_the_strict_csp(client, path):
    csp = client.get(path)["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_pages_have_no_inline_script_or_style(client, demo_cast, login):
    import re

    login("coord@sintjozef.demo")
    for path in ("/", "/accounts/login/", "/accounts/password/change/"):
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path


def test_csrf_is_enforced_and_sent_with_htmx(demo_cast):
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post("/accounts/login/", {"username": "x@y.z", "password": "p"}).status_code == 403
    )
    from accounts.models import User

    strict.force_login(User.objects.get(email="tb@sintjozef.demo"))
    html = strict.get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_unknown_url_gives_the_dutch_404_page_without_details(client):
    response = client.get("/nergens/te/vinden/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert 'lang="nl-be"' in html
    assert "Traceback" not in html and "URLconf" not in html


def test_404_follows_the_chosen_language(client):
    client.cookies["duaal_language"] = "en"
    assert "Page not found" in client.get("/nergens/").content.decode()


def test_server_error_page_is_dutch_and_hides_the_traceback(client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret internal detail")

    import duaal.urls

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {
            "urlpatterns": [*duaal.urls.urlpatterns, path("boom/", boom)],
            "handler500": "duaal.views.server_error",
        },
    )
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er liep iets mis" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_403_page_is_dutch(client, demo_cast, login):
    from organisations.models import Organisation

    login("mentor@vandenberghe.demo")
    organisation = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    response = client.get(f"/organisations/{organisation.public_id}/edit/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_celery_is_configured_for_reliability():
    from duaal.celery import app

    conf = app.conf
    assert {q.name for q in conf.task_queues} == {"default", "mail", "pdf"}
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit


def test_tasks_run_eagerly_without_a_broker():
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from duaal.tasks import ping; from duaal.celery import app;"
        "assert app.conf.task_always_eager; print(ping.delay('hallo').get())"
    )
    env = {"DJANGO_SETTINGS_MODULE": "duaal.settings", "PATH": "/usr/bin:/bin"}
    import os

    env["DUAAL_VAR_DIR"] = os.environ.get("DUAAL_VAR_DIR", "var")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "hallo"


def test_dutch_is_the_default_even_for_an_english_browser(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nl-be"' in html
    assert "Aanmelden" in html


def test_translations_are_complete_and_compiled():
    """Every Dutch msgstr is filled in, and the committed .mo matches the .po."""
    import gettext
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from tests.conftest import require

    po = Path("locale/nl_BE/LC_MESSAGES/django.po")
    require(shutil.which("msgfmt") is not None, "msgfmt (gettext) is not installed")
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
        with fresh.open("rb") as a, po.with_suffix(".mo").open("rb") as b:
            assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
                "locale/nl_BE/LC_MESSAGES/django.mo is stale: run `make messages`"
            )


def test_embedded_sqlite_uses_wal_and_immediate_transactions(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "cur = connection.cursor(); cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]);"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "duaal.settings",
        "PATH": os.environ["PATH"],
        "DUAAL_VAR_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["wal", "IMMEDIATE"]
    assert (tmp_path / "duaal.sqlite3").exists()
