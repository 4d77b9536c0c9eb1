"""A real Celery worker process against the real Redis broker runs tasks and returns results."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def worker(broker_url):
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "PYTHONUNBUFFERED": "1"}
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _database_url()
    proc = subprocess.Popen(
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
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def test_worker_runs_a_task_and_returns_its_result(worker):
    from duaal.tasks import ping

    token = f"pong-{time.time_ns()}"
    result = ping.apply_async(args=[token])
    assert result.get(timeout=60) == token
    assert worker.poll() is None, "the worker process died"


@pytest.mark.django_db(transaction=True)
def test_worker_reads_the_same_database(worker, demo_cast):
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL: the worker must share the test database",
    )
    from duaal.tasks import count_users

    assert count_users.delay().get(timeout=60) == len(demo_cast)
