"""Reminder rules, declared in code.

Each rule answers, set-based from the database (a fixed number of queries, never one per row):
which subjects need a reminder today, for whom (chosen by the partnership's RACI matrix, or the
inviter), with which due date and which lead time. The sweeper turns the answer into reminder
rows (``notifications.services.reminders``); the same rule renders the mail and re-checks, at
sending time, that its subject still needs the reminder.

Lead times: a rule with leads (14, 3) reminds 14 days before the due date and again 3 days
before. When a subject is first seen late (5 days before), only the most recent lead that has
passed (14) is used, so nobody gets two mails on one day for one subject.

Rules without a natural deadline (a gap in the matrix, a mentor above the limit) describe a
state: their due date is the Monday of the current week, so a problem that lasts is recalled
once a week, never more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from partnerships import raci
from partnerships.models import (
    Invitation,
    MentorLoadRule,
    Partnership,
    Placement,
    PlacementSupervisor,
    RaciCell,
    TeamMember,
    TeamRole,
    TrajectStatus,
)
from partnerships.models.partnerships import TEAM_ROLES, PartnershipStatus
from partnerships.services.grants import (
    COMPANY_WIDE_ROLES,
    PARTNERSHIP_WIDE_ROLES,
    SUPERVISOR_ROLES,
)

RA_LETTERS = ("R", "A", "RA")
OPEN_TRAJECT = (TrajectStatus.INTAKE, TrajectStatus.RUNNING)
LIVE_PARTNERSHIP = (PartnershipStatus.PREPARATION, PartnershipStatus.RUNNING)

Key = tuple[str, int, int, int, date, int]
Holder = tuple[int, str, int]  # (user id, team role, organisation id)


@dataclass(frozen=True)
class Candidate:
    """One reminder a rule asks for: the future row's unique key plus its scope."""

    rule: str
    subject_type_id: int
    subject_id: int
    recipient_id: int
    due_date: date
    lead_days: int
    partnership_id: int | None = None
    traject_id: int | None = None

    @property
    def key(self) -> Key:
        return (
            self.rule,
            self.subject_type_id,
            self.subject_id,
            self.recipient_id,
            self.due_date,
            self.lead_days,
        )

    @property
    def send_on(self) -> date:
        return self.due_date - timedelta(days=self.lead_days)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_lead(*, due: date, today: date, leads: Iterable[int]) -> int | None:
    """The most recent lead time that has passed for ``due``, or None when it is too early."""
    days_left = (due - today).days
    passed = [lead for lead in leads if lead >= days_left]
    return min(passed) if passed else None


def raci_holders(
    *, partnerships: QuerySet | Iterable[int], tasks: Iterable[str]
) -> dict[int, set[Holder]]:
    """{partnership id: {(user id, role, organisation id)}} of the active team members whose
    role holds R or A on one of ``tasks``.

    One query, whatever the number of partnerships (``partnerships`` may be a subquery).
    """
    holds_letter = RaciCell.objects.filter(
        partnership=OuterRef("partnership"),
        role=OuterRef("role"),
        task__in=list(tasks),
        letter__in=RA_LETTERS,
    )
    rows = (
        TeamMember.objects.filter(partnership__in=partnerships, user__is_active=True)
        .filter(Exists(holds_letter))
        .values_list("partnership_id", "user_id", "role", "organisation_id")
        .distinct()
    )
    holders: dict[int, set[Holder]] = defaultdict(set)
    for partnership_id, user_id, role, organisation_id in rows:
        holders[partnership_id].add((user_id, role, organisation_id))
    return holders


def user_ids(holders: Iterable[Holder]) -> list[int]:
    return sorted({user_id for user_id, _role, _organisation in holders})


def sees_placement(*, role: str, organisation_id: int, company_id: int, supervises: bool) -> bool:
    """Whether a team member in ``role`` sees the student of a placement in ``company_id``.

    The scope rule of the access model (ARCHITECTURE.md item 3), with the role sets the grants
    service uses: a mail about a student goes only to people who may see that student, also
    when a partnership's matrix makes, say, a company coördinator responsible for contracts.
    """
    if role in PARTNERSHIP_WIDE_ROLES:
        return True
    if role in COMPANY_WIDE_ROLES:
        return organisation_id == company_id
    return role in SUPERVISOR_ROLES and supervises


class ReminderRule:
    """Base class: a code (also the kind people can opt out of), a label, lead times."""

    code: ClassVar[str]
    label: ClassVar[Promise]
    help_text: ClassVar[Promise]
    subject_model: ClassVar[type[models.Model]]
    lead_days: ClassVar[tuple[int, ...]] = (0,)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        """Every reminder this rule asks for at ``now`` (optionally for some subjects only)."""
        raise NotImplementedError

    def subject_queryset(self) -> QuerySet:
        """Subjects with what ``describe`` and the mail need (used for GenericPrefetch too)."""
        return self.subject_model.objects.all()

    def describe(self, subject: Any) -> str:
        return str(subject)

    def link(self, subject: Any, *, partnership: Partnership | None) -> str:
        """Path of the page where the recipient can act on the reminder."""
        if partnership is not None:
            return reverse("partnerships:partnership_detail", args=[partnership.public_id])
        return reverse("home")

    def context(self, subject: Any, *, reminder: Any) -> dict[str, Any]:
        """Extra context of the mail templates (may query: it runs once per mail)."""
        return {}

    def applies(self, reminder: Any, *, now: datetime) -> bool:
        """Whether the reminder's subject still needs it (re-checked just before sending)."""
        return any(
            c.recipient_id == reminder.recipient_id and c.due_date == reminder.due_date
            for c in self.evaluate(now=now, subject_ids=[reminder.subject_id])
        )

    def content_type_id(self) -> int:
        return ContentType.objects.get_for_model(self.subject_model).pk


class PlacementWithoutMentor(ReminderRule):
    """(a) A placement starts within 14 days and nobody is its mentor yet.

    To the R and A holders of "Opmaken contracten" (the contract names the mentor).
    """

    code = "placement_without_mentor"
    label = _("Placement without a mentor")
    help_text = _("A placement starts within two weeks and has no mentor yet.")
    subject_model = Placement
    lead_days = (14, 3)
    task = "contracten"

    def _placements(self, *, today: date, subject_ids: Iterable[int] | None) -> QuerySet:
        horizon = today + timedelta(days=max(self.lead_days))
        has_mentor = PlacementSupervisor.objects.filter(
            placement=OuterRef("pk"), kind=PlacementSupervisor.Kind.MENTOR
        )
        placements = Placement.objects.filter(
            start_date__gte=today,
            start_date__lte=horizon,
            traject__status__in=OPEN_TRAJECT,
            traject__partnership__status__in=LIVE_PARTNERSHIP,
        ).filter(~Exists(has_mentor))
        if subject_ids is not None:
            placements = placements.filter(pk__in=list(subject_ids))
        return placements

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        placements = self._placements(today=today, subject_ids=subject_ids)
        rows = list(
            placements.values_list(
                "pk", "start_date", "traject_id", "traject__partnership_id", "company_id"
            )
        )
        if not rows:
            return []
        holders = raci_holders(partnerships={row[3] for row in rows}, tasks=[self.task])
        supervising: set[tuple[int, int]] = set()
        if any(role in SUPERVISOR_ROLES for found in holders.values() for _, role, _ in found):
            # Only when the matrix makes a mentor or begeleider R/A of the task (rare).
            supervising = set(
                PlacementSupervisor.objects.filter(placement__in=placements).values_list(
                    "placement_id", "user_id"
                )
            )
        content_type = self.content_type_id()
        found = []
        for pk, start, traject_id, partnership_id, company_id in rows:
            lead = current_lead(due=start, today=today, leads=self.lead_days)
            if lead is None:
                continue
            found += [
                Candidate(
                    self.code, content_type, pk, user_id, start, lead, partnership_id, traject_id
                )
                for user_id, role, organisation_id in holders.get(partnership_id, ())
                if sees_placement(
                    role=role,
                    organisation_id=organisation_id,
                    company_id=company_id,
                    supervises=(pk, user_id) in supervising,
                )
            ]
        return found

    def subject_queryset(self) -> QuerySet:
        return Placement.objects.select_related(
            "traject__student", "traject__partnership", "company", "vestiging"
        )

    def describe(self, subject: Placement) -> str:
        return _("%(student)s at %(company)s from %(date)s") % {
            "student": subject.traject.student.full_name,
            "company": subject.company.name,
            "date": date_format(subject.start_date, "SHORT_DATE_FORMAT"),
        }

    def link(self, subject: Placement, *, partnership: Partnership | None) -> str:
        return reverse("partnerships:traject_detail", args=[subject.traject.public_id])


class RaciGap(ReminderRule):
    """(b) In a running partnership, a task's R or A letter is held by no member of the team.

    To the R and A holders of "Opmaken contracten" (by default the school's coördinator and
    directie), once a week while the gap lasts.
    """

    code = "raci_gap"
    label = _("Gap in the RACI matrix")
    help_text = _(
        "A task of the RACI matrix has nobody in the team who is responsible (R) or accountable (A)."
    )
    subject_model = Partnership
    task = "contracten"

    def gaps(
        self, *, partnership_ids: Iterable[int] | None = None
    ) -> dict[int, list[tuple[str, str]]]:
        """{partnership id: [(task code, letter), ...]} for running partnerships (three queries)."""
        partnerships = Partnership.objects.filter(status=PartnershipStatus.RUNNING)
        if partnership_ids is not None:
            partnerships = partnerships.filter(pk__in=list(partnership_ids))
        ids = list(partnerships.values_list("pk", flat=True))
        if not ids:
            return {}
        letters: dict[tuple[int, str], dict[str, set[str]]] = {
            (pid, task.code): {"R": set(), "A": set()} for pid in ids for task in raci.TASKS
        }
        cells = RaciCell.objects.filter(
            partnership__in=partnerships, letter__in=RA_LETTERS
        ).values_list("partnership_id", "task", "role", "letter")
        for pid, task, role, letter in cells:
            if (pid, task) in letters:
                for char in letter:
                    letters[(pid, task)][char].add(role)
        filled = set(
            TeamMember.objects.filter(partnership__in=partnerships, user__is_active=True)
            .values_list("partnership_id", "role")
            .distinct()
        )
        found: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for (pid, task), by_letter in letters.items():
            for char in ("R", "A"):
                roles = by_letter[char]
                # A student or parent is bound to a traject, not to the team: not a gap.
                if any(role not in TEAM_ROLES for role in roles):
                    continue
                if not any((pid, role) in filled for role in roles):
                    found[pid].append((task, char))
        return found

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        gaps = self.gaps(partnership_ids=subject_ids)
        if not gaps:
            return []
        holders = raci_holders(partnerships=list(gaps), tasks=[self.task])
        content_type = self.content_type_id()
        due = monday_of(today)
        return [
            Candidate(self.code, content_type, pid, user_id, due, 0, pid, None)
            for pid in gaps
            for user_id in user_ids(holders.get(pid, ()))
        ]

    def subject_queryset(self) -> QuerySet:
        return Partnership.objects.select_related("school")

    def link(self, subject: Partnership, *, partnership: Partnership | None) -> str:
        return reverse("partnerships:raci_matrix", args=[subject.public_id])

    def context(self, subject: Partnership, *, reminder: Any) -> dict[str, Any]:
        gaps = self.gaps(partnership_ids=[subject.pk]).get(subject.pk, [])
        roles = dict(TeamRole.choices)
        holders: dict[tuple[str, str], list[str]] = defaultdict(list)
        for task, role, letter in RaciCell.objects.filter(
            partnership=subject, letter__in=RA_LETTERS
        ).values_list("task", "role", "letter"):
            for char in letter:
                holders[(task, char)].append(str(roles.get(role, role)))
        return {
            "gaps": [
                {
                    "task": raci.TASKS_BY_CODE[task].name if task in raci.TASKS_BY_CODE else task,
                    "letter": char,
                    "roles": ", ".join(sorted(holders.get((task, char), []))),
                }
                for task, char in gaps
            ]
        }


class MentorOverload(ReminderRule):
    """(c) A mentor guides more students today than the company's sector allows.

    The limit is ``mentor_max_students`` (MentorLoadRule by joint committee, else the default);
    the load is the number of distinct trajects with a running placement the mentor guides.
    To the R and A holders of "Informeren toekomstige begeleiders en mentoren" in each
    partnership where the mentor guides one of those students, once a week.
    """

    code = "mentor_overload"
    label = _("Mentor above the student limit")
    help_text = _("A mentor guides more students at the same time than the sector allows.")
    subject_model = User
    task = "informeren_mentoren"

    def loads(
        self, *, today: date, mentor_ids: Iterable[int] | None = None
    ) -> dict[int, tuple[int, int, set[int]]]:
        """{mentor id: (students, limit, partnership ids)} of the mentors above their limit."""
        default = settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS
        limits = dict(MentorLoadRule.objects.values_list("paritair_comite", "max_students"))
        floor = min([default, *limits.values()])
        active = PlacementSupervisor.objects.filter(
            kind=PlacementSupervisor.Kind.MENTOR,
            placement__start_date__lte=today,
            placement__end_date__gte=today,
            placement__traject__status__in=OPEN_TRAJECT,
        )
        if mentor_ids is not None:
            active = active.filter(user_id__in=list(mentor_ids))
        # Only mentors above the lowest limit anywhere can be above their own: the database
        # narrows the set, Python applies each company's limit to the few that remain.
        heavy = (
            active.order_by()
            .values("user_id")
            .annotate(students=Count("placement__traject_id", distinct=True))
            .filter(students__gt=floor)
            .values("user_id")
        )
        rows = active.filter(user_id__in=heavy).values_list(
            "user_id",
            "placement__traject_id",
            Coalesce("placement__company__paritair_comite", models.Value("")),
            "placement__traject__partnership_id",
        )
        trajects: dict[int, set[int]] = defaultdict(set)
        limit: dict[int, int] = {}
        partnerships: dict[int, set[int]] = defaultdict(set)
        for user_id, traject_id, pc, partnership_id in rows:
            trajects[user_id].add(traject_id)
            company_limit = limits.get(pc, default) if pc else default
            limit[user_id] = min(limit.get(user_id, company_limit), company_limit)
            partnerships[user_id].add(partnership_id)
        return {
            user_id: (len(students), limit[user_id], partnerships[user_id])
            for user_id, students in trajects.items()
            if len(students) > limit[user_id]
        }

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        loads = self.loads(today=today, mentor_ids=subject_ids)
        if not loads:
            return []
        all_partnerships = {pid for _, _, pids in loads.values() for pid in pids}
        holders = raci_holders(partnerships=all_partnerships, tasks=[self.task])
        content_type = self.content_type_id()
        due = monday_of(today)
        found: dict[Key, Candidate] = {}
        for mentor_id, (_students, _limit, pids) in loads.items():
            for pid in sorted(pids):
                for user_id in user_ids(holders.get(pid, ())):
                    candidate = Candidate(
                        self.code, content_type, mentor_id, user_id, due, 0, pid, None
                    )
                    found.setdefault(candidate.key, candidate)
        return list(found.values())

    def describe(self, subject: User) -> str:
        return subject.full_name or subject.email

    def context(self, subject: User, *, reminder: Any) -> dict[str, Any]:
        today = timezone.localdate()
        students, limit, _pids = self.loads(today=today, mentor_ids=[subject.pk]).get(
            subject.pk, (0, 0, set())
        )
        return {"students": students, "limit": limit}


class InvitationPending(ReminderRule):
    """(d) An invitation is still not accepted 7 days after it was (last) sent: to the inviter."""

    code = "invitation_pending"
    label = _("Invitation not accepted")
    help_text = _("Someone you invited has not accepted the invitation after a week.")
    subject_model = Invitation
    days = 7

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        invitations = Invitation.objects.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            invited_by__isnull=False,
            invited_by__is_active=True,
            partnership__status__in=LIVE_PARTNERSHIP,
        ).annotate(last_sent=Coalesce("sent_at", "created_at"))
        # A day of slack for the daylight-saving hour; the exact test uses local dates below.
        invitations = invitations.filter(last_sent__lte=now - timedelta(days=self.days - 1))
        if subject_ids is not None:
            invitations = invitations.filter(pk__in=list(subject_ids))
        content_type = self.content_type_id()
        found = []
        for pk, last_sent, inviter_id, partnership_id in invitations.values_list(
            "pk", "last_sent", "invited_by_id", "partnership_id"
        ):
            due = timezone.localdate(last_sent) + timedelta(days=self.days)
            if due <= today:
                found.append(
                    Candidate(self.code, content_type, pk, inviter_id, due, 0, partnership_id, None)
                )
        return found

    def subject_queryset(self) -> QuerySet:
        return Invitation.objects.select_related("partnership", "organisation")

    def describe(self, subject: Invitation) -> str:
        return _("%(name)s (%(email)s) as %(role)s") % {
            "name": subject.full_name,
            "email": subject.email,
            "role": subject.get_role_display(),
        }

    def link(self, subject: Invitation, *, partnership: Partnership | None) -> str:
        return reverse("partnerships:partnership_detail", args=[subject.partnership.public_id])


RULES: dict[str, ReminderRule] = {
    rule.code: rule
    for rule in (PlacementWithoutMentor(), RaciGap(), MentorOverload(), InvitationPending())
}


def kinds() -> list[tuple[str, Promise, Promise]]:
    """(code, label, help text) of every kind of reminder a person can opt out of."""
    return [(rule.code, rule.label, rule.help_text) for rule in RULES.values()]
