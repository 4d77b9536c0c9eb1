"""The reminder rules of contracts (plug-in of the reminder engine, ``notifications``;
docs/decisions/0004-reminder-rows.md).

* ``contract_unsigned`` — a contract out for signing whose start is 14, 7 and 3 days away, to
  each party that has not signed yet: for the company and the school their coordinators in the
  partnership's team (``coordinator_bedrijf`` of that company, ``coordinator_school``), for the
  student and the parents their own accounts.
* ``contract_suspended_long`` — a contract suspended for 14 days (a suspension has no end date
  of its own), to the school's coordinators and trajectbegeleiders, once per suspension.

Team members are reminded only about students they may see
(``permissions.users_seeing_trajects``); the student and the parents are parties themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract, ContractParty, ContractState, PartyRole, Signature
from notifications.registry import Candidate, ReminderRule, current_lead, register_rule
from partnerships import permissions
from partnerships.models import TeamMember, TeamRole

SUSPENSION_DAYS = 14


def _team(
    partnership_ids: Iterable[int], roles: Iterable[str]
) -> dict[tuple[int, str, int], set[int]]:
    """{(partnership id, role, organisation id): {user id}} of the active team members."""
    found: dict[tuple[int, str, int], set[int]] = defaultdict(set)
    rows = TeamMember.objects.filter(
        partnership__in=list(partnership_ids), role__in=list(roles), user__is_active=True
    ).values_list("partnership_id", "role", "organisation_id", "user_id")
    for partnership_id, role, organisation_id, user_id in rows:
        found[(partnership_id, role, organisation_id)].add(user_id)
    return found


class ContractRule(ReminderRule):
    subject_model = Contract

    def subject_queryset(self) -> QuerySet:
        return Contract.objects.select_related(
            "traject__student", "traject__partnership__school", "company"
        )

    def describe(self, subject: Contract) -> str:
        return _("%(type)s of %(student)s at %(company)s") % {
            "type": subject.get_contract_type_display(),
            "student": subject.traject.student.full_name,
            "company": subject.company.name,
        }

    def link(self, subject: Contract, *, partnership: Any) -> str:
        return reverse("contracts:contract", args=[subject.traject.public_id, subject.public_id])


@register_rule
class ContractUnsigned(ContractRule):
    code = "contract_unsigned"
    label = _("Contract not signed yet")
    help_text = _("A contract starts within two weeks and you have not signed it yet.")
    lead_days = (14, 7, 3)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        contracts = Contract.objects.filter(
            state=ContractState.TO_SIGN,
            start_date__gte=today,
            start_date__lte=today + timedelta(days=max(self.lead_days)),
        )
        if subject_ids is not None:
            contracts = contracts.filter(pk__in=list(subject_ids))
        rows = {
            row[0]: row
            for row in contracts.values_list(
                "pk",
                "start_date",
                "traject_id",
                "traject__partnership_id",
                "traject__partnership__school_id",
                "company_id",
                "traject__student__user_id",
            )
        }
        if not rows:
            return []
        signed = Signature.objects.filter(
            contract_id__in=list(rows), voided_at__isnull=True
        ).values("party_id")
        missing = (
            ContractParty.objects.filter(contract_id__in=list(rows), required=True)
            .exclude(pk__in=signed)
            .values_list("contract_id", "role", "contact__user_id")
        )
        team = _team(
            {row[3] for row in rows.values()},
            [TeamRole.COORDINATOR_SCHOOL, TeamRole.COORDINATOR_BEDRIJF],
        )
        wanted: list[tuple[int, int]] = []  # (contract id, user id)
        team_pairs: list[tuple[int, int]] = []
        for contract_id, role, contact_user_id in missing:
            _pk, _start, _traject, partnership_id, school_id, company_id, student_user_id = rows[
                contract_id
            ]
            if role == PartyRole.COMPANY:
                for user_id in team.get(
                    (partnership_id, TeamRole.COORDINATOR_BEDRIJF, company_id), ()
                ):
                    team_pairs.append((contract_id, user_id))
            elif role == PartyRole.SCHOOL:
                for user_id in team.get(
                    (partnership_id, TeamRole.COORDINATOR_SCHOOL, school_id), ()
                ):
                    team_pairs.append((contract_id, user_id))
            elif role == PartyRole.STUDENT and student_user_id:
                wanted.append((contract_id, student_user_id))
            elif role == PartyRole.PARENT and contact_user_id:
                wanted.append((contract_id, contact_user_id))
        seeing = permissions.users_seeing_trajects(
            user_ids={user_id for _c, user_id in team_pairs},
            traject_ids={rows[contract_id][2] for contract_id, _u in team_pairs},
        )
        wanted += [(c, u) for c, u in team_pairs if (u, rows[c][2]) in seeing]
        content_type = self.content_type_id()
        found: dict[tuple, Candidate] = {}
        for contract_id, user_id in wanted:
            _pk, start, traject_id, partnership_id, *_rest = rows[contract_id]
            lead = current_lead(due=start, today=today, leads=self.lead_days)
            if lead is None:
                continue
            candidate = Candidate(
                self.code, content_type, contract_id, user_id, start, lead, partnership_id,
                traject_id,
            )  # fmt: skip
            found.setdefault(candidate.key, candidate)
        return list(found.values())

    def context(self, subject: Contract, *, reminder: Any) -> dict[str, Any]:
        return {
            "start": date_format(subject.start_date, "DATE_FORMAT"),
            "days": (subject.start_date - timezone.localdate()).days,
        }


@register_rule
class ContractSuspendedLong(ContractRule):
    code = "contract_suspended_long"
    label = _("Contract suspended for two weeks")
    help_text = _("A contract has been suspended for 14 days: resume it or end it.")

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        contracts = Contract.objects.filter(
            state=ContractState.SUSPENDED,
            suspended_on__lte=today - timedelta(days=SUSPENSION_DAYS),
        )
        if subject_ids is not None:
            contracts = contracts.filter(pk__in=list(subject_ids))
        rows = list(
            contracts.values_list(
                "pk",
                "suspended_on",
                "traject_id",
                "traject__partnership_id",
                "traject__partnership__school_id",
            )
        )
        if not rows:
            return []
        roles = [TeamRole.COORDINATOR_SCHOOL, TeamRole.TRAJECTBEGELEIDER]
        team = _team({row[3] for row in rows}, roles)
        pairs = [
            (row, user_id)
            for row in rows
            for role in roles
            for user_id in team.get((row[3], role, row[4]), ())
        ]
        seeing = permissions.users_seeing_trajects(
            user_ids={user_id for _row, user_id in pairs},
            traject_ids={row[2] for row, _u in pairs},
        )
        content_type = self.content_type_id()
        found: dict[tuple, Candidate] = {}
        for (pk, suspended_on, traject_id, partnership_id, _school), user_id in pairs:
            if (user_id, traject_id) not in seeing:
                continue
            due = suspended_on + timedelta(days=SUSPENSION_DAYS)
            candidate = Candidate(
                self.code, content_type, pk, user_id, due, 0, partnership_id, traject_id
            )
            found.setdefault(candidate.key, candidate)
        return list(found.values())

    def context(self, subject: Contract, *, reminder: Any) -> dict[str, Any]:
        if subject.suspended_on is None:
            return {}
        return {"since": date_format(subject.suspended_on, "DATE_FORMAT")}
