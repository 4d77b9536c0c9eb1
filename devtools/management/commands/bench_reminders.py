"""``python manage.py bench_reminders --subjects 100000``: time one reminder sweep.

Builds, with bulk inserts into the real tables, a deterministic data set of ``--subjects``
placements (each with its own student and traject) spread over partnerships of one generated
school, of which ``--due-percent`` start within 14 days without a mentor (due), the rest have a
mentor and ran in an earlier school year or run now (three students per mentor, within the
limit), plus open invitations of which the same share is a week old. The school's coördinator
and directie see every traject through their role groups, as the grants service would grant
(recipients of a mail about a student must see the student: ``users_seeing_trajects``); the
service itself is not called, it would take minutes over 100 000 trajects. Then it times the sweep
the beat runs every few minutes: every rule evaluated, the missing rows inserted, the due rows
claimed (nothing is sent). Each run starts from no reminder rows, so every run inserts and
claims the same rows; a last run times a sweep with nothing new.

The median sweep is judged against ``--budget`` seconds and, as a ratio, against a reference
loop timed between the runs (``devtools.judging``); a miss is reported loudly and fails the
command (exit status 1) only with ``--strict``.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from devtools.judging import Judge, Reference, add_strict_argument
from notifications.models import Reminder
from notifications.services.reminders import reminders_sweep
from organisations.models import Membership, Organisation, Vestiging
from partnerships import permissions, raci
from partnerships.models import (
    Invitation,
    Partnership,
    PartnershipCompany,
    PartnershipRoleGroup,
    Placement,
    PlacementSupervisor,
    RaciCell,
    SchoolClass,
    Student,
    TeamMember,
    Traject,
    TrajectGroupObjectPermission,
)

SCHOOL_NAME = "Bench reminders school"
COMPANY_PREFIX = "Bench reminders company "
EMAIL_DOMAIN = "bench-reminders.test"
SUBJECTS_PER_PARTNERSHIP = 1000
COMPANIES = 20
STUDENTS_PER_MENTOR = 3
BATCH = 2000
SCHOOL_STAFF = ("coordinator_school", "directie_school")
# Reference loops timed before each sweep (the ratio's baseline, devtools.judging).
REFERENCE_SAMPLES = 10


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _mod97(body: int) -> str:
    return f"{body:08d}{97 - body % 97:02d}"


class Command(BaseCommand):
    help = "Time one reminder sweep (rules + row insertion + claiming) over generated subjects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subjects", type=int, default=100_000)
        parser.add_argument("--due-percent", type=float, default=5.0)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--budget", type=float, default=2.0, help="seconds (median)")
        parser.add_argument(
            "--reuse", action="store_true", help="Keep an existing data set of the same size."
        )
        add_strict_argument(parser)

    def handle(
        self,
        *args: Any,
        subjects: int,
        due_percent: float,
        runs: int,
        budget: float,
        reuse: bool,
        strict: bool = False,
        **options: Any,
    ) -> None:
        start = time.perf_counter()
        school = Organisation.objects.filter(name=SCHOOL_NAME, kind="school").first()
        if not (reuse and school and self._size(school) == subjects):
            self._delete()
            self._build(subjects=subjects, due_every=max(1, round(100 / due_percent)))
            school = Organisation.objects.get(name=SCHOOL_NAME, kind="school")
        self.stdout.write(
            f"{connection.vendor}: {self._size(school)} placements, data ready in "
            f"{time.perf_counter() - start:.1f} s"
        )
        judge = Judge(self, strict=strict)
        reference = Reference()
        self._sweep()  # warm-up: the content types' cache, the first plans
        timings, queries, rows = [], set(), set()
        for _ in range(runs):
            reference.sample(REFERENCE_SAMPLES)
            elapsed, count, claimed = self._sweep()
            timings.append(elapsed)
            queries.add(count)
            rows.add(claimed)
        before = Reminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._sweep(keep=True)
        steady = []
        for _ in range(runs):
            reference.sample(REFERENCE_SAMPLES)
            steady.append(self._sweep(keep=True)[0])
        Reminder.objects.filter(pk__gt=before)._raw_delete(Reminder.objects.db)
        self.stdout.write(f"{'sweep':<34}{'median s':>10}{'p95 s':>10}{'queries':>9}{'claimed':>9}")
        self.stdout.write(
            f"{'insert + claim (every run)':<34}{statistics.median(timings):>10.3f}"
            f"{_p95(timings):>10.3f}{'/'.join(map(str, sorted(queries))):>9}"
            f"{'/'.join(map(str, sorted(rows))):>9}"
        )
        self.stdout.write(
            f"{'nothing new (steady state)':<34}{statistics.median(steady):>10.3f}"
            f"{_p95(steady):>10.3f}"
        )
        for label, values in (("insert + claim", timings), ("steady state", steady)):
            judge.figure(
                f"{label} median",
                statistics.median(values),
                unit="s",
                target=budget,
                reference=reference,
            )
        if len(queries) > 1:
            judge.error(f"the sweep's number of queries varies between runs: {sorted(queries)}")
        judge.finish(f"The median sweep is within {budget} s.")

    @staticmethod
    def _size(school: Organisation) -> int:
        return Placement.objects.filter(traject__partnership__school=school).count()

    def _sweep(self, *, keep: bool = False) -> tuple[float, int, int]:
        """Seconds, queries and claimed rows of one sweep; removes its rows unless ``keep``."""
        before = Reminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        queries = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries[0] += 1
            return execute(sql, params, many, context)

        # A counting wrapper, not CaptureQueriesContext: the debug cursor would format every
        # parameter of the 2 000-row INSERTs into SQL text and time that too.
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            result = reminders_sweep(dispatch=False)
            elapsed = time.perf_counter() - started
        if not keep:
            Reminder.objects.filter(pk__gt=before)._raw_delete(Reminder.objects.db)
        return elapsed, queries[0], len(result.claimed)

    @staticmethod
    def _delete() -> None:
        """Remove an earlier data set (raw deletes: no collector over 100 000 rows)."""
        in_school = {"partnership__school__name": SCHOOL_NAME}
        Reminder.objects.filter(**in_school).delete()
        role_groups = PartnershipRoleGroup.objects.filter(**in_school)
        group_ids = list(role_groups.values_list("group_id", flat=True))
        for queryset in (
            TrajectGroupObjectPermission.objects.filter(group_id__in=group_ids),
            User.groups.through.objects.filter(group_id__in=group_ids),
            role_groups,
            Group.objects.filter(pk__in=group_ids),
            PlacementSupervisor.objects.filter(
                placement__traject__partnership__school__name=SCHOOL_NAME
            ),
            Placement.objects.filter(traject__partnership__school__name=SCHOOL_NAME),
            Traject.objects.filter(**in_school),
            Student.objects.filter(school__name=SCHOOL_NAME),
            SchoolClass.objects.filter(school__name=SCHOOL_NAME),
            Invitation.objects.filter(**in_school),
            RaciCell.objects.filter(**in_school),
            TeamMember.objects.filter(**in_school),
            PartnershipCompany.objects.filter(**in_school),
            Partnership.objects.filter(school__name=SCHOOL_NAME),
            Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}"),
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}"),
            Vestiging.objects.filter(organisation__name__startswith=COMPANY_PREFIX),
            Organisation.objects.filter(name__startswith=COMPANY_PREFIX),
            Organisation.objects.filter(name=SCHOOL_NAME),
        ):
            queryset._raw_delete(queryset.db)

    @transaction.atomic
    def _build(self, *, subjects: int, due_every: int) -> None:
        from learning.models import Opleiding
        from learning.reference import ensure_opleidingen

        ensure_opleidingen()
        today = timezone.localdate()
        year = today.year if today.month >= 9 else today.year - 1
        school = Organisation.objects.create(
            kind="school", name=SCHOOL_NAME, instellingsnummer="990999"
        )
        companies = Organisation.objects.bulk_create(
            Organisation(
                kind="company",
                name=f"{COMPANY_PREFIX}{n}",
                ondernemingsnummer=_mod97(9_100_000 + n),
                paritair_comite="111",
            )
            for n in range(COMPANIES)
        )
        vestigingen = Vestiging.objects.bulk_create(
            Vestiging(organisation=c, vestigingsnummer=_mod97(89_100_000 + n), name=c.name)
            for n, c in enumerate(companies)
        )
        school_class = SchoolClass.objects.create(school=school, name="Bench")
        opleiding = Opleiding.objects.order_by("code").first()
        count = max(1, -(-subjects // SUBJECTS_PER_PARTNERSHIP))
        partnerships = Partnership.objects.bulk_create(
            Partnership(
                name=f"Bench {n:04d}",
                school=school,
                opleiding=opleiding,
                school_year=year,
                status="running",
            )
            for n in range(count)
        )
        PartnershipCompany.objects.bulk_create(
            PartnershipCompany(
                partnership=p,
                company=companies[n % COMPANIES],
                vestiging=vestigingen[n % COMPANIES],
            )
            for n, p in enumerate(partnerships)
        )
        RaciCell.objects.bulk_create(
            (
                RaciCell(partnership=p, task=task.code, role=role, letter=letter)
                for p in partnerships
                for task in raci.TASKS
                for role, letter in task.defaults.items()
            ),
            batch_size=BATCH,
        )
        # The school's coördinator (R) and directie (A) of "contracten" in every partnership,
        # and a company coördinator: the recipients of the rules.
        staff = User.objects.bulk_create(
            (
                User(email=f"{role}-{n}@{EMAIL_DOMAIN}", full_name=f"{role} {n}", password="!")
                for n in range(count)
                for role in ("coordinator_school", "directie_school", "coordinator_bedrijf")
            ),
            batch_size=BATCH,
        )
        TeamMember.objects.bulk_create(
            (
                TeamMember(
                    partnership=partnerships[index // 3],
                    user=user,
                    role=user.email.split("-")[0],
                    organisation=school if index % 3 < 2 else companies[(index // 3) % COMPANIES],
                )
                for index, user in enumerate(staff)
            ),
            batch_size=BATCH,
        )
        students = Student.objects.bulk_create(
            (
                Student(
                    school=school,
                    first_name=f"Student{n}",
                    last_name="Bench",
                    birth_date=today.replace(year=today.year - 17),
                    school_class=school_class,
                )
                for n in range(subjects)
            ),
            batch_size=BATCH,
        )
        trajects = Traject.objects.bulk_create(
            (
                Traject(
                    student=s,
                    partnership=partnerships[n // SUBJECTS_PER_PARTNERSHIP],
                    status="running",
                )
                for n, s in enumerate(students)
            ),
            batch_size=BATCH,
        )
        placements: list[Placement] = []
        mentored: list[tuple[int, bool]] = []  # (index in placements, runs now)
        for n, traject in enumerate(trajects):
            partnership_index = n // SUBJECTS_PER_PARTNERSHIP
            if n % due_every == 0:  # due: starts within 14 days, no mentor
                start = today + timedelta(days=1 + (n // due_every) % 14)
                end = start + timedelta(days=180)
            elif n % 10 == 1:  # runs now, with a mentor
                start, end = today - timedelta(days=60), today + timedelta(days=120)
                mentored.append((len(placements), True))
            else:  # an earlier school year, with a mentor
                start = today - timedelta(days=400 + n % 200)
                end = start + timedelta(days=200)
                mentored.append((len(placements), False))
            placements.append(
                Placement(
                    traject=traject,
                    company=companies[partnership_index % COMPANIES],
                    vestiging=vestigingen[partnership_index % COMPANIES],
                    start_date=start,
                    end_date=end,
                    workplace_hours_per_week=Decimal("20"),
                )
            )
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        running = sum(1 for _, now in mentored if now)
        mentors = User.objects.bulk_create(
            (
                User(email=f"mentor-{n}@{EMAIL_DOMAIN}", full_name=f"Mentor {n}", password="!")
                for n in range(max(1, -(-running // STUDENTS_PER_MENTOR)))
            ),
            batch_size=BATCH,
        )
        supervisors = []
        running_seen = past_seen = 0
        for index, now in mentored:
            if now:
                mentor = mentors[running_seen // STUDENTS_PER_MENTOR]
                running_seen += 1
            else:
                mentor = mentors[past_seen % len(mentors)]
                past_seen += 1
            supervisors.append(
                PlacementSupervisor(placement=placements[index], user=mentor, kind="mentor")
            )
        PlacementSupervisor.objects.bulk_create(supervisors, batch_size=BATCH)
        # Open invitations by the school coördinators: the same share is a week old.
        now = timezone.now()
        invitations = []
        for n in range(max(1, subjects // 100)):
            sent = now - timedelta(days=8 if n % due_every == 0 else n % 6)
            invitations.append(
                Invitation(
                    partnership=partnerships[n % count],
                    organisation=school,
                    email=f"invitee-{n}@{EMAIL_DOMAIN}",
                    full_name=f"Invitee {n}",
                    role="leerkracht",
                    invited_by=staff[(n % count) * 3],
                    token_hash=f"bench{n:059d}",
                    sent_at=sent,
                    expires_at=sent + timedelta(days=14),
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=BATCH)
        self._grant_school_staff(partnerships=partnerships, staff=staff, trajects=trajects)

    @staticmethod
    def _grant_school_staff(
        *, partnerships: list[Partnership], staff: list[User], trajects: list[Traject]
    ) -> None:
        """The view grants of the school's coördinator and directie: a role group per
        partnership and role holding ``view_traject`` on each of its trajects."""
        view = Permission.objects.get(
            codename=permissions.VIEW_TRAJECT,
            content_type=ContentType.objects.get_for_model(Traject),
        )
        groups = Group.objects.bulk_create(
            Group(name=f"partnership-{p.public_id}-{role}")
            for p in partnerships
            for role in SCHOOL_STAFF
        )
        group_of = {
            (p.pk, role): groups[index * len(SCHOOL_STAFF) + offset]
            for index, p in enumerate(partnerships)
            for offset, role in enumerate(SCHOOL_STAFF)
        }
        PartnershipRoleGroup.objects.bulk_create(
            PartnershipRoleGroup(partnership_id=pk, role=role, group=group)
            for (pk, role), group in group_of.items()
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(
                user_id=user.pk, group_id=group_of[(p.pk, user.email.split("-")[0])].pk
            )
            for index, user in enumerate(staff)
            if index % 3 < 2
            for p in [partnerships[index // 3]]
        )
        TrajectGroupObjectPermission.objects.bulk_create(
            (
                TrajectGroupObjectPermission(
                    group=group_of[(traject.partnership_id, role)],
                    permission=view,
                    content_object=traject,
                )
                for traject in trajects
                for role in SCHOOL_STAFF
            ),
            batch_size=BATCH,
        )
