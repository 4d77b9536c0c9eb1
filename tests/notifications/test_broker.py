"""Reminders through the real pipeline: Redis, a real Celery worker process, a real SMTP sink.

The sink is aiosmtpd on 127.0.0.1; the worker's EMAIL_HOST/EMAIL_PORT point at it. Messages
are counted at the sink by Message-ID: "exactly once" means as many distinct ids as rows, and
no id twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import DeliveryStatus, Reminder
from notifications.services.reminders import reminders_sweep
from tests.conftest import require

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3  # the test process claims with this lease; the worker's is the same


class SinkHandler:
    """Records accepted messages; can refuse (4xx/5xx) or stall on the first DATA."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.accepted: list[str] = []
        self.attempts: list[tuple[float, str]] = []
        self.refuse_with: str | None = None
        self.stall_first_seconds = 0.0
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        self.attempts.append((time.monotonic(), message_id))
        if self.refuse_with:
            return self.refuse_with
        if self.stall_first_seconds and not self.stalled.is_set():
            self.stalled.set()
            # The client is killed meanwhile: aiosmtpd cancels this coroutine on connection
            # loss, so the message is never accepted (as a real server would drop it).
            await asyncio.sleep(self.stall_first_seconds)
        self.accepted.append(message_id)
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.accepted) < count and time.monotonic() < deadline:
            time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


class Worker:
    """A `celery worker` process on all queues, concurrency 1, in its own process group."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="duaal-worker-", suffix=".log")[1])

    def start(self) -> None:
        self.log.write_text("")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "duaal",
                "worker",
                "-Q",
                "default,mail,pdf",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"notifications-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while " ready." not in self.log.read_text():
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, "worker did not start:\n" + self.log.read_text()
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole process group (main process and pool child) mid-flight."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


@pytest.fixture(scope="module")
def pipeline(django_db_setup, django_db_blocker):
    """The sink and one worker for the module (the kill test replaces the worker)."""
    from aiosmtpd.controller import Controller

    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(broker_url), "CELERY_BROKER_URL is not set: no Redis broker to test against")
    with django_db_blocker.unblock():
        vendor = connection.vendor
        database_url = _database_url() if vendor == "postgresql" else ""
    require(vendor == "postgresql", "needs PostgreSQL: the worker must share the test database")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    handler = SinkHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker_url,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "PYTHONUNBUFFERED": "1",
    }
    worker = Worker(env)
    _purge_broker()
    worker.start()
    state = {"handler": handler, "worker": worker}
    yield state
    state["worker"].stop()
    controller.stop()
    _purge_broker()


def _purge_broker() -> None:
    """Empty the queues and forget unacknowledged messages of earlier (killed) workers."""
    from duaal.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for queue in ("default", "mail", "pdf"):
            with contextlib.suppress(Exception):  # a queue that does not exist yet is empty
                channel.queue_purge(queue)
        client = getattr(channel, "client", None)
        if client is not None:
            client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def sink(pipeline, settings):
    settings.DUAAL_REMINDER_LEASE_SECONDS = LEASE_SECONDS
    pipeline["handler"].reset()
    yield pipeline["handler"]
    pipeline["handler"].reset()


def _scene(*, invitations: int, partnership_status: str = "preparation"):
    """A school partnership and an inviter with ``invitations`` open invitations sent 8 days
    ago: each is one due reminder for the inviter (no other rule is due)."""
    from accounts.models import User
    from learning.models import Opleiding
    from learning.reference import ensure_opleidingen
    from organisations.models import Organisation
    from partnerships.models import Invitation, Partnership

    ensure_opleidingen()
    school = Organisation.objects.create(
        kind="school", name="Broker School", instellingsnummer="990001"
    )
    partnership = Partnership.objects.create(
        name="Broker duaal",
        school=school,
        opleiding=Opleiding.objects.first(),
        school_year=timezone.localdate().year,
        status=partnership_status,
    )
    inviter = User.objects.create_user("inviter@broker.test", "x", full_name="Ina Viter")
    sent = timezone.now() - timedelta(days=8)
    Invitation.objects.bulk_create(
        [
            Invitation(
                partnership=partnership,
                organisation=school,
                email=f"person{n}@broker.test",
                full_name=f"Person {n}",
                role="leerkracht",
                invited_by=inviter,
                token_hash=f"{n:064d}",
                sent_at=sent,
                expires_at=sent + timedelta(days=14),
            )
            for n in range(invitations)
        ]
    )
    return partnership, inviter


def _wait_for_rows(status: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while Reminder.objects.filter(status=status).count() < count:
        assert time.monotonic() < deadline, Counter(
            Reminder.objects.values_list("status", flat=True)
        )
        time.sleep(0.1)


def _assert_exactly_once(sink: SinkHandler, count: int) -> None:
    time.sleep(0.5)  # a duplicate, if any, would arrive now
    ids = Counter(sink.accepted)
    assert len(ids) == count, len(ids)
    assert sum(ids.values()) == count, [i for i, n in ids.items() if n > 1]
    assert set(ids) == set(Reminder.objects.values_list("message_id", flat=True))


def test_200_due_reminders_are_200_distinct_messages(sink):
    _scene(invitations=200)
    result = reminders_sweep()
    assert len(result.claimed) == 200
    _wait_for_rows(DeliveryStatus.SENT, 200)
    sink.wait_for(200)
    _assert_exactly_once(sink, 200)
    assert all(i.startswith("<reminder-") and i.endswith("@duaal>") for i in sink.accepted)


def test_two_sweepers_and_a_second_beat_send_no_duplicate(sink):
    from notifications.tasks import sweep_reminders

    _scene(invitations=60)
    barrier = threading.Barrier(3)
    results = []

    def sweeper() -> None:
        try:
            barrier.wait()
            results.append(reminders_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    barrier.wait()
    beats = [sweep_reminders.delay(), sweep_reminders.delay()]  # two beats, in the worker
    for thread in threads:
        thread.join(30)
    for beat in beats:
        beat.get(timeout=60)
    assert sum(len(r.claimed) for r in results) <= 60
    _wait_for_rows(DeliveryStatus.SENT, 60)
    # ... and running the sweeper twice more afterwards.
    assert reminders_sweep().claimed == [] and reminders_sweep().claimed == []
    _assert_exactly_once(sink, 60)


def test_a_worker_killed_mid_send_and_restarted_sends_each_once(pipeline, sink):
    from notifications.tasks import send_reminder

    _scene(invitations=5)
    sink.stall_first_seconds = 8
    first = reminders_sweep()
    assert sink.stalled.wait(30), "the first message never reached the sink"
    time.sleep(0.3)
    pipeline["worker"].kill()  # SIGKILL while the SMTP server holds the first DATA
    stuck = Reminder.objects.get(status=DeliveryStatus.SENDING, attempts=1)
    assert sink.accepted == []

    pipeline["worker"].start()  # a new worker takes the four messages still queued
    _wait_for_rows(DeliveryStatus.SENT, 4)
    # The killed task's message stays unacknowledged in Redis; its row waits for the lease.
    time.sleep(max(0.0, (stuck.lease_until - timezone.now()).total_seconds()) + 0.2)
    again = reminders_sweep()
    assert again.claimed == [stuck.pk] and again.reclaimed == 1
    _wait_for_rows(DeliveryStatus.SENT, 5)
    # Redelivered late, the dead worker's task carries the old claim token: nothing is sent.
    assert send_reminder.delay(stuck.pk, str(first.token)).get(timeout=30) == "stale"
    _assert_exactly_once(sink, 5)
    stuck.refresh_from_db()
    assert stuck.attempts == 2


def test_a_rolled_back_transaction_queues_nothing(sink):
    with pytest.raises(RuntimeError), transaction.atomic():
        _scene(invitations=3)
        assert len(reminders_sweep().claimed) == 3
        raise RuntimeError("roll back")
    time.sleep(1.5)
    assert sink.attempts == [] and not Reminder.objects.exists()
    # The same, committed, goes out: the pipeline was listening.
    _scene(invitations=3)
    reminders_sweep()
    _wait_for_rows(DeliveryStatus.SENT, 3)
    _assert_exactly_once(sink, 3)


def test_smtp_failure_retries_with_back_off_and_ends_failed(sink, client):
    from accounts.models import User
    from duaal.celery import app
    from organisations.models import Membership
    from partnerships.models import TeamMember
    from partnerships.services.grants import partnership_sync_grants
    from partnerships.services.partnerships import raci_initialise

    sink.refuse_with = "451 4.3.0 Mailbox temporarily unavailable"
    partnership, inviter = _scene(invitations=1)
    # The inviter coordinates the partnership, so the reminders page is theirs to read.
    raci_initialise(partnership=partnership)
    Membership.objects.create(user=inviter, organisation=partnership.school, is_admin=True)
    TeamMember.objects.create(
        partnership=partnership,
        user=inviter,
        role="coordinator_school",
        organisation=partnership.school,
    )
    partnership_sync_grants(partnership=partnership)
    assert app.conf.task_always_eager is False
    reminders_sweep()
    _wait_for_rows(DeliveryStatus.FAILED, 1, timeout=30)
    reminder = Reminder.objects.get()
    assert reminder.attempts == 3  # the worker's DUAAL_REMINDER_MAX_ATTEMPTS
    assert "451" in reminder.last_error
    times = [moment for moment, _ in sink.attempts]
    assert len(times) == 3 and sink.accepted == []
    first_wait, second_wait = times[1] - times[0], times[2] - times[1]
    assert first_wait >= 0.35 and second_wait >= 0.75 and second_wait > first_wait  # 0.4 s, 0.8 s
    client.force_login(User.objects.get(pk=inviter.pk))
    client.cookies["duaal_language"] = "en"
    response = client.get("/notifications/reminders/")
    html = response.content.decode()
    assert response.status_code == 200, html[html.find("<main") :][:500]
    assert (
        'data-status="failed"' in html and "SMTP 451: 4.3.0 Mailbox temporarily unavailable" in html
    )
