"""CPU time per request of every page of the load test's mix (issue 13), in-process.

``python manage.py cpu_per_page --repeat 20`` picks users of the four groups as ``loadtest``
does (same ``Plan``, same seed), signs each in (``force_login``: a real session row or cache
entry of the configured session engine) and requests every action of their mix through
Django's test client: pages are GETs, an autosave is the sheet's GET followed by the POST of
its form with one radio changed (as the load test does), the PDF request is the POST of the
traject page's form (with ``CELERY_BROKER_URL`` set it is queued, as in the load test; without
it Celery is eager and renders the PDF in the request).

For every (group, action) it prints the median and the mean of the process CPU time
(``time.process_time``) over ``--repeat`` requests after one warm-up, the number of queries
(``connection.execute_wrapper``) and the CPU the PostgreSQL backend spent meanwhile (from
``/proc``, when the server runs on this machine and this process may read it). The figures
do not depend on how busy the other cores are, unlike wall-clock timings; the machine's load
still costs caches, so compare runs made under similar load. ``--profile LABEL`` writes a
cProfile of that action (``group: label``) to ``--profile-out``.
"""

from __future__ import annotations

import cProfile
import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client

from devtools.loadtest import Action, find_form
from devtools.management.commands.loadtest import GROUPS, Plan, cpu_seconds


class _Counter:
    """A ``connection.execute_wrapper`` counting statements."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        self.queries += 1
        return execute(sql, params, many, ctx)


def _backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


class Command(BaseCommand):
    help = "CPU time per request of each page of the load-test mix (test client, in-process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--users", type=int, default=2, help="users per group")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--only", default="", help="only labels containing this text")
        parser.add_argument(
            "--profile", default="", help="cProfile this 'group: label' ('all': every request)"
        )
        parser.add_argument("--profile-out", default="var/cpu_per_page.prof")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan(per_group=options["users"], rng=random.Random(options["seed"]))  # noqa: S311
        plan.build()
        self.repeat = int(options["repeat"])
        self.profile_label = options["profile"]
        self.profiler = cProfile.Profile(time.process_time) if self.profile_label else None
        self.rng = random.Random(options["seed"])  # noqa: S311
        # (group: label) -> list of (cpu seconds, queries, backend cpu seconds or None)
        self.samples: dict[str, list[tuple[float, int, float | None]]] = defaultdict(list)
        # group -> list of (weight, CPU ms of one action, its requests, PostgreSQL CPU ms)
        self.mix: dict[str, list[tuple[int, float, int, float]]] = defaultdict(list)
        for group in GROUPS:
            for user, actions in plan.users[group]:
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user)
                for action in actions:
                    label = f"{group}: {action.label}"
                    if options["only"] and options["only"] not in label:
                        continue
                    before = {k: len(v) for k, v in self.samples.items()}
                    self._measure(client, label, action)
                    parts = [
                        k
                        for k in (label, label + " (page)")
                        if len(self.samples.get(k, ())) > before.get(k, 0)
                    ]
                    if label in parts:
                        cpu = sum(
                            statistics.median(r[0] for r in self.samples[k][before.get(k, 0) :])
                            for k in parts
                        )
                        db = sum(
                            statistics.mean(
                                [r[2] or 0.0 for r in self.samples[k][before.get(k, 0) :]]
                            )
                            for k in parts
                        )
                        requests = len(parts) + (action.kind == "submit")  # + the redirect
                        self.mix[group].append((action.weight, cpu * 1000, requests, db * 1000))
        self._report()
        if self.profiler is not None:
            out = Path(options["profile_out"])
            out.parent.mkdir(parents=True, exist_ok=True)
            self.profiler.dump_stats(out)
            self.stdout.write(f"profile of {self.profile_label!r} in {out}")

    def _request(self, client: Client, label: str, call: Callable[[], Any]) -> Any:
        counter = _Counter()
        pid = _backend_pid()
        db_before = cpu_seconds(pid) if pid else None
        profiling = (
            self.profiler is not None and self._measuring and self.profile_label in (label, "all")
        )
        with connection.execute_wrapper(counter):
            if profiling:
                self.profiler.enable()  # type: ignore[union-attr]
            started = time.process_time()
            response = call()
            cpu = time.process_time() - started
            if profiling:
                self.profiler.disable()  # type: ignore[union-attr]
        db_after = cpu_seconds(pid) if pid and _backend_pid() == pid else None
        db = db_after - db_before if db_before is not None and db_after is not None else None
        if self._measuring:
            self.samples[label].append((cpu, counter.queries, db))
        if response.status_code >= 400:
            self.stderr.write(f"{label}: status {response.status_code}")
        return response

    def _measure(self, client: Client, label: str, action: Action) -> None:
        for i in range(self.repeat + 1):
            self._measuring = i > 0  # the first request warms caches and templates up
            if action.kind == "get":
                self._request(client, label, lambda: client.get(action.url, follow=True))
                continue
            page = self._request(
                client, label + " (page)", lambda: client.get(action.url, follow=True)
            )
            form = find_form(page.content.decode(), action.form)
            if form is None:
                self.stderr.write(f"{label}: no form with {action.form!r}")
                return
            target = urlsplit(form.action).path or page.request["PATH_INFO"]
            data: dict[str, list[str]] = defaultdict(list)
            for name, value in form.fields:
                data[name].append(value)
            if action.kind == "autosave":
                groups = [n for n, values in form.radios.items() if len(values) > 1]
                if groups:
                    name = self.rng.choice(groups)
                    current = data.get(name, [None])[0]
                    data[name] = [self.rng.choice([v for v in form.radios[name] if v != current])]
                self._request(
                    client,
                    label,
                    lambda target=target, data=data: client.post(
                        target, data, headers={"X-Autosave": "1", "Accept": "application/json"}
                    ),
                )
            else:
                self._request(
                    client,
                    label,
                    lambda target=target, data=data: client.post(target, data, follow=True),
                )

    def _report(self) -> None:
        self.stdout.write(
            f"{'':<48}{'n':>4}{'CPU med ms':>11}{'mean ms':>9}{'queries':>8}{'PG ms':>7}"
        )
        totals = []
        for label in sorted(self.samples):
            rows = self.samples[label]
            cpus = [r[0] * 1000 for r in rows]
            queries = sorted({r[1] for r in rows})
            dbs = [r[2] * 1000 for r in rows if r[2] is not None]
            db = f"{statistics.mean(dbs):7.1f}" if dbs else "      -"
            q = str(queries[0]) if len(queries) == 1 else f"{queries[0]}-{queries[-1]}"
            self.stdout.write(
                f"{label:<48}{len(rows):>4}{statistics.median(cpus):>11.1f}"
                f"{statistics.mean(cpus):>9.1f}{q:>8}{db}"
            )
            totals.extend(cpus)
        per_group = []
        for group, rows in self.mix.items():
            weight = sum(w * n for w, _, n, _ in rows)
            cpu = sum(w * c for w, c, _, _ in rows) / weight
            db = sum(w * d for w, _, _, d in rows) / weight
            per_group.append((cpu, db))
            self.stdout.write(
                f"{group}: weighted mix {cpu:.1f} ms CPU per request + PostgreSQL {db:.1f} ms"
            )
        if per_group:
            cpu = statistics.mean(c for c, _ in per_group)
            db = statistics.mean(d for _, d in per_group)
            self.stdout.write(
                f"load-test mix (groups alike): {cpu:.1f} ms CPU per request + PostgreSQL "
                f"{db:.1f} ms = {cpu + db:.1f} ms"
            )
        if totals:
            self.stdout.write(
                f"all requests: {len(totals)}, mean CPU {statistics.mean(totals):.1f} ms "
                f"(unweighted; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())})"
            )
