"""Shared test set-up: the demo cast, service gates and the browser.

Tests that need a broker or a browser skip (with the reason) when the service is absent on a
developer's machine; under CI (``CI=true``) a missing service fails the run instead, so CI can
never go green by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from duaal import demo

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would
# otherwise refuse the (synchronous) database calls the tests make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def require(condition: bool, reason: str) -> None:
    """Skip when a service is missing, but fail under CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this service: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_hashing_and_eager_tasks(request, settings) -> Iterator[None]:
    """Fast password hashing; Celery tasks run in-process except in tests marked ``broker``
    (those talk to a real worker through the real Redis)."""
    from duaal.celery import app

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = request.node.get_closest_marker("broker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager or previous
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path) -> Path:
    """Generated files go to a fresh private folder, never to var/private."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@pytest.fixture
def demo_cast(db) -> dict[str, object]:
    """Run ``seed_demo`` and return the cast's users by e-mail address."""
    from accounts.models import User

    # The cast alone: the extra tenant with due reminders has its own tests (tests/notifications).
    call_command("seed_demo", "--no-reminder-cases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return {user.email: user for user in User.objects.all()}


@pytest.fixture
def login(client):
    """``login(email)`` logs the test client in as that member of the demo cast."""

    def _login(email: str):
        from accounts.models import User

        user = User.objects.get(email=email)
        assert user.check_password(demo.DEFAULT_PASSWORD), email
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(url), "CELERY_BROKER_URL is not set: no Redis broker to test against")
    return url


# --- Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright() -> Iterator[object]:
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright) -> Iterator[object]:
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped test is a failure: every service must be there."""
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"CI=true but {len(skipped)} test(s) were skipped: failing the run.", red=True
        )
        session.exitstatus = 1
