"""The reminder rules of programmatie (plug-in of the reminder engine, ``notifications``).

Imported by ``recognition/reminders.py`` (the module the engine discovers), so the rules of
the school's side live beside the programmatie they remind of.

* ``programmatie_deadline`` — a draft request not yet submitted while its 30 November comes
  near: on 1 October, 1 November and 23 November (60, 29 and 7 days before).
* ``programmatie_no_student`` — an approved programmatie without a recorded first student as
  1 October comes near (30 and 7 days before, and on the day).

Both go to the school's administrators (its coördinator duaal and directie: those who manage
the request, ``partnerships.permissions.schools_managing_programmatie``). Set-based: a fixed
number of queries, whatever the number of requests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.registry import Candidate, ReminderRule, current_lead, register_rule
from organisations.models import Membership
from recognition import programmatie as rules_of
from recognition.models import Programmatie, ProgrammatieStatus


def _school_admins(school_ids: Iterable[int]) -> dict[int, list[int]]:
    """{school id: [user id]} of the active administrators of the schools (one query)."""
    found: dict[int, list[int]] = defaultdict(list)
    for school_id, user_id in (
        Membership.objects.filter(
            organisation_id__in=list(school_ids), is_admin=True, user__is_active=True
        )
        .order_by("user_id")
        .values_list("organisation_id", "user_id")
    ):
        found[school_id].append(user_id)
    return found


class ProgrammatieRule(ReminderRule):
    subject_model = Programmatie
    status: str
    late_days = 0  # how long after the due date a first reminder is still sent

    def due(self, item_year: int) -> date:
        raise NotImplementedError

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        # Only the school years whose due date is within reach today.
        years = [
            year
            for year in (today.year - 1, today.year, today.year + 1, today.year + 2)
            if self.due(year) - timedelta(days=max(self.lead_days))
            <= today
            <= self.due(year) + timedelta(days=self.late_days)
        ]
        if not years:
            return []
        items = Programmatie.objects.filter(status=self.status, school_year__in=years)
        if subject_ids is not None:
            items = items.filter(pk__in=list(subject_ids))
        rows = list(items.values_list("pk", "school_id", "school_year"))
        if not rows:
            return []
        admins = _school_admins({school_id for _pk, school_id, _year in rows})
        content_type = self.content_type_id()
        found = []
        for pk, school_id, year in rows:
            due = self.due(year)
            lead = current_lead(due=due, today=today, leads=self.lead_days)
            if lead is None:
                continue
            found += [
                Candidate(self.code, content_type, pk, user_id, due, lead)
                for user_id in admins.get(school_id, ())
            ]
        return found

    def subject_queryset(self) -> QuerySet:
        return Programmatie.objects.select_related("school", "opleiding")

    def describe(self, subject: Programmatie) -> str:
        return _("%(opleiding)s at %(school)s, school year %(year)s") % {
            "opleiding": subject.opleiding.name,
            "school": subject.school.name,
            "year": subject.school_year_label,
        }

    def link(self, subject: Programmatie, *, partnership: Any) -> str:
        return reverse("recognition:programmatie_detail", args=[subject.public_id])

    def context(self, subject: Programmatie, *, reminder: Any) -> dict[str, Any]:
        return {"due": self.due(subject.school_year)}


@register_rule
class ProgrammatieDeadline(ProgrammatieRule):
    code = "programmatie_deadline"
    label = _("Programmatie request not submitted")
    help_text = _(
        "A draft programmatie request is still not submitted as 30 November comes near "
        "(on 1 October, 1 November and 23 November)."
    )
    lead_days = (60, 29, 7)  # 1 October, 1 November, 23 November
    status = ProgrammatieStatus.CONCEPT

    def due(self, item_year: int) -> date:
        return rules_of.submit_deadline(item_year)


@register_rule
class ProgrammatieNoStudent(ProgrammatieRule):
    code = "programmatie_no_student"
    label = _("Programmatie without a student")
    help_text = _(
        "An approved programmatie has no student recorded yet as 1 October comes near: "
        "without one it lapses."
    )
    lead_days = (30, 7, 0)
    late_days = 30
    status = ProgrammatieStatus.APPROVED

    def due(self, item_year: int) -> date:
        return rules_of.first_student_deadline(item_year)
