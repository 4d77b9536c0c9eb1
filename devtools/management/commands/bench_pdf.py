"""Benchmark the PDF rendering: the RACI matrix of A1, a 12-page traject sheet, and memory.

Each render is what the ``pdf`` worker does for a document minus storing the file: load the
subject, build the context, render the template, lay it out and write the PDF with WeasyPrint.
Targets (docs/QUALITY.md, issue 4): RACI ≤ 1 s, 12-page traject/report PDF ≤ 1.5 s (median),
and a resident set that stays flat over 200 renders. Each median is judged against its target
and, as a ratio, against a reference loop timed between the renders (``devtools.judging``): a
miss is reported loudly and fails the command (exit status 1) only with ``--strict``; memory
that grows always fails it.

The 12-page document is Lotte's traject sheet padded with extra placements inside a
transaction that is rolled back: the database is left as it was.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from accounts.models import User
from devtools.judging import Judge, Reference, add_strict_argument
from documents import services
from documents.models import GeneratedDocument
from partnerships.documents import RaciMatrix, TrajectSheet
from partnerships.models import Partnership, Placement, Traject

RACI_TARGET_MS = 1000
REPORT_TARGET_MS = 1500
REPORT_PAGES = 12
# Growth of the resident set allowed between the first and the last quarter of the loop.
FLAT_MB = 10


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def rss_mb() -> float:
    """This process's resident set (VmRSS of /proc/self/status), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise CommandError("VmRSS not found in /proc/self/status (Linux only)")


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the PDF rendering (RACI matrix, 12-page traject sheet) and watch the memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--iterations", type=int, default=20, help="timed renders per PDF")
        parser.add_argument(
            "--memory-renders", type=int, default=200, help="renders of the memory loop"
        )
        add_strict_argument(parser)

    def handle(
        self,
        *args: Any,
        iterations: int,
        memory_renders: int,
        strict: bool = False,
        **options: Any,
    ) -> None:
        # WeasyPrint logs every layout step at INFO: keep the table readable.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        requester = User.objects.get(email="coord@sintjozef.demo")
        partnership = Partnership.objects.get(
            name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
        )
        raci = GeneratedDocument(kind=RaciMatrix.code, partnership=partnership, requester=requester)
        judge = Judge(self, strict=strict)

        self.stdout.write(
            f"PDF rendering, {connection.vendor}, {iterations} renders per row after warm-up "
            "(subject query + template + WeasyPrint layout + PDF)"
        )
        self.stdout.write(f"{'document':<34}{'pages':>6}{'KB':>7}{'median ms':>11}{'p95 ms':>9}")
        reference = Reference()
        median = self._row(
            "RACI matrix A1", lambda: services.document_pdf(document=raci), iterations, reference
        )
        judge.figure("RACI matrix A1 median", median, target=RACI_TARGET_MS, reference=reference)

        try:
            with transaction.atomic():
                sheet = self._padded_traject_sheet(requester, partnership)
                reference = Reference()
                median = self._row(
                    f"traject sheet ({REPORT_PAGES} pages)",
                    lambda: services.document_pdf(document=sheet),
                    iterations,
                    reference,
                )
                judge.figure(
                    f"{REPORT_PAGES}-page traject sheet median",
                    median,
                    target=REPORT_TARGET_MS,
                    reference=reference,
                )
                raise _Rollback
        except _Rollback:
            pass

        for failure in self._memory(lambda: services.document_pdf(document=raci), memory_renders):
            judge.error(failure)
        judge.finish("Every PDF target is met.")

    def _row(
        self, label: str, render: Callable[[], Any], iterations: int, reference: Reference
    ) -> float:
        result = render()  # warm up: fonts, templates, WeasyPrint's caches
        timings = []
        for _ in range(iterations):
            reference.sample()
            start = time.perf_counter()
            render()
            timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        self.stdout.write(
            f"{label:<34}{result.pages:>6}{len(result.content) // 1024:>7}"
            f"{median:>11.1f}{_p95(timings):>9.1f}"
        )
        return median

    def _padded_traject_sheet(self, requester: User, partnership: Partnership) -> GeneratedDocument:
        """Lotte's traject sheet with weekly placements added until it fills 12 pages."""
        traject = Traject.objects.get(partnership=partnership, student__first_name="Lotte")
        first = traject.placements.order_by("start_date").first()
        sheet = GeneratedDocument(kind=TrajectSheet.code, traject=traject, requester=requester)
        start = date(2000, 1, 3)
        added = 0
        pages = services.document_pdf(document=sheet).pages
        while pages < REPORT_PAGES:
            more = max(1, (REPORT_PAGES - pages) * 3)
            Placement.objects.bulk_create(
                Placement(
                    traject=traject,
                    company_id=first.company_id,
                    vestiging_id=first.vestiging_id,
                    start_date=start + timedelta(days=7 * (added + i)),
                    end_date=start + timedelta(days=7 * (added + i) + 4),
                    workplace_hours_per_week=Decimal("22.5"),
                )
                for i in range(more)
            )
            added += more
            pages = services.document_pdf(document=sheet).pages
        if pages != REPORT_PAGES:
            # Trim to exactly twelve pages.
            while pages > REPORT_PAGES:
                Placement.objects.filter(traject=traject).order_by("-start_date").first().delete()
                pages = services.document_pdf(document=sheet).pages
        return sheet

    def _memory(self, render: Callable[[], Any], renders: int) -> list[str]:
        for _ in range(5):
            render()
        samples = [(0, rss_mb())]
        step = max(1, renders // 8)
        for index in range(1, renders + 1):
            render()
            if index % step == 0 or index == renders:
                samples.append((index, rss_mb()))
        quarter = [rss for index, rss in samples if index >= renders // 4]
        growth = samples[-1][1] - quarter[0]
        flat = growth <= FLAT_MB
        self.stdout.write("")
        self.stdout.write(
            f"Memory: {renders} renders of the RACI matrix in one process (VmRSS, MB)"
        )
        self.stdout.write("  " + "  ".join(f"{index}: {rss:.0f}" for index, rss in samples))
        self.stdout.write(
            f"  start {samples[0][1]:.1f} MB, end {samples[-1][1]:.1f} MB, "
            f"growth after the first quarter {growth:+.1f} MB "
            f"({'flat' if flat else 'GROWING'}; allowed {FLAT_MB} MB)"
        )
        self.stdout.write(
            "  The pdf worker also replaces each child process after "
            f"{settings.CELERY_WORKER_MAX_TASKS_PER_CHILD} tasks "
            "(CELERY_WORKER_MAX_TASKS_PER_CHILD), which bounds any slow growth."
        )
        return [] if flat else [f"memory grew {growth:.1f} MB over {renders} renders"]
