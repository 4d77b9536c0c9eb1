"""The reminder rules of partnerships (plug-in of the reminder engine, ``notifications``).

Four rules, each answering set-based from the database who must be reminded of what
(docs/decisions/0004-reminder-rows.md): a placement starting without a mentor, a RACI letter
held by nobody in a running partnership, a mentor above the sector's limit, an invitation not
accepted after 7 days. Recipients come from the partnership's RACI matrix (the R and A holders
of a task, resolved to active team members, and only those who may see the student a mail is
about: ``permissions.users_seeing_trajects``) or from the row itself (the inviter).

Also the overview of ``/notifications/reminders/``: a partnership's reminders are followed by
the people ``permissions.partnerships_overseen_by`` names, a reminder about a student only by
those who may see the student.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.registry import (
    Candidate,
    Key,
    ReminderRule,
    current_lead,
    monday_of,
    register_overview,
    register_rule,
)
from partnerships import permissions, raci
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
from partnerships.selectors.mentors import mentor_supervisions_on, placements_losing_eligibility

RA_LETTERS = ("R", "A", "RA")
OPEN_TRAJECT = (TrajectStatus.INTAKE, TrajectStatus.RUNNING)
LIVE_PARTNERSHIP = (PartnershipStatus.PREPARATION, PartnershipStatus.RUNNING)

Holder = tuple[int, str, int]  # (user id, team role, organisation id)


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


class PartnershipRule(ReminderRule):
    """A rule about something in a partnership: its mails link to the partnership's page."""

    def link(self, subject: Any, *, partnership: Partnership | None) -> str:
        if partnership is not None:
            return reverse("partnerships:partnership_detail", args=[partnership.public_id])
        return reverse("home")


@register_rule
class PlacementWithoutMentor(PartnershipRule):
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
            placements.values_list("pk", "start_date", "traject_id", "traject__partnership_id")
        )
        if not rows:
            return []
        holders = raci_holders(partnerships={row[3] for row in rows}, tasks=[self.task])
        # A mail about a student goes only to holders who may see that student.
        seeing = permissions.users_seeing_trajects(
            user_ids={user_id for found in holders.values() for user_id, _, _ in found},
            traject_ids={row[2] for row in rows},
        )
        content_type = self.content_type_id()
        found = []
        for pk, start, traject_id, partnership_id in rows:
            lead = current_lead(due=start, today=today, leads=self.lead_days)
            if lead is None:
                continue
            found += [
                Candidate(
                    self.code, content_type, pk, user_id, start, lead, partnership_id, traject_id
                )
                for user_id in user_ids(holders.get(partnership_id, ()))
                if (user_id, traject_id) in seeing
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


@register_rule
class RaciGap(PartnershipRule):
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


@register_rule
class MentorOverload(PartnershipRule):
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
        # The one mentor rule (partnerships.selectors.mentors): open trajects, per day.
        active = mentor_supervisions_on(today)
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


@register_rule
class PlacementLosesEligibility(PartnershipRule):
    """(e) A running or future placement that placement_create would refuse now: its vestiging
    no longer recognised for the opleiding, or a mentor no longer eligible (recognition
    expired or withdrawn, training overdue). The placement is never changed; the R and A
    holders of "Opmaken contracten" who see the student hear of it once a week."""

    code = "placement_ineligible"
    label = _("Placement no longer recognised or mentor not eligible")
    help_text = _(
        "The company is no longer recognised for the opleiding, or a mentor no longer meets "
        "the conditions."
    )
    subject_model = Placement
    task = "contracten"

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        at_risk = placements_losing_eligibility(
            today=today, placement_ids=subject_ids, partnership_statuses=LIVE_PARTNERSHIP
        )
        if not at_risk:
            return []
        rows = [
            (pk, placement.traject_id, placement.traject.partnership_id)
            for pk, (placement, _reasons) in at_risk.items()
        ]
        holders = raci_holders(partnerships={row[2] for row in rows}, tasks=[self.task])
        seeing = permissions.users_seeing_trajects(
            user_ids={user_id for found in holders.values() for user_id, _, _ in found},
            traject_ids={row[1] for row in rows},
        )
        content_type = self.content_type_id()
        due = monday_of(today)
        return [
            Candidate(self.code, content_type, pk, user_id, due, 0, partnership_id, traject_id)
            for pk, traject_id, partnership_id in rows
            for user_id in user_ids(holders.get(partnership_id, ()))
            if (user_id, traject_id) in seeing
        ]

    def subject_queryset(self) -> QuerySet:
        return Placement.objects.select_related(
            "traject__student", "traject__partnership", "company", "vestiging"
        )

    def describe(self, subject: Placement) -> str:
        return _("%(student)s at %(company)s") % {
            "student": subject.traject.student.full_name,
            "company": subject.company.name,
        }

    def context(self, subject: Placement, *, reminder: Any) -> dict[str, Any]:
        today = timezone.localdate()
        found = placements_losing_eligibility(today=today, placement_ids=[subject.pk])
        return {"reasons": found[subject.pk][1] if subject.pk in found else []}

    def link(self, subject: Placement, *, partnership: Partnership | None) -> str:
        return reverse("partnerships:traject_detail", args=[subject.traject.public_id])


@register_rule
class InvitationPending(PartnershipRule):
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


@register_overview("partnerships")
class PartnershipReminderOverview:
    """The reminders of the partnerships a person runs or approves for; a reminder about a
    student only when that person may see the student (a company coördinator does not see
    another company's students)."""

    def visible(self, *, user: User) -> Q:
        overseen = permissions.partnerships_overseen_by(user=user).values("pk")
        trajects = permissions.trajects_visible_to(user=user).values("pk")
        return Q(partnership__in=overseen) & (Q(traject__isnull=True) | Q(traject__in=trajects))

    def options(self, *, user: User) -> list[tuple[str, str]]:
        partnerships = (
            permissions.partnerships_overseen_by(user=user)
            .select_related("school")
            .order_by("name", "school__name")
        )
        return [
            (str(p.public_id), f"{p.name} – {p.school.name} ({p.school_year_label})")
            for p in partnerships
        ]

    def narrow(self, *, user: User, value: str) -> Q | None:
        try:
            partnership = permissions.get_partnership_for_overseer(user=user, public_id=value)
        except Http404:
            return None
        return Q(partnership=partnership)
