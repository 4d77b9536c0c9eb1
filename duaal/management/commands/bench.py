"""Benchmark the main pages: median and p95 time and the number of queries per request."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from partnerships.models import Organisation


class Command(BaseCommand):
    help = "Time the main pages with Django's test client on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--iterations", type=int, default=50)
        parser.add_argument("--user", default="tb@sintjozef.demo", help="demo account to browse as")

    def handle(self, *args: Any, iterations: int, user: str, **options: Any) -> None:
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        member = User.objects.get(email=user)
        organisation = Organisation.objects.filter(memberships__user=member).first()
        client = Client()
        client.force_login(member)
        pages = {
            "healthz": "/healthz",
            "login page": "/accounts/login/",
            "home": "/",
        }
        if organisation:
            pages["organisation detail"] = f"/organisations/{organisation.public_id}/"

        self.stdout.write(f"{connection.vendor}, {iterations} requests per page, as {user}")
        self.stdout.write(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for name, path in pages.items():
            anonymous = name == "login page"
            browser = Client() if anonymous else client
            browser.get(path)  # warm up
            timings = []
            queries = 0
            for _ in range(iterations):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = browser.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")
                queries = len(captured.captured_queries)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            self.stdout.write(
                f"{name:<22}{statistics.median(timings):>10.1f}{p95:>10.1f}{queries:>9}"
            )
