"""A real Celery worker consuming the ``pdf`` queue through the real Redis renders the PDF;
a render over the soft time limit fails as "took too long" and the same worker goes on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from documents.models import DocumentFailure, DocumentStatus, GeneratedDocument
from partnerships.documents import RaciMatrix, TrajectSheet
from tests.conftest import require
from tests.documents.conftest import a1, lotte, pdf_text, squash

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
HTMX = {"HTTP_HX_REQUEST": "true"}


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def pdf_worker(broker_url, private_storage, demo_cast):
    """A worker process on the ``pdf`` queue only, sharing the test database and storage."""
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL: the worker must share the test database",
    )
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker_url,
        "DATABASE_URL": _database_url(),
        "DUAAL_PRIVATE_ROOT": str(private_storage),
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "duaal",
            "worker",
            "-Q",
            "pdf",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"pdf-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def _wait_until_finished(document_id: int, timeout: float = 90) -> GeneratedDocument:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = GeneratedDocument.objects.get(pk=document_id)
        if document.is_finished:
            return document
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} still {document.status} after {timeout} s")


def test_a_real_worker_renders_the_raci_pdf_end_to_end(pdf_worker, client, login):
    login("coord@sintjozef.demo")
    response = client.post(reverse("documents:document_request", args=["raci", a1().public_id]))
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    status_url = reverse("documents:document_detail", args=[document.public_id])

    # The page polls its fragment until the worker is done.
    deadline = time.monotonic() + 90
    fragment = ""
    while time.monotonic() < deadline:
        fragment = client.get(status_url, **HTMX).content.decode()
        if 'data-status="ready"' in fragment or 'data-status="failed"' in fragment:
            break
        assert "hx-trigger" in fragment
        time.sleep(0.25)
    assert 'data-status="ready"' in fragment, fragment
    assert "hx-trigger" not in fragment

    document.refresh_from_db()
    assert document.attempts == 1 and document.started_at and document.finished_at
    download = client.get(reverse("documents:document_download", args=[document.public_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-") and len(content) == document.size
    text = squash(pdf_text(content))
    assert "Jaarplanning" in text and "AnPeeters" in text
    assert pdf_worker.poll() is None, "the worker process died"


def test_a_render_over_the_soft_time_limit_fails_and_the_worker_goes_on(pdf_worker, demo_cast):
    from documents.tasks import render_document
    from partnerships.models import Placement

    # A traject sheet of a few hundred pages takes seconds to lay out.
    traject = lotte()
    first = traject.placements.get()
    start = date(2000, 1, 3)
    Placement.objects.bulk_create(
        Placement(
            traject=traject,
            company_id=first.company_id,
            vestiging_id=first.vestiging_id,
            start_date=start + timedelta(days=7 * i),
            end_date=start + timedelta(days=7 * i + 4),
            workplace_hours_per_week=Decimal("22.5"),
        )
        for i in range(600)
    )
    slow = GeneratedDocument.objects.create(
        kind=TrajectSheet.code,
        traject=traject,
        requester=demo_cast["tb@sintjozef.demo"],
    )
    render_document.apply_async(args=[slow.pk], soft_time_limit=1, time_limit=60)
    slow = _wait_until_finished(slow.pk)
    assert slow.status == DocumentStatus.FAILED, slow.pages
    assert slow.failure == DocumentFailure.TIMEOUT
    assert not slow.file

    # The same worker takes the next document and renders it.
    fine = GeneratedDocument.objects.create(
        kind=RaciMatrix.code, partnership=a1(), requester=demo_cast["tb@sintjozef.demo"]
    )
    render_document.delay(fine.pk)
    fine = _wait_until_finished(fine.pk)
    assert fine.status == DocumentStatus.READY
    assert pdf_worker.poll() is None, "the worker process died"
