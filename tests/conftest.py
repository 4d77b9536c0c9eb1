"""Shared test set-up: the demo cast, service gates and the browser.

The demo cast is seeded once per session and committed; every test rolls back to it (see
tests/seeding.py).

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

from duaal import demo
from tests import seeding

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
def _empty_cache() -> None:
    """Django's cache (the password-reset throttle counts in it) starts empty in every test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _cold_content_type_cache() -> None:
    """Django caches content types per process: each test starts without, so a query count
    never depends on which tests ran before."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


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


# --- Seeded states (tests/seeding.py) ------------------------------------------------------

seeding.register(
    "demo",
    fixture="demo_cast",
    build=seeding.seed_demo,
    present=seeding.demo_present,
    version=seeding.today,  # seeded on another day, the demo has other dates
    folder=Path(__file__).parent,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """The test database, as the migrations left it; seeded states come and go on top."""
    with django_db_blocker.unblock():
        seeding.session_start(tmp_path_factory.mktemp("states"))
    yield
    with django_db_blocker.unblock():
        seeding.session_finish()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """pytest-django opens a test's transaction in ``_django_db_helper``: just before, commit
    the seeded state the test asks for."""
    if fixturedef.argname == "_django_db_helper":
        with request.getfixturevalue("django_db_blocker").unblock():
            seeding.prepare(request.node)
    return (yield)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of one seeded state run together (pytest-django's order otherwise)."""
    items.sort(key=seeding.sort_key)


@pytest.fixture
def demo_cast(request, db) -> dict[str, object]:
    """The demo cast (``seed_demo --no-reminder-cases``): its users by e-mail address.

    Seeded once and rolled back after each test, so a test may change it freely."""
    from accounts.models import User

    seeding.require(request, "demo_cast")
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


def pytest_terminal_summary(terminalreporter, exitstatus: int, config) -> None:
    if config.option.verbose > 0 and seeding.SESSION.builds:
        terminalreporter.write_line(
            f"Seeded states were built {seeding.SESSION.builds} time(s) (tests/seeding.py)."
        )


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
