"""Seeded database states, built once per session and shared by the tests that ask for them.

Seeding the demo cast takes a few hundred queries; seeding it inside every test made it the
bulk of the suite's time. Instead, a *state* (such as "the demo cast") is built once and
committed; every test runs in a transaction that is rolled back, so the next test finds the
state again.

* A test asks for a state through a fixture: ``demo_cast`` asks for ``demo``; a conftest can
  register more (``register``), e.g. the demo seeded on a fixed day, or the demo plus a few
  objects. A database test that asks for none gets the database as the migrations left it.
* Before a test's transaction opens (``pytest_fixture_setup`` of pytest-django's
  ``_django_db_helper``, see tests/conftest.py), ``prepare`` brings the committed database
  into the state the test asks for: flush, reload what the migrations wrote, build the state.
  The tests are sorted so that those of one state run together (``sort_key``); the order
  never changes the outcome, only how often a state is rebuilt.
* Tests with ``transactional_db``/``live_server`` commit and are flushed afterwards: the
  committed state is then unknown and rebuilt for the next test that needs it. Their state
  fixture builds it directly (committed; their flush removes it).
* The state fixture checks with one query that the state is really there; if not (a fixture
  fetched with ``request.getfixturevalue``, say), it builds it inside the test's
  transaction: slower, never wrong.

Built outside any test, a state gets its own settings: MD5 password hashing, Celery tasks run
eagerly, files in the state's own folder (copied into the test's private storage when the
test asks for the state), e-mails it sends are dropped, the default language.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

MIGRATED = "migrated"


@dataclass(frozen=True)
class State:
    name: str
    fixture: str  # a test that uses this fixture (directly or not) asks for the state
    build: Callable[[], None]  # from the migrated database; runs inside a transaction
    present: Callable[[], bool]  # one cheap query: is the built state there?
    # The state is rebuilt when this changes (the demo: the day it was seeded on).
    version: Callable[[], object] = lambda: None
    priority: int = 0  # when a test asks for several states, the highest priority wins
    folder: Path = Path(".")  # applies to the tests under this folder


@dataclass
class _Session:
    states: dict[str, State] = field(default_factory=dict)
    migrated: str | None = None  # the database after the migrations, serialised
    current: tuple[str, object] | None = None  # the committed state; None: unknown
    files: Path | None = None  # where a state built outside a test keeps its files
    builds: int = 0  # how many times a state was built outside a test (for the curious)


SESSION = _Session()


def register(
    name: str,
    *,
    fixture: str,
    build: Callable[[], None],
    present: Callable[[], bool],
    version: Callable[[], object] = lambda: None,
    priority: int = 0,
    folder: str | Path,
) -> None:
    """Register a state; ``folder`` is the folder of the conftest that defines ``fixture``."""
    SESSION.states[name] = State(
        name, fixture, build, present, version, priority, Path(folder).resolve()
    )


def wanted(item: pytest.Item, also: str | None = None) -> State | None:
    """The state ``item`` asks for (None: the migrated database)."""
    names = set(getattr(item, "fixturenames", ()))
    if also:
        names.add(also)
    path = Path(str(item.path)).resolve()
    candidates = [
        state
        for state in SESSION.states.values()
        if state.fixture in names and path.is_relative_to(state.folder)
    ]
    return max(candidates, key=lambda state: state.priority, default=None)


def is_transactional(item: pytest.Item) -> bool:
    """As pytest-django decides it: such a test commits, and is flushed afterwards."""
    from pytest_django.fixtures import validate_django_db

    names = set(getattr(item, "fixturenames", ()))
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & names:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_rest = validate_django_db(marker)
    return bool(transaction or reset_sequences)


def uses_db(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server", "django_db_reset_sequences"} & names
    )


def sort_key(item: pytest.Item) -> tuple[int, int]:
    """Database tests first, transactional ones next, the rest last (as pytest-django sorts);
    within each, the tests of one state together."""
    kind = (1 if is_transactional(item) else 0) if uses_db(item) else 2
    state = wanted(item)
    order = list(SESSION.states)
    return kind, (order.index(state.name) + 1 if state else 0)


def _key(state: State | None) -> tuple[str, object]:
    return (state.name, state.version()) if state else (MIGRATED, None)


# --- the session ------------------------------------------------------------------------


def session_start(files: Path) -> None:
    """Right after the test database is created: remember what the migrations wrote."""
    from django.db import connection

    SESSION.migrated = connection.creation.serialize_db_to_string()
    SESSION.current = (MIGRATED, None)
    SESSION.files = files


def session_finish() -> None:
    """Leave the database as the migrations left it (for ``--reuse-db``)."""
    if SESSION.migrated is not None and SESSION.current != (MIGRATED, None):
        _reset()
        SESSION.current = (MIGRATED, None)


def prepare(item: pytest.Item) -> None:
    """Before the test's transaction opens: commit the state ``item`` asks for.

    A transactional test commits and is flushed afterwards, so the committed state is unknown
    after it; if it asks for a state, its fixture builds it (``require``), so that a test
    skipped before that costs nothing.
    """
    if SESSION.migrated is None:
        return
    state = wanted(item)
    if not is_transactional(item):
        _commit(state)
        return
    if state is None:
        _commit(None)
    SESSION.current = None


def require(request: pytest.FixtureRequest, fixture: str) -> State:
    """In a state fixture: make sure the state the test asks for is there; return it."""
    from django.db import connection

    state = wanted(request.node, also=fixture)
    assert state is not None, f"no state is registered for the fixture {fixture!r}"
    if SESSION.migrated is not None and not connection.in_atomic_block:
        # A transactional test: commit the state; the test's flush removes it.
        _commit(state)
        SESSION.current = None
    elif SESSION.current != _key(state) or not state.present():
        # Not prepared before the transaction opened: build it inside, rolled back with it.
        SESSION.current = None
        if SESSION.migrated is not None:
            _reset()
        with _quiet_mail():
            state.build()
        return state
    _copy_files(state, request)
    return state


def _commit(state: State | None) -> None:
    key = _key(state)
    if SESSION.current == key:
        return
    SESSION.current = None
    _reset()
    if state is not None:
        folder = SESSION.files / state.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with _outside_a_test(folder):
            state.build()
        SESSION.builds += 1
    SESSION.current = key


def _reset() -> None:
    """Empty every table, then reload what the migrations wrote (as Django's
    ``serialized_rollback`` does)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(SESSION.migrated)
    # flush restarted the sequences and the reload wrote explicit ids: move each sequence past
    # them, or the next insert collides with a reloaded row (PostgreSQL; no-op on SQLite).
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _copy_files(state: State, request: pytest.FixtureRequest) -> None:
    """The files of a committed state, into this test's private storage."""
    if SESSION.files is None:
        return
    source = SESSION.files / state.name
    if source.is_dir() and any(source.iterdir()):
        shutil.copytree(source, request.getfixturevalue("private_storage"), dirs_exist_ok=True)


@contextmanager
def _quiet_mail() -> Iterator[None]:
    """E-mails sent while building a state are not the test's e-mails."""
    from django.core import mail

    outbox = getattr(mail, "outbox", None)
    before = list(outbox) if outbox is not None else None
    try:
        yield
    finally:
        if outbox is not None:
            mail.outbox[:] = before


@contextmanager
def _outside_a_test(files: Path) -> Iterator[None]:
    """The settings the autouse fixtures of tests/conftest.py give a test."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings
    from django.utils import translation

    from duaal.celery import app

    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": files, "base_url": None},
        },
    }
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                STORAGES=storages,
            ),
            translation.override(settings.LANGUAGE_CODE),
            _quiet_mail(),
            transaction.atomic(),
        ):
            yield
    finally:
        app.conf.task_always_eager = eager


# --- the demo ---------------------------------------------------------------------------


def seed_demo() -> None:
    """``seed_demo --no-reminder-cases``: the cast alone (the extra tenant with due reminders
    has its own tests in tests/notifications)."""
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", "--no-reminder-cases", stdout=devnull)


def demo_present() -> bool:
    from accounts.models import User
    from organisations import demo
    from partnerships.models import Traject

    # The cast's last person and the partnerships' trajects (seeded by the partnerships app).
    return User.objects.filter(email=demo.PEOPLE[-1].email).exists() and Traject.objects.exists()


def today() -> object:
    from django.utils import timezone

    return timezone.localdate()
