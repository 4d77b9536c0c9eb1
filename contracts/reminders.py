"""The reminder rules of contracts (plug-in of the reminder engine, ``notifications``;
docs/decisions/0004-reminder-rows.md).

* ``contract_unsigned`` — a contract out for signing whose start is 14, 7 and 3 days away, to
  each party that has not signed yet: for the company and the school their coordinators in the
  partnership's team (``coordinator_bedrijf`` of that company, ``coordinator_school``), for the
  student and the parents their own accounts.
* ``contract_suspended_long`` — a contract suspended for 14 days (a suspension has no end date
  of its own), to the school's coordinators and trajectbegeleiders, once per suspension.
* ``checklist_item_due`` — an open item of a start checklist due within a week (7 days before
  and on its due date), to the item's owner (``contracts.checklist.owner_roles``: the
  partnership's choice, the RACI Responsible or the default; the people of that role for the
  school, the contract's company or the training centre, or the student). Not for "signed"
  (``contract_unsigned`` reminds each party that has not signed), not after the due date, not
  once the item is done, not for a contract that ended.
* ``risicoanalyse_renewal`` — a risk analysis is valid for a year from its date
  (``contracts.checklist.renewal_due``): 30 days before that, to the item's owner, while the
  contract still runs on the renewal day. Renewing it (a newer date) ends the reminder.

Team members are reminded only about students they may see
(``permissions.users_seeing_trajects``); the student and the parents are parties themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from contracts import checklist
from contracts.models import (
    ChecklistItem,
    Contract,
    ContractParty,
    ContractState,
    PartyRole,
    Signature,
)
from notifications.registry import Candidate, ReminderRule, current_lead, register_rule
from partnerships import permissions
from partnerships.models import TeamMember, TeamRole

SUSPENSION_DAYS = 14
CHECKLIST_LEADS = (7, 0)
RENEWAL_LEAD = 30
# A contract whose checklist still matters (not ended).
OPEN_STATES = (
    ContractState.CONCEPT,
    ContractState.TO_SIGN,
    ContractState.SIGNED,
    ContractState.REGISTERED,
    ContractState.RUNNING,
    ContractState.SUSPENDED,
)


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


# --- the start checklist ----------------------------------------------------------------------


def _owners_of_items(
    rows: list[tuple[int, str, date, int, int, int, int, int | None, int | None]],
) -> list[tuple[tuple, int]]:
    """[(row, user id)] of the owners of checklist items, in a fixed number of queries.

    A row is (item id, code, due, contract id, traject id, partnership id, school id, company
    id, training centre id, student's user id) — ``_ITEM_FIELDS``. Team members are kept only
    for students they may see; the student is the owner of their own item."""
    roles = checklist.owner_roles({row[5] for row in rows})
    wanted: dict[tuple[int, str, int], list[tuple]] = defaultdict(list)
    pairs: list[tuple[tuple, int]] = []
    for row in rows:
        _pk, code, _due, _contract, _traject, partnership_id, school_id, company_id, centre_id, student_user_id = row  # fmt: skip
        role = roles[(partnership_id, code)]
        if role == TeamRole.LEERLING:
            if student_user_id:
                pairs.append((row, student_user_id))
            continue
        organisation_id = checklist.owner_organisation_id(
            role, school_id=school_id, company_id=company_id, training_centre_id=centre_id
        )
        if organisation_id is not None:
            wanted[(partnership_id, role, organisation_id)].append(row)
    team_pairs: list[tuple[tuple, int]] = []
    if wanted:
        team = _team({key[0] for key in wanted}, {key[1] for key in wanted})
        for key, these in wanted.items():
            for user_id in team.get(key, ()):
                team_pairs += [(row, user_id) for row in these]
    seeing = permissions.users_seeing_trajects(
        user_ids={user_id for _row, user_id in team_pairs},
        traject_ids={row[4] for row, _u in team_pairs},
    )
    pairs += [(row, user_id) for row, user_id in team_pairs if (user_id, row[4]) in seeing]
    return pairs


_ITEM_FIELDS = (
    "pk",
    "code",
    "due_on",
    "contract_id",
    "contract__traject_id",
    "contract__traject__partnership_id",
    "contract__traject__partnership__school_id",
    "contract__company_id",
    "contract__traject__partnership__training_centre_id",
    "contract__traject__student__user_id",
)


class ChecklistRule(ReminderRule):
    subject_model = ChecklistItem

    def subject_queryset(self) -> QuerySet:
        return ChecklistItem.objects.select_related(
            "contract__traject__student", "contract__traject__partnership", "contract__company"
        )

    def describe(self, subject: ChecklistItem) -> str:
        return _("%(item)s for %(student)s at %(company)s") % {
            "item": subject.get_code_display(),
            "student": subject.contract.traject.student.full_name,
            "company": subject.contract.company.name,
        }

    def _candidates(
        self, rows: list[tuple], *, lead_of: Callable[[date], int | None]
    ) -> list[Candidate]:
        """One candidate per item (a row of ``_ITEM_FIELDS``, its due date in third place) and
        owner, with the lead ``lead_of(due)`` gives (None: not yet)."""
        if not rows:
            return []
        content_type = self.content_type_id()
        found: dict[tuple, Candidate] = {}
        for row, user_id in _owners_of_items(rows):
            pk, _code, due, _contract, traject_id, partnership_id, *_rest = row
            lead = lead_of(due)
            if lead is not None:
                candidate = Candidate(
                    self.code, content_type, pk, user_id, due, lead, partnership_id, traject_id
                )
                found.setdefault(candidate.key, candidate)
        return list(found.values())

    def link(self, subject: ChecklistItem, *, partnership: Any) -> str:
        contract = subject.contract
        url = reverse("contracts:checklist", args=[contract.traject.public_id, contract.public_id])
        return f"{url}#item-{subject.code}"


@register_rule
class ChecklistItemDue(ChecklistRule):
    code = "checklist_item_due"
    label = _("Start checklist item due")
    help_text = _("An item of a start checklist that you own is due within a week.")
    lead_days = CHECKLIST_LEADS

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        items = ChecklistItem.objects.filter(
            done_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=max(self.lead_days)),
            contract__state__in=OPEN_STATES,
        ).exclude(code__in=checklist.AUTOMATIC - {"registered"})
        if subject_ids is not None:
            items = items.filter(pk__in=list(subject_ids))
        rows = list(items.values_list(*_ITEM_FIELDS))
        return self._candidates(
            rows, lead_of=lambda due: current_lead(due=due, today=today, leads=self.lead_days)
        )


@register_rule
class RisicoanalyseRenewal(ChecklistRule):
    code = "risicoanalyse_renewal"
    label = _("Risk analysis to renew")
    help_text = _("A risk analysis you own is a year old within a month: renew it.")
    lead_days = (RENEWAL_LEAD,)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        valid = timedelta(days=checklist.RISK_ANALYSIS_VALID)
        # Done between a year ago and a year minus the lead ago: renewal due within the lead.
        items = ChecklistItem.objects.filter(
            code="risicoanalyse",
            done_on__gte=today - valid,
            done_on__lte=today - valid + timedelta(days=RENEWAL_LEAD),
            contract__state__in=OPEN_STATES,
        )
        if subject_ids is not None:
            items = items.filter(pk__in=list(subject_ids))
        rows = []
        for row in items.values_list(*_ITEM_FIELDS, "done_on", "contract__end_date"):
            *fields, done_on, contract_end = row
            renewal = done_on + valid
            if renewal <= contract_end:  # the contract still runs on the renewal day
                fields[2] = renewal  # the due date of this reminder
                rows.append(tuple(fields))
        return self._candidates(rows, lead_of=lambda due: RENEWAL_LEAD)
