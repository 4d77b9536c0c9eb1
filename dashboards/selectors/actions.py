"""The coordinator's action list (issue 14, item 3): everything that waits for a school or
company coördinator on one page, grouped and counted, each row linked to where it is done.

Which trajects and contracts are theirs is asked of ``partnerships.permissions``
(``trajects_coordinated_by``, ``coordinated_contracts_q``, ``checklist_tick_scopes``); the
rows are read through the apps' own selectors and rules where they exist:

* **reminders** — ``notifications.selectors.open_reminders``: the coordinator's own reminders
  whose rule still asks for them (a solved problem leaves at once);
* **notifications** — their unread notifications that are no reminder (those are above);
* **contracts** — the contracts they coordinate that are not yet in force: a draft (to send for
  signing), out for signing (waiting for the parties named), signed (to register);
* **start checklist** — the open items of those contracts that they may tick
  (``contracts.checklist``: owners, "open" with the yearly risk analysis); the items that follow
  the contract itself (signed, registered) are the contracts group;
* **weekly check-ins** — running trajects with company days in one of the last
  ``CHECKIN_WEEKS`` finished weeks and no check-in done for that week;
* **self-evaluations** — running trajects with an opleidingsplan whose student has not
  evaluated themselves for ``settings.SELF_EVALUATION_REMINDER_DAYS`` company days (the rule of
  ``evaluation.reminders``, read here for many trajects at once).

A fixed number of queries whatever the number of students or contracts: every group is one
or a few set-based reads, nothing per row, and none is asked or left out depending on what the
rows hold — only a coördinator with no contract waiting at all skips the reads of its parties
and checklist (``tests/dashboards/test_scale.py`` compares the count at 10 and 1 000 students).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from contracts import checklist
from contracts.models import ChecklistItem, Contract, ContractParty, ContractState, Signature
from evaluation.gaps import WEEKDAYS, is_company_day, missed_company_days
from evaluation.models import Evaluator, Session, WeeklyCheckin
from learning.models import Opleidingsplan
from notifications.selectors import notifications_for, open_reminders
from partnerships import permissions
from partnerships.models import Placement, TeamRole, Traject, TrajectStatus

# How many finished weeks back a missing weekly check-in is still listed.
CHECKIN_WEEKS = 4
# Rows shown per group (the count is always the whole number).
SHOWN = 50
# The contract states in which a contract still waits for its coördinators.
WAITING_STATES = (ContractState.CONCEPT, ContractState.TO_SIGN, ContractState.SIGNED)
# Contracts not yet started: their checklist still matters.
NOT_STARTED = (*WAITING_STATES, ContractState.REGISTERED)


@dataclass(frozen=True)
class Action:
    """One thing that waits: what, about whom, since or by when, and where it is done."""

    title: str
    detail: str
    url: str
    due: date | None = None
    late: bool = False
    # What the row is about, for tests and exports: the student, the state / item / rule
    # code, the parties still to sign or the weeks without a check-in.
    student: str = ""
    code: str = ""
    names: tuple[str, ...] = ()


@dataclass
class ActionGroup:
    key: str
    title: str | Promise
    hint: str | Promise
    rows: list[Action] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def shown(self) -> list[Action]:
        return self.rows[:SHOWN]

    @property
    def hidden(self) -> int:
        return max(0, self.count - SHOWN)


@dataclass
class ActionList:
    groups: list[ActionGroup]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


# --- the groups --------------------------------------------------------------------------------


def _reminders(user: User, now: datetime) -> ActionGroup:
    group = ActionGroup(
        "reminders",
        gettext_lazy("Reminders"),
        gettext_lazy("Your reminders that still ask for something."),
    )
    today = timezone.localdate(now)
    for reminder in open_reminders(user=user, now=now):
        group.rows.append(
            Action(
                title=str(reminder.label),
                detail=reminder.description,
                url=reminder.url,
                due=reminder.due_date,
                late=reminder.due_date < today,
                code=reminder.rule,
            )
        )
    return group


def _notifications(user: User) -> ActionGroup:
    group = ActionGroup(
        "notifications",
        gettext_lazy("Unread notifications"),
        gettext_lazy("Messages you have not read yet."),
    )
    fallback = reverse("notifications:notification_list")
    unread = notifications_for(user=user).filter(read_at__isnull=True, reminder__isnull=True)
    # All of them (one query): the page shows the first ``SHOWN``, the export every one.
    for notification in unread:
        group.rows.append(
            Action(
                title=notification.title,
                detail=date_format(
                    timezone.localtime(notification.created_at), "SHORT_DATE_FORMAT"
                ),
                url=notification.url if notification.url.startswith("/") else fallback,
            )
        )
    return group


def _contracts(user: User) -> list[Contract]:
    """The contracts ``user`` coordinates that are not in force yet, each with the parties that
    still have to sign it (``unsigned_parties``, only while it is out for signing) read in the
    same breath: one query more whenever there are contracts, whether or not one is out for
    signing (a query asked only then would make the page's count depend on the data)."""
    signed = Signature.objects.filter(party=OuterRef("pk"), voided_at__isnull=True)
    unsigned = (
        ContractParty.objects.filter(required=True, contract__state=ContractState.TO_SIGN)
        .exclude(Exists(signed))
        .order_by("pk")
    )
    # ``coordinated_contracts_q`` holds "reads the contract" already.
    return list(
        Contract.objects.filter(
            permissions.coordinated_contracts_q(user=user), state__in=NOT_STARTED
        )
        .select_related(
            "traject__student",
            "traject__partnership__school",
            "traject__partnership__training_centre",
            "company",
        )
        .prefetch_related(Prefetch("parties", queryset=unsigned, to_attr="unsigned_parties"))
        .order_by("start_date", "pk")
    )


def _unsigned(contracts: list[Contract], today: date) -> ActionGroup:
    group = ActionGroup(
        "contracts",
        gettext_lazy("Contracts"),
        gettext_lazy("Contracts that are not in force yet, and who they wait for."),
    )
    waiting = [c for c in contracts if c.state in WAITING_STATES]
    missing = {
        c.pk: [party.name for party in c.unsigned_parties]  # type: ignore[attr-defined]
        for c in waiting
    }
    for contract in waiting:
        student = contract.traject.student.full_name
        where = f"{contract.get_contract_type_display()} · {contract.company.name}"
        if contract.state == ContractState.TO_SIGN:
            title = _("%(student)s: waiting for signatures") % {"student": student}
            detail = _("%(contract)s — still to sign: %(parties)s") % {
                "contract": where,
                "parties": ", ".join(missing.get(contract.pk, [])) or "—",
            }
            url = reverse("contracts:sign", args=[contract.public_id])
        elif contract.state == ContractState.CONCEPT:
            title = _("%(student)s: draft to send for signing") % {"student": student}
            detail = where
            url = reverse(
                "contracts:contract", args=[contract.traject.public_id, contract.public_id]
            )
        else:
            title = _("%(student)s: signed, to register at the loket") % {"student": student}
            detail = where
            url = reverse(
                "contracts:contract", args=[contract.traject.public_id, contract.public_id]
            )
        group.rows.append(
            Action(
                title=title,
                detail=detail,
                url=url,
                due=contract.start_date,
                late=contract.start_date <= today,
                student=student,
                code=contract.state,
                names=tuple(missing.get(contract.pk, [])),
            )
        )
    return group


def _checklist(
    contracts: list[Contract], scopes: dict[int, tuple[bool, frozenset[int]]], today: date
) -> ActionGroup:
    group = ActionGroup(
        "checklist",
        gettext_lazy("Start checklist"),
        gettext_lazy("Open items before a student's first company day, and who does them."),
    )
    if not contracts:
        return group
    by_pk = {contract.pk: contract for contract in contracts}
    # The owner's role per item (two queries); the organisation follows from the role.
    roles = checklist.owner_roles({contract.traject.partnership_id for contract in contracts})
    items = (
        ChecklistItem.objects.filter(contract__in=list(by_pk))
        .exclude(code__in=sorted(checklist.AUTOMATIC))
        .filter(Q(done_on__isnull=True) | Q(code="risicoanalyse"))
        .order_by("due_on", "pk")
    )
    for item in items:
        contract = by_pk[item.contract_id]
        if not checklist.is_open(item, contract):
            continue
        partnership = contract.traject.partnership
        role = roles[(partnership.pk, item.code)]
        owner_id = checklist.owner_organisation_id(
            role,
            school_id=partnership.school_id,
            company_id=contract.company_id,
            training_centre_id=partnership.training_centre_id,
        )
        everything, organisations = scopes.get(partnership.pk, (False, frozenset()))
        if not everything and owner_id not in organisations:
            continue
        where = {
            partnership.school_id: partnership.school,
            contract.company_id: contract.company,
        }.get(owner_id or 0, partnership.training_centre if owner_id else None)
        owner = str(TeamRole(role).label) + (f" ({where})" if where else "")
        group.rows.append(
            Action(
                title=_("%(student)s: %(item)s")
                % {"student": contract.traject.student.full_name, "item": item.get_code_display()},
                detail=owner,
                url=reverse(
                    "contracts:checklist", args=[contract.traject.public_id, contract.public_id]
                ),
                due=item.due_on,
                late=item.due_on < today,
                student=contract.traject.student.full_name,
                code=item.code,
            )
        )
    return group


def _evaluations(
    user: User, today: date, scopes: dict[int, tuple[bool, frozenset[int]]]
) -> tuple[ActionGroup, ActionGroup]:
    checkins = ActionGroup(
        "checkins",
        gettext_lazy("Weekly check-ins missing"),
        gettext_lazy("Finished weeks with company days and no weekly check-in by the mentor."),
    )
    selfs = ActionGroup(
        "self_evaluations",
        gettext_lazy("Self-evaluations missing"),
        gettext_lazy("Students who have not evaluated their last company days."),
    )
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(days=7 * weeks) for weeks in range(CHECKIN_WEEKS, 0, -1)]
    # One read: the placements of the running trajects the coordinator follows, each with
    # its traject and student, the traject's last self-evaluation, whether an opleidingsplan
    # applies and which of the weeks have a done check-in.
    # The newest first along the (traject, date) index: it stops at the first session with a
    # self-evaluation (a Max over every session of the year read them all: 50 ms at 5 000).
    last_self = (
        Session.objects.filter(
            traject=OuterRef("traject_id"), evaluations__evaluator=Evaluator.SELF
        )
        .order_by("-date")
        .values("date")[:1]
    )
    planned = Opleidingsplan.objects.filter(
        Q(traject__isnull=True) | Q(traject=OuterRef("traject_id")),
        partnership_id=OuterRef("traject__partnership_id"),
    )
    done_in = {
        f"done_{number}": Exists(
            WeeklyCheckin.objects.filter(
                traject=OuterRef("traject_id"), week_start=monday, done_at__isnull=False
            )
        )
        for number, monday in enumerate(mondays)
    }
    # A school coördinator follows the traject's every placement; a company coördinator only
    # the placements at their own companies (the weeks a student spends elsewhere are another
    # company's to evaluate).
    whole = [partnership for partnership, (every, _orgs) in scopes.items() if every]
    companies = frozenset().union(*(orgs for every, orgs in scopes.values() if not every))
    rows = (
        Placement.objects.filter(
            traject__in=permissions.trajects_coordinated_by(user=user)
            .filter(status=TrajectStatus.RUNNING)
            .values("pk")
        )
        .filter(Q(traject__partnership_id__in=whole) | Q(company_id__in=companies))
        .select_related("traject__student")
        .annotate(last_self=Subquery(last_self), planned=Exists(planned), **done_in)
        .order_by("traject__student__last_name", "traject__student__first_name", "traject_id")
    )
    trajects: dict[int, Traject] = {}
    placements: dict[int, list[tuple[date, date, tuple[str, ...]]]] = defaultdict(list)
    done: set[tuple[int, date]] = set()
    last_selfs: dict[int, date | None] = {}
    planned_ids: set[int] = set()
    for row in rows:
        traject = trajects.setdefault(row.traject_id, row.traject)
        last_selfs[row.traject_id] = row.last_self
        if row.planned:
            planned_ids.add(row.traject_id)
        placements[row.traject_id].append(
            (row.start_date, row.end_date, tuple(getattr(row, day) for day in WEEKDAYS))
        )
        done |= {
            (row.traject_id, monday)
            for number, monday in enumerate(mondays)
            if getattr(row, f"done_{number}")
        }
    needed = settings.SELF_EVALUATION_REMINDER_DAYS
    for traject in trajects.values():
        own = placements[traject.pk]
        url = reverse("evaluation:progress", args=[traject.public_id])
        name = traject.student.full_name
        missed_weeks = [
            monday
            for monday in mondays
            if (traject.pk, monday) not in done
            and any(is_company_day(own, monday + timedelta(days=n)) for n in range(5))
        ]
        if missed_weeks:
            checkins.rows.append(
                Action(
                    title=name,
                    detail=_("Weeks without a check-in: %(weeks)s")
                    % {
                        "weeks": ", ".join(
                            str(monday.isocalendar().week) for monday in missed_weeks
                        )
                    },
                    url=url,
                    due=missed_weeks[0],
                    late=True,
                    student=name,
                    code="checkin",
                    names=tuple(str(monday.isocalendar().week) for monday in missed_weeks),
                )
            )
        if traject.pk not in planned_ids or traject.student.user_id is None:
            continue
        last = last_selfs[traject.pk]
        missed = missed_company_days(
            last=last, today=today, company_day=partial(is_company_day, own)
        )
        if len(missed) >= needed:
            selfs.rows.append(
                Action(
                    title=name,
                    detail=(
                        _("Last self-evaluation: %(date)s")
                        % {"date": date_format(last, "SHORT_DATE_FORMAT")}
                        if last
                        else _("No self-evaluation yet")
                    ),
                    url=url,
                    due=missed[needed - 1],
                    late=True,
                    student=name,
                    code="self_evaluation",
                )
            )
    return checkins, selfs


def action_list(
    *,
    user: User,
    now: datetime,
    scopes: dict[int, tuple[bool, frozenset[int]]] | None = None,
) -> ActionList:
    """What waits for coördinator ``user`` at ``now``, grouped; empty groups included (the
    page says "nothing to do" per group). ``scopes``: ``permissions.checklist_tick_scopes``
    when the caller read it already (the page asks it to know the viewer is a coördinator)."""
    today = timezone.localdate(now)
    if scopes is None:
        scopes = permissions.checklist_tick_scopes(user=user)
    contracts = _contracts(user)
    checkins, selfs = _evaluations(user, today, scopes)
    return ActionList(
        groups=[
            _reminders(user, now),
            _unsigned(contracts, today),
            _checklist(contracts, scopes, today),
            checkins,
            selfs,
            _notifications(user),
        ]
    )
