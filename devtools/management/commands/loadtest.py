"""Load test (issue 13): gunicorn on 127.0.0.1 and a mixed workload of real users.

``python manage.py loadtest --duration 60 --connections 16`` against the configured database
(``DATABASE_URL``; the generated data set of ``generate_dataset`` when there is one, else the
demo):

1. picks users of the four groups — students, mentors, teachers (trajectbegeleiders and
   leerkrachten), school directors — one per connection, and what each of them does
   (``devtools.loadtest.Action``): pages, the student's day rating and the mentor's weekly
   check-in (autosave POSTs with the form's CSRF token), a PDF request (the traject sheet,
   queued for Celery);
2. starts a Redis broker on a free port of 127.0.0.1 when ``redis-server`` is there (no worker:
   the measured request is the one that queues the PDF, as in production), and gunicorn with
   ``--workers`` sync workers on another free port;
3. logs every user in through the login form, then runs the workload for ``--duration``
   seconds or ``--max-requests`` requests, whichever ends first;
4. stops gunicorn and Redis, deletes the documents the run asked for (still pending: no worker
   renders them), and prints requests/s, p50/p95/p99, the errors and the CPU time of gunicorn
   and of the PostgreSQL backends that served it, per request.

Generated accounts have no usable password (``generate_dataset`` without ``--password``): the
command then gives the users it picked one fresh random password (one hash, written to those
rows only). ``--password`` uses the given one and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from devtools import loadtest
from devtools.loadtest import Action, VirtualUser
from devtools.management.commands.generate_dataset import GENERATED_EMAIL_SUFFIX
from partnerships.models import (
    Placement,
    PlacementSupervisor,
    TeamMember,
    TeamRole,
    Traject,
    TrajectStatus,
)

GROUPS = ("student", "mentor", "teacher", "director")
APPLICATION_NAME = "duaal-loadtest"
PDF_FORM = "/documents/request/traject/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Plan:
    """Who logs in and what they do, read from the database."""

    def __init__(self, *, per_group: int, rng: random.Random) -> None:
        self.per_group = per_group
        self.rng = rng
        self.today = timezone.localdate()
        self.users: dict[str, list[tuple[User, tuple[Action, ...]]]] = {g: [] for g in GROUPS}
        generated = User.objects.filter(email__endswith=GENERATED_EMAIL_SUFFIX).exists()
        self.generated = generated
        self._emails = (
            {"email__endswith": GENERATED_EMAIL_SUFFIX}
            if generated
            else {"email__endswith": ".demo"}
        )

    def _pick(self, candidates: list[Any]) -> list[Any]:
        """A reproducible spread over the candidates (not the first few: they share schools)."""
        if len(candidates) <= self.per_group:
            return candidates
        return self.rng.sample(candidates, self.per_group)

    def _running(self, placements: Any) -> Any:
        return placements.filter(
            traject__status=TrajectStatus.RUNNING, start_date__lte=self.today
        ).exclude(end_date__lt=self.today - dt.timedelta(days=14))

    def build(self) -> None:
        self._students()
        self._mentors()
        self._teachers()
        self._directors()
        missing = [g for g in GROUPS if not self.users[g]]
        if missing:
            raise CommandError(f"No users found for: {', '.join(missing)}.")

    def _students(self) -> None:
        """Students of a running traject with a practice session, who rate the leerfiche of
        their latest session (the day card of that date and leerfiche)."""
        from evaluation.models import Session

        trajects = list(
            self._running(Placement.objects.filter(traject__student__user__isnull=False))
            .filter(**{f"traject__student__user__{k}": v for k, v in self._emails.items()})
            .order_by("traject_id")
            .values_list("traject_id", flat=True)
            .distinct()
        )
        for traject_id in self._pick(trajects):
            session = (
                Session.objects.filter(traject_id=traject_id, date__lte=self.today)
                .select_related("traject__student__user")
                .order_by("-date", "-pk")
                .first()
            )
            if session is None:
                continue
            traject = session.traject
            tid = traject.public_id
            day_url = (
                reverse("evaluation:day", args=[tid])
                + f"?date={session.date.isoformat()}&leerfiche={session.leerfiche_key}"
            )
            actions = (
                Action("home", "/", weight=3),
                Action("day", day_url, weight=2),
                Action("day rating (autosave)", day_url, "autosave", 3, form="/day/"),
                Action("progress", reverse("evaluation:progress", args=[tid]), weight=2),
                Action("notifications", reverse("notifications:notification_list")),
            )
            self.users["student"].append((traject.student.user, actions))

    def _mentors(self) -> None:
        supervisions = list(
            PlacementSupervisor.objects.filter(
                kind=TeamRole.MENTOR,
                placement__in=self._running(Placement.objects.all()),
                **{f"user__{k}": v for k, v in self._emails.items()},
            )
            .select_related("user", "placement__traject")
            .order_by("pk")
        )
        by_user: dict[int, Any] = {}
        for supervision in supervisions:
            by_user.setdefault(supervision.user_id, supervision)
        for supervision in self._pick(list(by_user.values())):
            tid = supervision.placement.traject.public_id
            checkin = reverse("evaluation:checkin_current", args=[tid])
            actions = (
                Action("home", "/", weight=3),
                Action("trajects list", reverse("partnerships:traject_list"), weight=2),
                Action("traject", reverse("partnerships:traject_detail", args=[tid]), weight=2),
                Action("weekly check-in (autosave)", checkin, "autosave", 3, form="/checkins/"),
            )
            self.users["mentor"].append((supervision.user, actions))

    def _team(self, roles: tuple[str, ...]) -> list[TeamMember]:
        members = list(
            TeamMember.objects.filter(
                role__in=roles, **{f"user__{k}": v for k, v in self._emails.items()}
            )
            .select_related("user", "partnership")
            .order_by("pk")
        )
        by_user: dict[int, TeamMember] = {}
        for member in members:
            by_user.setdefault(member.user_id, member)
        return self._pick(list(by_user.values()))

    def _trajects_of(self, member: TeamMember, n: int) -> list[Traject]:
        return list(
            Traject.objects.filter(
                partnership=member.partnership, status=TrajectStatus.RUNNING
            ).order_by("pk")[:n]
        )

    def _teachers(self) -> None:
        for member in self._team((TeamRole.TRAJECTBEGELEIDER, TeamRole.LEERKRACHT)):
            trajects = self._trajects_of(member, 4)
            if not trajects:
                continue
            pid = member.partnership.public_id
            trajects_url = reverse("partnerships:traject_list")
            actions = [
                Action("home", "/", weight=2),
                Action("trajects list", trajects_url, weight=3),
                Action("trajects list, page 2", trajects_url + "?page=2"),
                Action("partnerships list", reverse("partnerships:partnership_list")),
                Action("partnership", reverse("partnerships:partnership_detail", args=[pid])),
                Action(
                    "progress",
                    reverse("evaluation:progress", args=[trajects[0].public_id]),
                ),
            ]
            for traject in trajects:
                url = reverse("partnerships:traject_detail", args=[traject.public_id])
                actions.append(Action("traject", url))
            # One PDF request for every ~20 actions, on changing subjects (a request identical
            # to a pending one of the same user returns that one, as a second click would).
            for traject in trajects[:2]:
                url = reverse("partnerships:traject_detail", args=[traject.public_id])
                actions.append(Action("PDF request (traject sheet)", url, "submit", 1, PDF_FORM))
            self.users["teacher"].append((member.user, tuple(actions)))

    def _directors(self) -> None:
        for member in self._team((TeamRole.DIRECTIE_SCHOOL,)):
            pid = member.partnership.public_id
            actions = (
                Action("home", "/", weight=3),
                Action("partnerships list", reverse("partnerships:partnership_list"), weight=2),
                Action(
                    "partnership",
                    reverse("partnerships:partnership_detail", args=[pid]),
                    weight=2,
                ),
                Action("trajects list", reverse("partnerships:traject_list"), weight=2),
                Action("notifications", reverse("notifications:notification_list")),
                Action(
                    "dashboard",
                    reverse("dashboards:school") + f"?partnership={pid}",
                    weight=2,
                ),
            )
            self.users["director"].append((member.user, actions))

    def all_users(self) -> list[User]:
        return [user for group in GROUPS for user, _ in self.users[group]]

    def virtual_users(self, password: str) -> list[VirtualUser]:
        """Interleaved by group, so any number of connections mixes the four groups."""
        rows = []
        for i in range(self.per_group):
            for group in GROUPS:
                if i < len(self.users[group]):
                    user, actions = self.users[group][i]
                    rows.append(VirtualUser(group, user.email, password, actions))
        return rows


# --- CPU time from /proc -------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of one process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


class CpuMeter:
    """CPU seconds a set of processes spent between ``start`` and ``stop``: every process seen
    by a sample counts from its first sample to its last (a PostgreSQL backend replaced in the
    window loses at most its last half-second)."""

    def __init__(self, pids: Any) -> None:
        self.pids = pids  # () -> list of pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def sample(self) -> None:
        for pid in self.pids():
            value = cpu_seconds(pid)
            if value is None:
                continue
            self.first.setdefault(pid, value)
            self.last[pid] = value

    @property
    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.first)


def backend_pids() -> list[int]:
    """The PostgreSQL backends serving gunicorn (their ``application_name``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME]
        )
        return [row[0] for row in cursor.fetchall()]


# --- servers -------------------------------------------------------------------------------


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"the server stopped at start-up (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise CommandError(f"{url} did not answer within {seconds:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(shutil.which("redis-server")),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise CommandError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@contextmanager
def gunicorn(*, workers: int, env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    binary = Path(sys.executable).with_name("gunicorn")
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(binary),
                "duaal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--keep-alive",
                "5",
                "--timeout",
                "60",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/healthz", process, 60)
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            _stop(process)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError("The load test runs against PostgreSQL: set DATABASE_URL.")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise CommandError("Set DATABASE_URL (gunicorn reads the same variable).")
    return url + ("&" if "?" in url else "?") + f"application_name={APPLICATION_NAME}"


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


class Command(BaseCommand):
    help = "Run a bounded load test (gunicorn + the configured PostgreSQL, 127.0.0.1 only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 300)")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
        parser.add_argument(
            "--max-requests",
            type=int,
            default=50_000,
            help="at most this many actions (an autosave is 2 requests, a PDF request 3)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--password",
            default=None,
            help="the users' password (else the picked generated users get a fresh one)",
        )
        parser.add_argument(
            "--no-broker",
            action="store_true",
            help="do not start Redis: PDF requests then render in the request (Celery eager)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        duration = float(options["duration"])
        connections = int(options["connections"])
        if not 0 < duration <= 300:
            raise CommandError("--duration must be between 0 and 300 seconds.")
        if not 0 < connections <= 64:
            raise CommandError("--connections must be between 1 and 64.")
        database_url = _database_url()
        rng = random.Random(options["seed"])  # noqa: S311 - reproducible choice of users
        plan = Plan(per_group=-(-connections // len(GROUPS)), rng=rng)
        plan.build()
        password = options["password"]
        if password is None:
            if not plan.generated:
                raise CommandError("Give --password (the demo's is 'duaal-demo').")
            password = secrets.token_urlsafe(16)
            picked = [u.pk for u in plan.all_users()]
            User.objects.filter(pk__in=picked, email__endswith=GENERATED_EMAIL_SUFFIX).update(
                password=make_password(password)
            )
        users = plan.virtual_users(password)
        started_at = timezone.now()
        broker = not options["no_broker"]
        if broker and shutil.which("redis-server") is None:
            raise CommandError(
                "redis-server is not installed (apt-get install redis-server): without a "
                "broker PDF requests would render in the request. --no-broker to accept that."
            )
        self.stdout.write(
            f"{len(users)} users ({', '.join(f'{len(plan.users[g])} {g}s' for g in GROUPS)}), "
            f"{connections} connections, {options['workers']} gunicorn workers, "
            f"{duration:.0f} s, load average before: {_load()}"
        )
        with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="duaal-load-") as tmp:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                # As in production: one JSON log line per request (into the run's log file).
                "DJANGO_REQUEST_LOG": "true",
                "DJANGO_LOG_FORMAT": "json",
            }
            env.pop("CELERY_BROKER_URL", None)
            env.pop("DUAAL_CACHE_URL", None)
            if broker:
                redis = stack.enter_context(redis_server(Path(tmp)))
                env["CELERY_BROKER_URL"] = redis
                # As in docker-compose: the broker's Redis is also the shared cache (sessions,
                # the menu's answers), in another database.
                env["DUAAL_CACHE_URL"] = redis.rsplit("/", 1)[0] + "/2"
            log = Path(tmp) / "gunicorn.log"
            try:
                base_url, master = stack.enter_context(
                    gunicorn(workers=options["workers"], env=env, log=log)
                )
                result, cpu = self._run(base_url, master, users, connections, duration, options)
            finally:
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            if "Traceback" in tail:
                self.stderr.write(tail)
        self._cleanup(plan, started_at)
        self._report(result, cpu)
        if result.stats.errors:
            raise CommandError(f"{result.stats.errors} errors")

    def _run(
        self,
        base_url: str,
        master: int,
        users: list[VirtualUser],
        connections: int,
        duration: float,
        options: dict[str, Any],
    ) -> tuple[loadtest.Result, dict[str, float]]:
        web = CpuMeter(lambda: [master, *children(master)])
        database = CpuMeter(backend_pids)
        me = CpuMeter(lambda: [os.getpid()])
        meters = (web, database, me)
        sampling = [True]

        def sampler() -> None:
            try:
                while sampling[0]:
                    for meter in meters:
                        meter.sample()
                    time.sleep(0.5)
            finally:
                connection.close()  # this thread's own connection (pg_stat_activity)

        thread = threading.Thread(target=sampler, daemon=True)

        def opened() -> None:
            for meter in meters:
                meter.sample()
            thread.start()

        result = loadtest.run(
            base_url=base_url,
            users=users,
            connections=connections,
            duration=duration,
            max_requests=options["max_requests"],
            seed=options["seed"],
            on_start=opened,
        )
        sampling[0] = False
        thread.join()
        for meter in meters:
            meter.sample()
        return result, {
            "gunicorn": web.seconds,
            "postgres": database.seconds,
            "driver": me.seconds,
            "load": os.getloadavg()[0],
        }

    def _cleanup(self, plan: Plan, started_at: dt.datetime) -> None:
        """The run's PDF requests: pending rows no worker will render."""
        from documents.models import GeneratedDocument

        GeneratedDocument.objects.filter(
            requester__in=plan.all_users(), created_at__gte=started_at, file=""
        ).delete()

    def _report(self, result: loadtest.Result, cpu: dict[str, float]) -> None:
        stats = result.stats
        n = max(1, result.requests)
        summary = result.summary_ms()
        logins = statistics.median(stats.logins) * 1000 if stats.logins else float("nan")
        self.stdout.write(
            f"logins: {len(stats.logins)} through the login form, median {logins:.0f} ms "
            "(before the measured window)"
        )
        self.stdout.write(f"{'':<52}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for label, count, p50, p95, p99 in result.rows():
            self.stdout.write(f"{label:<52}{count:>9}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}")
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(stats.statuses.items()))
        self.stdout.write(
            f"TOTAL {result.requests} requests in {result.seconds:.1f} s = "
            f"{result.rate:.1f} requests/s; p50 {summary['p50']:.1f} ms, "
            f"p95 {summary['p95']:.1f} ms, p99 {summary['p99']:.1f} ms; statuses {statuses}; "
            f"errors {stats.errors}"
        )
        self.stdout.write(
            f"CPU per request: gunicorn {cpu['gunicorn'] / n * 1000:.1f} ms + PostgreSQL "
            f"backends {cpu['postgres'] / n * 1000:.1f} ms = "
            f"{(cpu['gunicorn'] + cpu['postgres']) / n * 1000:.1f} ms "
            f"(driver {cpu['driver'] / n * 1000:.1f} ms); load average after: {_load()}"
        )
        for sample in stats.error_samples:
            self.stderr.write(f"  error {sample}")
