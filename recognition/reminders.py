"""The reminder rules of recognition (plug-in of the reminder engine, ``notifications``).

Three rules, each set-based (a fixed number of queries whatever the number of recognitions or
mentors; docs/decisions/0004-reminder-rows.md), none about a student: the rows name no
partnership and no traject, so only their recipients see them (in-app and by mail).

* ``recognition_expiring`` — a recognition expires: 6 and 3 calendar months before its
  ``valid_until``, to the administrators (coördinators) of its company; not once the
  vestiging has a newer recognition for the opleiding or a renewal request filed (submitted,
  complete, visit planned, appeal), nor once it is no longer recognised;
* ``mentor_training_due`` — the mentor training is due within a year of the first recognition
  naming the mentor: 9 and 11 months after that recognition, while the training (both
  sessions) is not complete and a recognition in force names the mentor, to the mentor and the
  administrators of the companies of those recognitions; not after the training is recorded
  nor after the year (then ``placement_ineligible`` of partnerships flags the placements);
* ``recognition_decision_overdue`` — a complete request (or an appeal) without a decision on
  day 10 and day 14 of its 14 days (``decision_due``), to the members (consultants) of the
  sector body it was routed to; not once it is decided or withdrawn.

Recipients mirror ``partnerships.permissions`` (recognitions_visible_to, may_manage_recognition,
mentor_profiles_visible_to): each recipient may read what the reminder is about. This app sits
below partnerships and reads the memberships itself (tests/recognition/test_reminders.py
checks the recipients against those permissions).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.registry import Candidate, Key, ReminderRule, current_lead, register_rule
from organisations.models import Membership
from recognition.models import (
    TRAINING_DUE_YEARS,
    MentorProfile,
    Recognition,
    RecognitionStatus,
)
from recognition.selectors import add_years

S = RecognitionStatus
# A renewal the company filed: the expiry reminder has done its work.
RENEWAL_FILED = (S.SUBMITTED, S.COMPLETE, S.VISIT_PLANNED, S.APPEAL)
AWAITING_DECISION = (S.COMPLETE, S.VISIT_PLANNED, S.APPEAL)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier); the 31st becomes the last
    day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_leads(due: date, *, sent_on: Iterable[date]) -> list[int]:
    """Lead times in days (before ``due``) of reminders to be sent on ``sent_on``."""
    return [(due - day).days for day in sent_on]


def company_admins(company_ids: Iterable[int]) -> dict[int, set[int]]:
    """{company id: ids of its active administrators} (one query)."""
    admins: dict[int, set[int]] = defaultdict(set)
    for organisation_id, user_id in Membership.objects.filter(
        organisation_id__in=set(company_ids), is_admin=True, user__is_active=True
    ).values_list("organisation_id", "user_id"):
        admins[organisation_id].add(user_id)
    return admins


def organisation_members(organisation_ids: Iterable[int]) -> dict[int, set[int]]:
    """{organisation id: ids of its active members} (one query)."""
    members: dict[int, set[int]] = defaultdict(set)
    for organisation_id, user_id in Membership.objects.filter(
        organisation_id__in=set(organisation_ids), user__is_active=True
    ).values_list("organisation_id", "user_id"):
        members[organisation_id].add(user_id)
    return members


class RecognitionRule(ReminderRule):
    """A rule about a recognition (request): it is described by its vestiging and opleiding."""

    subject_model = Recognition

    def subject_queryset(self) -> QuerySet:
        return Recognition.objects.select_related("company", "vestiging", "opleiding")

    def describe(self, subject: Recognition) -> str:
        return _("%(vestiging)s for %(opleiding)s") % {
            "vestiging": subject.vestiging,
            "opleiding": subject.opleiding,
        }


@register_rule
class RecognitionExpiring(RecognitionRule):
    code = "recognition_expiring"
    label = _("Recognition expires")
    help_text = _(
        "A recognition of your company expires within six months and no renewal has been filed."
    )
    months = (6, 3)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        renewed = Recognition.objects.filter(
            vestiging=OuterRef("vestiging"), opleiding=OuterRef("opleiding")
        ).filter(
            Q(status__in=RENEWAL_FILED)
            | Q(status=S.RECOGNISED, valid_until__gt=OuterRef("valid_until"))
        )
        recognitions = Recognition.objects.filter(
            status=S.RECOGNISED,
            valid_until__gte=today,
            # A little over the longest lead; current_lead decides to the day.
            valid_until__lte=today + timedelta(days=31 * max(self.months) + 1),
        ).filter(~Exists(renewed))
        if subject_ids is not None:
            recognitions = recognitions.filter(pk__in=list(subject_ids))
        rows = list(recognitions.values_list("pk", "valid_until", "company_id"))
        if not rows:
            return []
        admins = company_admins({company_id for _pk, _until, company_id in rows})
        content_type = self.content_type_id()
        found = []
        for pk, until, company_id in rows:
            leads = month_leads(until, sent_on=[add_months(until, -m) for m in self.months])
            lead = current_lead(due=until, today=today, leads=leads)
            if lead is None:
                continue
            found += [
                Candidate(self.code, content_type, pk, user_id, until, lead)
                for user_id in sorted(admins.get(company_id, ()))
            ]
        return found

    def link(self, subject: Recognition, *, partnership: Any) -> str:
        """The request's page on the company's side, where its renewal is filed from."""
        return reverse("recognition:company_request_detail", args=[subject.public_id])

    def context(self, subject: Recognition, *, reminder: Any) -> dict[str, Any]:
        return {"valid_until": subject.valid_until}


@register_rule
class RecognitionDecisionOverdue(RecognitionRule):
    code = "recognition_decision_overdue"
    label = _("Recognition decision due")
    help_text = _(
        "A complete recognition request is waiting for a decision: on day 10 and day 14 of "
        "its 14 days."
    )
    lead_days = (4, 0)  # day 10 and day 14 after "complete" (decision_due = day 14)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        requests = Recognition.objects.filter(
            status__in=AWAITING_DECISION,
            sector_body__isnull=False,
            decision_due__lte=today + timedelta(days=max(self.lead_days)),
        )
        if subject_ids is not None:
            requests = requests.filter(pk__in=list(subject_ids))
        rows = list(requests.values_list("pk", "decision_due", "sector_body_id"))
        if not rows:
            return []
        consultants = organisation_members({body_id for _pk, _due, body_id in rows})
        content_type = self.content_type_id()
        found = []
        for pk, due, body_id in rows:
            lead = current_lead(due=due, today=today, leads=self.lead_days)
            if lead is None:
                continue
            found += [
                Candidate(self.code, content_type, pk, user_id, due, lead)
                for user_id in sorted(consultants.get(body_id, ()))
            ]
        return found

    def link(self, subject: Recognition, *, partnership: Any) -> str:
        """The request in the consultant's inbox, where it is decided."""
        return reverse("recognition:consultant_detail", args=[subject.public_id])

    def context(self, subject: Recognition, *, reminder: Any) -> dict[str, Any]:
        return {"decision_due": subject.decision_due, "company": subject.company}


@register_rule
class MentorTrainingDue(ReminderRule):
    code = "mentor_training_due"
    label = _("Mentor training due")
    help_text = _(
        "A mentor has not completed the mentor training yet; it is due within a year of the "
        "first recognition naming them."
    )
    subject_model = User
    months = (9, 11)  # after the first recognition naming the mentor

    def first_recognitions(
        self, *, today: date, mentor_ids: Iterable[int] | None = None
    ) -> dict[int, date]:
        """{mentor id: the first recognition naming them} of the active mentors whose training
        is due (a year after it) from today on, is not complete, and who are named by a
        recognition in force today (one query)."""
        trained = MentorProfile.objects.filter(
            user=OuterRef("pk"),
            introduction_session_on__isnull=False,
            deepening_session_on__isnull=False,
        )
        in_force = Recognition.objects.filter(
            mentors=OuterRef("pk"),
            status=S.RECOGNISED,
            decided_on__lte=today,
            valid_until__gte=today,
        )
        mentors = (
            User.objects.filter(is_active=True)
            .annotate(
                first_recognised=Min(
                    "recognitions__decided_on",
                    filter=Q(recognitions__status__in=(S.RECOGNISED, S.EXPIRED)),
                )
            )
            .filter(
                # Due a year after it, from today on; the first reminder 9 months after it
                # (a day of slack each side; the exact dates are checked below).
                first_recognised__gte=today - timedelta(days=367),
                first_recognised__lte=today - timedelta(days=270),
            )
            .filter(Exists(in_force), ~Exists(trained))
        )
        if mentor_ids is not None:
            mentors = mentors.filter(pk__in=list(mentor_ids))
        return dict(mentors.values_list("pk", "first_recognised"))

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        first = self.first_recognitions(today=today, mentor_ids=subject_ids)
        due_cases = {}
        for mentor_id, recognised in first.items():
            due = add_years(recognised, TRAINING_DUE_YEARS)
            if due < today:
                continue
            leads = month_leads(due, sent_on=[add_months(recognised, m) for m in self.months])
            lead = current_lead(due=due, today=today, leads=leads)
            if lead is not None:
                due_cases[mentor_id] = (due, lead)
        if not due_cases:
            return []
        companies: dict[int, set[int]] = defaultdict(set)
        for mentor_id, company_id in Recognition.objects.filter(
            mentors__in=list(due_cases),
            status=S.RECOGNISED,
            decided_on__lte=today,
            valid_until__gte=today,
        ).values_list("mentors", "company_id"):
            companies[mentor_id].add(company_id)
        admins = company_admins({c for ids in companies.values() for c in ids})
        content_type = self.content_type_id()
        found: dict[Key, Candidate] = {}
        for mentor_id, (due, lead) in due_cases.items():
            recipients = {mentor_id} | {
                user_id for company_id in companies[mentor_id] for user_id in admins[company_id]
            }
            for user_id in sorted(recipients):
                candidate = Candidate(self.code, content_type, mentor_id, user_id, due, lead)
                found.setdefault(candidate.key, candidate)
        return list(found.values())

    def describe(self, subject: User) -> str:
        return subject.full_name or subject.email

    def link(self, subject: User, *, partnership: Any) -> str:
        """The mentor's profile (where the training is recorded) at the company of the
        recognition in force naming them that expires first and where they work: the
        company's coördinators edit it there, the mentor reads their own."""
        company_id = (
            Recognition.objects.filter(
                mentors=subject, status=S.RECOGNISED, company__memberships__user=subject
            )
            .order_by("valid_until", "pk")
            .values_list("company__public_id", flat=True)
            .first()
        )
        if company_id is None:
            return reverse("home")
        return reverse("recognition:mentor_profile", args=[company_id, subject.public_id])

    def context(self, subject: User, *, reminder: Any) -> dict[str, Any]:
        return {"training_due": reminder.due_date, "is_mentor": reminder.recipient_id == subject.pk}


# The school's side keeps its rules in a module of its own.
from recognition import programmatie_reminders  # noqa: E402, F401 - registers the programmatie rules
