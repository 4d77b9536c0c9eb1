"""Benchmark the main pages: median and p95 time and the number of queries per request.

Besides the page timings on the demo cast, it runs the benchmark of issue 3 on a generated
data set (``generate_dataset``): the permission-filtered trajects list for a company
coordinator and for a trajectbegeleider against the same list without the permission filter.
Each judged figure is printed with its absolute target and a ratio measured in the same run:
the filtered list against the unfiltered one (at most ``MAX_RATIO``), the other medians against
a reference loop timed between their runs (``devtools.judging``). A miss is reported loudly and
fails the command (exit status 1) only with ``--strict``; a query count that varies always
fails it.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from devtools.judging import Judge, Reference, add_strict_argument
from devtools.management.commands.generate_dataset import (
    GENERATED_EMAIL_SUFFIX,
    GENERATED_NAME_PREFIX,
)
from learning.selectors.coverage import partnership_plan, plan_coverage
from organisations.models import Organisation
from partnerships import permissions
from partnerships.models import Partnership, Placement, TeamMember, TeamRole, Traject

MAX_RATIO = 1.3
# Issue 9: the coverage matrix of a partnership with 60 leerfiches × 6 places.
COVERAGE_TARGET_MS = 150.0
COVERAGE_PLACES = 6
TRAJECTS_URL = "/trajects/"
PAGE_SIZE = 25
PROJECT_PACKAGES = (
    "accounts",
    "agenda",
    "documents",
    "duaal",
    "evaluation",
    "learning",
    "notifications",
    "organisations",
    "partnerships",
    "recognition",
)


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _timed(action: Callable[[], object], reference: Reference | None = None) -> tuple[float, int]:
    """Milliseconds and number of queries of one call (after a reference sample, if given)."""
    if reference is not None:
        reference.sample()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        action()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, len(captured.captured_queries)


@contextmanager
def unfiltered_trajects() -> Iterator[list[int]]:
    """Bench-only baseline: ``trajects_visible_to`` returns every traject.

    Patched in ``partnerships.permissions`` and in every project module that imported the
    function by name (a view or a selector), so the page runs the same code without the filter.
    Yields a one-element list counting the calls, to prove the patch reached the page.
    """
    original = permissions.trajects_visible_to
    calls = [0]

    def everything(*, user: User) -> Any:
        calls[0] += 1
        return Traject.objects.all()

    with ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith(PROJECT_PACKAGES):
                continue
            if getattr(module, "trajects_visible_to", None) is original:
                stack.enter_context(mock.patch.object(module, "trajects_visible_to", everything))
        yield calls


class Command(BaseCommand):
    help = "Time the main pages with Django's test client on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--iterations", type=int, default=30, help="timed requests per row")
        parser.add_argument("--user", default="tb@sintjozef.demo", help="demo account to browse as")
        parser.add_argument(
            "--students",
            type=int,
            default=5000,
            help="size of the generated data set for the trajects benchmark (default 5000); "
            "generated with --seed when the database does not hold exactly that many",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--skip-pages", action="store_true", help="only the generated-data benchmarks"
        )
        parser.add_argument(
            "--skip-trajects",
            action="store_true",
            help="leave out the trajects list benchmark (issue 3)",
        )
        parser.add_argument(
            "--only-evaluation",
            action="store_true",
            help="only the evaluation rows (issue 10): check-in save, progress, mentor's home",
        )
        parser.add_argument(
            "--only-dashboards",
            action="store_true",
            help="only the dashboards (issue 14) on the generated data set",
        )
        add_strict_argument(parser)

    def handle(
        self,
        *args: Any,
        iterations: int,
        user: str,
        students: int,
        seed: int,
        skip_pages: bool,
        skip_trajects: bool = False,
        only_evaluation: bool = False,
        only_dashboards: bool = False,
        strict: bool = False,
        **options: Any,
    ) -> None:
        judge = Judge(self, strict=strict)
        if only_dashboards:
            self._ensure_dataset(students=students, seed=seed)
            _bench_dashboards(self.stdout, iterations=iterations, judge=judge)
            judge.finish(f"Every dashboard within {DASHBOARD_TARGET_MS:.0f} ms; constant queries.")
            return
        if only_evaluation:
            self._ensure_dataset(students=students, seed=seed)
            _bench_evaluation(self.stdout, iterations=iterations, judge=judge)
            judge.finish(
                f"Check-in save within {CHECKIN_TARGET_MS:.0f} ms, progress and mentor's home "
                f"within {PAGE_TARGET_MS:.0f} ms; constant queries."
            )
            return
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        if not skip_pages:
            self._pages(iterations=iterations, email=user)
        if not skip_trajects:
            self._trajects(iterations=iterations, students=students, seed=seed, judge=judge)
        else:
            self._ensure_dataset(students=students, seed=seed)
        self.stdout.write("")
        self._coverage(iterations=iterations, judge=judge)
        self.stdout.write("")
        _bench_evaluation(self.stdout, iterations=iterations, judge=judge)
        self.stdout.write("")
        _bench_dashboards(self.stdout, iterations=iterations, judge=judge)
        judge.finish(
            f"Every ratio within its bound; coverage page within {COVERAGE_TARGET_MS:.0f} ms, "
            f"check-in save within {CHECKIN_TARGET_MS:.0f} ms, progress and mentor's home "
            f"within {PAGE_TARGET_MS:.0f} ms, dashboards within {DASHBOARD_TARGET_MS:.0f} ms; "
            "constant queries."
        )

    # --- the demo pages ------------------------------------------------------------------

    def _pages(self, *, iterations: int, email: str) -> None:
        member = User.objects.get(email=email)
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

        self.stdout.write(
            f"{connection.vendor}, {iterations} requests per page, as {email} (no targets)"
        )
        self.stdout.write(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for name, path in pages.items():
            browser = Client() if name == "login page" else client
            browser.get(path)  # warm up
            timings = []
            queries = 0
            for _ in range(iterations):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = browser.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")
                queries = len(captured.captured_queries)
            self.stdout.write(
                f"{name:<22}{statistics.median(timings):>10.1f}{_p95(timings):>10.1f}{queries:>9}"
            )
        self.stdout.write("")

    # --- issue 3: the permission-filtered trajects list ----------------------------------

    def _ensure_dataset(self, *, students: int, seed: int) -> None:
        """The generated data set of ``students`` and ``seed``: built once, reused while they
        are unchanged (``generate_dataset --reuse`` compares the set's fingerprint)."""
        call_command("generate_dataset", students=students, seed=seed, reuse=True)

    @staticmethod
    def _bench_users() -> dict[str, User]:
        """The generated company coordinator and trajectbegeleider who see the most trajects."""
        busiest_company = (
            Placement.objects.filter(company__name__startswith=GENERATED_NAME_PREFIX)
            .values("company")
            .annotate(trajects=Count("traject", distinct=True))
            .order_by("-trajects", "company")
            .first()
        )
        coordinator = (
            User.objects.filter(
                team_roles__role=TeamRole.COORDINATOR_BEDRIJF,
                team_roles__organisation=busiest_company["company"],
            )
            .distinct()
            .order_by("email")
            .first()
        )
        busiest_tb = (
            TeamMember.objects.filter(
                role=TeamRole.TRAJECTBEGELEIDER, user__email__endswith=GENERATED_EMAIL_SUFFIX
            )
            .values("user")
            .annotate(trajects=Count("partnership__trajects"))
            .order_by("-trajects", "user")
            .first()
        )
        return {
            "coordinator_bedrijf": coordinator,
            "trajectbegeleider": User.objects.get(pk=busiest_tb["user"]),
        }

    def _trajects(self, *, iterations: int, students: int, seed: int, judge: Judge) -> None:
        self._ensure_dataset(students=students, seed=seed)
        users = self._bench_users()
        total = Traject.objects.count()

        probe = Client()
        probe.force_login(users["trajectbegeleider"])
        status = probe.get(TRAJECTS_URL).status_code
        if status == 404:
            mode = "selector"
            what = (
                f"{TRAJECTS_URL} answers 404 (not written yet): timing the selector instead "
                f"(first {PAGE_SIZE} of trajects_visible_to().select_related() + count())"
            )
        elif status == 200:
            mode = "page"
            what = f"GET {TRAJECTS_URL} with the test client"
        else:
            raise CommandError(f"{TRAJECTS_URL} answered {status}")

        self.stdout.write(
            f"Issue 3 — trajects list, {connection.vendor}, {total} trajects, "
            f"{iterations} requests per row after warm-up; {what}"
        )
        header = (
            f"{'as':<22}{'visible':>8}{'filtered median/p95 ms':>25}{'q':>4}"
            f"{'unfiltered median/p95 ms':>27}{'q':>4}{'ratio':>7}"
        )
        self.stdout.write(header)
        verdicts = []
        for label, user in users.items():
            visible = permissions.trajects_visible_to(user=user).count()
            run = self._runner(mode=mode, user=user)
            for _ in range(3):  # warm up both variants
                run()
                with unfiltered_trajects() as calls:
                    run()
                if not calls[0]:
                    raise CommandError(
                        "The baseline patch did not reach the page: it no longer calls "
                        "permissions.trajects_visible_to; adapt unfiltered_trajects()."
                    )
            filtered: list[float] = []
            unfiltered: list[float] = []
            filtered_queries: set[int] = set()
            unfiltered_queries: set[int] = set()
            # Interleaved, so that drift of the machine hits both variants alike.
            for _ in range(iterations):
                elapsed, queries = _timed(run)
                filtered.append(elapsed)
                filtered_queries.add(queries)
                with unfiltered_trajects():
                    elapsed, queries = _timed(run)
                unfiltered.append(elapsed)
                unfiltered_queries.add(queries)
            ratio = statistics.median(filtered) / statistics.median(unfiltered)
            self.stdout.write(
                f"{label:<22}{visible:>8}"
                f"{statistics.median(filtered):>16.1f} / {_p95(filtered):>6.1f}"
                f"{_queries(filtered_queries):>4}"
                f"{statistics.median(unfiltered):>18.1f} / {_p95(unfiltered):>6.1f}"
                f"{_queries(unfiltered_queries):>4}{ratio:>7.2f}"
            )
            verdicts.append(
                (
                    f"trajects list as {label} ({user.email}), filtered median",
                    statistics.median(filtered),
                    statistics.median(unfiltered),
                )
            )
            if len(filtered_queries) > 1:
                judge.error(f"{label}: the number of queries varies {sorted(filtered_queries)}")
        # No absolute target: the bound is on the ratio to the unfiltered page.
        for label, median, baseline in verdicts:
            judge.figure(
                label,
                median,
                baseline=baseline,
                baseline_name="the unfiltered list",
                max_ratio=MAX_RATIO,
            )

    # --- issue 9: the coverage matrix ----------------------------------------------------

    def _coverage(self, *, iterations: int, judge: Judge) -> None:
        """Median and p95 of the coverage page and of its selector alone, with the number of
        queries (which must not vary)."""
        partnership, user = _coverage_subject()
        plan = partnership_plan(partnership)
        assert plan is not None
        matrix = plan_coverage(plan=plan)
        url = f"/partnerships/{partnership.public_id}/coverage/"
        client = Client()
        client.force_login(user)

        def page() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")

        def selector() -> None:
            fresh = partnership_plan(partnership)
            assert fresh is not None
            plan_coverage(plan=fresh)

        self.stdout.write(
            f"Issue 9 — coverage matrix, {connection.vendor}, {partnership.name} "
            f"({partnership.school.name}): {matrix.leerfiches} leerfiches × "
            f"{len(matrix.places)} places × {len(matrix.periods)} periods, "
            f"{matrix.entries} entries, {matrix.total_gaps} gaps; as {user.email}, "
            f"{iterations} requests per row after warm-up"
        )
        # CPU time beside wall time: on a shared, loaded machine the wall time mostly measures
        # the wait for a core.
        self.stdout.write(
            f"{'':<30}{'median ms':>10}{'p95 ms':>10}{'CPU median ms':>15}{'queries':>9}"
        )
        verdicts = []
        for label, run in (("coverage page (GET)", page), ("coverage selector", selector)):
            reference = Reference()
            timings, cpu, counts = _measure(run, iterations, reference)
            median = statistics.median(timings)
            self.stdout.write(
                f"{label:<30}{median:>10.1f}{_p95(timings):>10.1f}"
                f"{statistics.median(cpu):>15.1f}{_queries(counts):>9}"
            )
            if len(counts) > 1:
                judge.error(f"{label}: the number of queries varies {sorted(counts)}")
            if label.startswith("coverage page"):
                verdicts.append((f"{label} median", median, reference))
        for label, median, reference in verdicts:
            judge.figure(label, median, target=COVERAGE_TARGET_MS, reference=reference)
        if len(matrix.places) < COVERAGE_PLACES or matrix.leerfiches < 60:
            self.stdout.write(
                self.style.WARNING(
                    f"The largest generated plan has {matrix.leerfiches} leerfiches and "
                    f"{len(matrix.places)} places (the benchmark asks 60 × {COVERAGE_PLACES})."
                )
            )

    @staticmethod
    def _runner(*, mode: str, user: User) -> Callable[[], None]:
        if mode == "page":
            client = Client()
            client.force_login(user)

            def page() -> None:
                response = client.get(TRAJECTS_URL)
                if response.status_code != 200:
                    raise CommandError(f"{TRAJECTS_URL} answered {response.status_code}")

            return page

        def selector() -> None:
            # Through the module attribute, so that the baseline patch applies.
            trajects = permissions.trajects_visible_to(user=user).select_related(
                "student", "partnership"
            )
            list(trajects[:PAGE_SIZE])
            trajects.count()

        return selector


def _coverage_subject() -> tuple[Partnership, User]:
    """The generated partnership with the most places (school, companies, training centre,
    gesimuleerd: six with three companies and a centre) and the most leerfiches, and its
    trajectbegeleider."""
    partnership = (
        Partnership.objects.filter(
            school__name__startswith=GENERATED_NAME_PREFIX, opleidingsplannen__isnull=False
        )
        .annotate(
            companies_n=Count("companies", distinct=True),
            centre_n=Count("training_centre", distinct=True),
        )
        .order_by("-companies_n", "-centre_n", "pk")
        .first()
    )
    if partnership is None:
        raise CommandError("The generated data set has no opleidingsplan: regenerate it.")
    member = (
        TeamMember.objects.filter(partnership=partnership, role=TeamRole.TRAJECTBEGELEIDER)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if member is None:
        raise CommandError(f"{partnership} has no trajectbegeleider.")
    return partnership, member.user


def _queries(counts: set[int]) -> str:
    return str(min(counts)) if len(counts) == 1 else f"{min(counts)}-{max(counts)}"


# --- issue 10: the weekly check-in, a student's progress, the mentor's home ------------------

CHECKIN_TARGET_MS = 50.0
PAGE_TARGET_MS = 150.0


def _evaluation_subject() -> tuple[Traject, User, Any]:
    """The generated traject with the most practice sessions (the longest history per
    criterion), its mentor, and the latest week up to today in which that mentor rated it."""
    import datetime as dt

    from django.utils import timezone

    from evaluation.models import Evaluation, Session

    busiest = (
        Session.objects.filter(traject__partnership__school__name__startswith=GENERATED_NAME_PREFIX)
        .values("traject")
        .annotate(n=Count("pk"))
        .order_by("-n", "traject")
        .first()
    )
    if busiest is None:
        raise CommandError("The generated data set has no evaluations: regenerate it.")
    traject = Traject.objects.select_related("student__user", "partnership").get(
        pk=busiest["traject"]
    )
    column = (
        Evaluation.objects.filter(
            session__traject=traject,
            evaluator="mentor",
            session__date__lte=timezone.localdate(),
        )
        .select_related("session__leerfiche", "author")
        .order_by("-session__date", "-session_id")
        .first()
    )
    if column is None:
        raise CommandError(f"{traject} has no mentor column up to today.")
    day = column.session.date
    return traject, column.author, day - dt.timedelta(days=day.weekday())


def _measure(
    run: Callable[[], object], iterations: int, reference: Reference
) -> tuple[list[float], list[float], set]:
    """Wall times, CPU times (ms) and query counts of ``iterations`` runs after a warm-up, with
    a sample of the reference loop before each run (not counted in the run's CPU time)."""
    for _ in range(3):
        run()
    timings: list[float] = []
    cpu: list[float] = []
    counts: set[int] = set()
    for _ in range(iterations):
        reference.sample()
        started = time.process_time()
        elapsed, queries = _timed(run)
        cpu.append((time.process_time() - started) * 1000)
        timings.append(elapsed)
        counts.add(queries)
    return timings, cpu, counts


def _bench_evaluation(stdout: Any, *, iterations: int, judge: Judge) -> None:
    from django.urls import NoReverseMatch, reverse

    from evaluation.models import Evaluation, Evaluator, Session, WeeklyCheckin
    from evaluation.selectors.checkins import BEHAVIOUR_PREFIX, MARK_PREFIX, checkin_sheet
    from evaluation.selectors.marks import latest_marks, leerfiche_statuses
    from evaluation.views.autosave import HEADER
    from evaluation.views.checkins import week_url
    from learning.models import Leerfiche
    from learning.selectors.traject_leerfiches import adopted_version

    traject, mentor, week = _evaluation_subject()
    # The week is the mentor's to fill in, as on a Wednesday: nothing handed in yet (the
    # generated columns are all handed in, which would make every save a correction).
    Evaluation.objects.filter(
        session__traject=traject, session__date__gte=week, evaluator=Evaluator.MENTOR
    ).update(submitted_at=None)
    WeeklyCheckin.objects.filter(traject=traject, week_start=week).update(done_at=None)
    sheet = checkin_sheet(traject=traject, week_start=week)
    form = sheet.values()
    scores = latest_marks(traject_ids=[traject.pk])
    stdout.write(
        f"Issue 10 — evaluation, {connection.vendor}: {traject.student.full_name} "
        f"({Session.objects.filter(traject=traject).count()} sessions, {len(scores)} "
        f"criterion × evaluator histories), mentor {mentor.email}, week of {week}: "
        f"{len(sheet.fiches)} leerfiches, {len(sheet.criteria)} criteria; "
        f"{iterations} runs per row after warm-up"
    )
    checkin_client = Client()
    checkin_client.force_login(mentor)
    checkin_client.get("/")  # the session cookie and CSRF as after login
    url = week_url(traject, week)
    flip = [0]

    def save_checkin() -> None:
        """The check-in screen's autosave POST after a tap: the whole form (every criterion
        and the behaviour check, each run changing every value, so every run writes), through
        middleware, authorisation, the service and the JSON answer with the new version."""
        flip[0] += 1
        for name in form:
            if name.startswith(MARK_PREFIX):
                form[name] = "V" if flip[0] % 2 else "O"
            elif name.startswith(BEHAVIOUR_PREFIX):
                form[name] = "meets" if flip[0] % 2 else "above"
        response = checkin_client.post(url, form, headers={HEADER: "1"})
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        form["version"] = response.json()["version"]

    student = traject.student.user
    try:
        progress_url = reverse("evaluation:progress", args=[traject.public_id])
    except NoReverseMatch:
        progress_url = None
    rows: list[tuple[str, Callable[[], object], float | None]] = [
        ("weekly check-in save", save_checkin, CHECKIN_TARGET_MS)
    ]
    if progress_url is not None and student is not None:
        client = Client()
        client.force_login(student)

        def progress_page() -> None:
            response = client.get(progress_url)
            if response.status_code != 200:
                raise CommandError(f"{progress_url} answered {response.status_code}")

        rows.append((f"progress page {progress_url[:24]}…", progress_page, PAGE_TARGET_MS))
    else:
        stdout.write(
            "  evaluation:progress is not there yet: timing its selectors instead "
            "(leerfiche_statuses over the adopted set × LL/M/LK, latest_marks)"
        )

        def progress_selectors() -> None:
            fresh = permissions.get_traject_for_evaluation(
                user=student or mentor, public_id=traject.public_id
            )
            version = adopted_version(traject=fresh)
            fiches = list(Leerfiche.objects.filter(version=version).order_by("order", "pk"))
            leerfiche_statuses(
                traject_id=fresh.pk,
                leerfiches=fiches,
                evaluators=[Evaluator.SELF, Evaluator.MENTOR, Evaluator.TEACHER],
            )
            latest_marks(traject_ids=[fresh.pk])

        rows.append(("progress selectors", progress_selectors, PAGE_TARGET_MS))
    home = Client()
    home.force_login(mentor)

    def mentor_home() -> None:
        response = home.get("/")
        if response.status_code != 200:
            raise CommandError(f"/ answered {response.status_code} for {mentor.email}")

    rows.append(("mentor's home (GET /)", mentor_home, PAGE_TARGET_MS))
    _judge_rows(stdout, rows, iterations=iterations, judge=judge, width=34)


def _judge_rows(
    stdout: Any,
    rows: list[tuple[str, Callable[[], object], float | None]],
    *,
    iterations: int,
    judge: Judge,
    width: int,
    max_queries: int | None = None,
) -> None:
    """Time each (label, run, target) row, print its line, then judge each median; a varying
    number of queries, or more than ``max_queries``, is an error."""
    stdout.write(f"{'':<{width}}{'median ms':>10}{'p95 ms':>10}{'CPU median ms':>15}{'queries':>9}")
    verdicts = []
    for label, run, target in rows:
        reference = Reference()
        timings, cpu, counts = _measure(run, iterations, reference)
        median = statistics.median(timings)
        stdout.write(
            f"{label:<{width}}{median:>10.1f}{_p95(timings):>10.1f}"
            f"{statistics.median(cpu):>15.1f}{_queries(counts):>9}"
        )
        if len(counts) > 1:
            judge.error(f"{label}: the number of queries varies {sorted(counts)}")
        if max_queries is not None and max(counts) > max_queries:
            judge.error(f"{label}: {max(counts)} queries > {max_queries}")
        verdicts.append((f"{label} median", median, target, reference))
    for label, median, target, reference in verdicts:
        judge.figure(label, median, target=target, reference=reference)


# --- issue 14: the dashboards ------------------------------------------------------------------

DASHBOARD_TARGET_MS = 150.0
DASHBOARD_MAX_QUERIES = 15


def _busiest_seat(role: str, *, by: str) -> TeamMember | None:
    """The generated team member in ``role`` whose organisation has the most placements
    (``by``: the path from the placement to that organisation)."""
    busiest = (
        Placement.objects.filter(
            traject__partnership__school__name__startswith=GENERATED_NAME_PREFIX
        )
        .values(by)
        .annotate(n=Count("pk"))
        .order_by("-n", by)
        .first()
    )
    if busiest is None:
        return None
    return (
        TeamMember.objects.filter(role=role, organisation_id=busiest[by])
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )


def dashboard_subjects() -> list[tuple[str, str, User]]:
    """(label, path, viewer) of each dashboard on the generated data set: the school director
    and the school coordinator of the school with the most placements, the company director of
    the company with the most, and the generated sector body's consultant."""
    from django.urls import reverse

    rows: list[tuple[str, str, User]] = []
    school_director = _busiest_seat(TeamRole.DIRECTIE_SCHOOL, by="traject__partnership__school")
    if school_director is not None:
        rows.append(("school director", reverse("dashboards:school"), school_director.user))
    company_director = _busiest_seat(TeamRole.DIRECTIE_BEDRIJF, by="company")
    if company_director is not None:
        rows.append(
            (
                f"company director ({company_director.organisation.name[:24]})",
                reverse("dashboards:company", args=[company_director.organisation.public_id]),
                company_director.user,
            )
        )
    coordinator = _busiest_seat(TeamRole.COORDINATOR_SCHOOL, by="traject__partnership__school")
    if coordinator is not None:
        rows.append(
            ("school coordinator's actions", reverse("dashboards:actions"), coordinator.user)
        )
    consultant = User.objects.filter(
        email__startswith="consulent@", email__endswith=GENERATED_EMAIL_SUFFIX
    ).first()
    if consultant is not None:
        rows.append(("sector consultant", reverse("dashboards:sector"), consultant))
    return rows


def _bench_dashboards(stdout: Any, *, iterations: int, judge: Judge) -> None:
    from django.conf import settings

    shared_cache = bool(settings.CACHE_URL)
    stdout.write(
        f"Issue 14 — dashboards, {connection.vendor}, generated data set; {iterations} requests "
        f"per row after warm-up; queries include the page's frame (session, user, menu"
        f"{'' if shared_cache else ': without a shared cache (DUAAL_CACHE_URL) the menu is read from the database'})"
    )
    rows: list[tuple[str, Callable[[], object], float | None]] = []
    for label, path, viewer in dashboard_subjects():
        client = Client()
        client.force_login(viewer)

        def page(client: Client = client, path: str = path) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")

        rows.append((label, page, DASHBOARD_TARGET_MS))
    _judge_rows(
        stdout,
        rows,
        iterations=iterations,
        judge=judge,
        width=44,
        max_queries=DASHBOARD_MAX_QUERIES if shared_cache else None,
    )
