"""The sector consultant's dashboard (issue 14, item 4): what the sector body's recognition work
looks like, aggregated — never a student, never another sector.

Everything is counted over the requests of the consultant's inbox
(``partnerships.permissions.recognition_inbox_of``: routed to the sector bodies the user is a
member of, never a concept), with the inbox's own definitions (``recognition.selectors``):

* **the pipeline** — per state, how many requests, how many decisions are due within 14 days
  (``decision_due`` from today to today + 14, while a decision is awaited) and how many are
  overdue (``decision_due`` before today); per opleiding, the open requests, the same two
  counts and the recognitions in force;
* **expiring recognitions** — the recognitions in force whose ``valid_until`` falls within the
  next six calendar months, per month, with how many already have a renewal filed (a request
  submitted or further, or a newer recognition of the vestiging for the opleiding — the
  resolution of the reminder rule ``recognition_expiring``);
* **mentor training** — the mentors named by a recognition in force of the sector: trained
  (both sessions recorded), overdue (not trained, the year after the first recognition naming
  them has passed: the mentor rule of ``recognition.selectors.mentor_eligibility``), due
  within 90 days, due later. Counted, never named.

A fixed number of queries (one per block) whatever the number of requests, mentors or
students: nothing here reads a traject, a placement or a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from accounts.models import User
from recognition.models import TRAINING_DUE_YEARS, Recognition, RecognitionStatus
from recognition.reminders import RENEWAL_FILED, add_months
from recognition.selectors import AWAITING_DECISION, DUE_SOON_DAYS, OPEN_IN_INBOX, add_years

S = RecognitionStatus
# The states of the pipeline table, in the order a request goes through them (never a concept:
# the sector body does not see drafts).
PIPELINE_STATES = (
    S.SUBMITTED,
    S.COMPLETE,
    S.VISIT_PLANNED,
    S.APPEAL,
    S.RECOGNISED,
    S.REFUSED,
    S.EXPIRED,
    S.WITHDRAWN,
)
EXPIRY_MONTHS = 6  # as the first reminder of ``recognition_expiring``
TRAINING_SOON_DAYS = 90


@dataclass(frozen=True)
class StateRow:
    status: str
    label: str
    requests: int
    due_soon: int
    overdue: int


@dataclass(frozen=True)
class OpleidingRow:
    code: str
    name: str
    open: int
    due_soon: int
    overdue: int
    in_force: int


@dataclass(frozen=True)
class ExpiryRow:
    month: date  # the first day of the month
    expiring: int
    renewal_filed: int

    @property
    def without_renewal(self) -> int:
        return self.expiring - self.renewal_filed


@dataclass(frozen=True)
class TrainingCounts:
    completed: int
    overdue: int
    due_soon: int
    due_later: int

    @property
    def mentors(self) -> int:
        return self.completed + self.overdue + self.due_soon + self.due_later


@dataclass(frozen=True)
class SectorDashboard:
    today: date
    pipeline: list[StateRow]
    opleidingen: list[OpleidingRow]
    expiring: list[ExpiryRow]
    training: TrainingCounts

    @property
    def open(self) -> int:
        return sum(row.requests for row in self.pipeline if row.status in OPEN_IN_INBOX)

    @property
    def due_soon(self) -> int:
        return sum(row.due_soon for row in self.pipeline)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.pipeline)

    @property
    def in_force(self) -> int:
        return sum(row.in_force for row in self.opleidingen)

    @property
    def expiring_total(self) -> int:
        return sum(row.expiring for row in self.expiring)

    @property
    def expiring_without_renewal(self) -> int:
        return sum(row.without_renewal for row in self.expiring)


def _due_soon(today: date) -> Q:
    return Q(
        status__in=AWAITING_DECISION,
        decision_due__gte=today,
        decision_due__lte=today + timedelta(days=DUE_SOON_DAYS),
    )


def _overdue(today: date) -> Q:
    return Q(status__in=AWAITING_DECISION, decision_due__lt=today)


def _in_force(today: date) -> Q:
    """``recognition.selectors.recognitions_in_force`` as a condition."""
    return Q(status=S.RECOGNISED, decided_on__lte=today, valid_until__gte=today)


def pipeline(recognitions: QuerySet[Recognition], *, today: date) -> list[StateRow]:
    """Per state of ``PIPELINE_STATES`` (zeros included), the requests and their decisions due
    within 14 days and overdue (one query)."""
    found: dict[str, tuple[int, int, int]] = {
        row["status"]: (row["requests"], row["due_soon"], row["overdue"])
        for row in recognitions.order_by()
        .values("status")
        .annotate(
            requests=Count("pk"),
            due_soon=Count("pk", filter=_due_soon(today)),
            overdue=Count("pk", filter=_overdue(today)),
        )
    }
    return [
        StateRow(str(status), str(status.label), *found.get(status, (0, 0, 0)))
        for status in PIPELINE_STATES
    ]


def by_opleiding(recognitions: QuerySet[Recognition], *, today: date) -> list[OpleidingRow]:
    """Per opleiding with an open request or a recognition in force: the open requests, their
    decisions due within 14 days and overdue, and the recognitions in force (one query)."""
    rows = (
        recognitions.filter(Q(status__in=OPEN_IN_INBOX) | _in_force(today))
        .order_by()
        .values("opleiding__code", "opleiding__name")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_IN_INBOX)),
            due_soon=Count("pk", filter=_due_soon(today)),
            overdue=Count("pk", filter=_overdue(today)),
            in_force=Count("pk", filter=_in_force(today)),
        )
        .order_by("opleiding__name", "opleiding__code")
    )
    return [
        OpleidingRow(
            code=row["opleiding__code"],
            name=row["opleiding__name"],
            open=row["open"],
            due_soon=row["due_soon"],
            overdue=row["overdue"],
            in_force=row["in_force"],
        )
        for row in rows
    ]


def expiry_window(today: date) -> tuple[date, date]:
    """The days whose expiry the dashboard shows: from today to six calendar months on."""
    return today, add_months(today, EXPIRY_MONTHS)


def expiring(recognitions: QuerySet[Recognition], *, today: date) -> list[ExpiryRow]:
    """Per calendar month of the window (zeros included), the recognitions in force that
    expire in it and how many of those have a renewal filed (one query)."""
    first, last = expiry_window(today)
    renewed = Recognition.objects.filter(
        vestiging=OuterRef("vestiging"), opleiding=OuterRef("opleiding")
    ).filter(
        Q(status__in=RENEWAL_FILED)
        | Q(status=S.RECOGNISED, valid_until__gt=OuterRef("valid_until"))
    )
    found: dict[date, tuple[int, int]] = {
        row["month"]: (row["expiring"], row["renewal_filed"])
        for row in recognitions.filter(_in_force(today), valid_until__lte=last)
        .alias(renewed=Exists(renewed))
        .annotate(month=TruncMonth("valid_until"))
        .order_by()
        .values("month")
        .annotate(expiring=Count("pk"), renewal_filed=Count("pk", filter=Q(renewed=True)))
    }
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(ExpiryRow(month, *found.get(month, (0, 0))))
        month = add_months(month, 1)
    return months


def training_status(
    first_recognised: date | None,
    introduction: date | None,
    deepening: date | None,
    *,
    today: date,
) -> str:
    """The state of one mentor's training: "completed" when both
    sessions are recorded (on or before today); otherwise "overdue", "due_soon" or "due_later":
    due a year after the first recognition naming them (``mentor_eligibility``'s rule)."""
    if introduction and deepening and max(introduction, deepening) <= today:
        return "completed"
    if first_recognised is None:  # named by a recognition in force: cannot happen
        return "due_later"
    due = add_years(first_recognised, TRAINING_DUE_YEARS)
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=TRAINING_SOON_DAYS):
        return "due_soon"
    return "due_later"


def training(recognitions: QuerySet[Recognition], *, today: date) -> TrainingCounts:
    """The mentors named by a recognition in force among ``recognitions``, by the state of
    their mentor training (one query; each mentor counted once)."""
    in_force = recognitions.filter(_in_force(today), mentors=OuterRef("pk"))
    first = (
        Recognition.objects.filter(
            mentors=OuterRef("pk"), status__in=(S.RECOGNISED, S.EXPIRED), decided_on__isnull=False
        )
        .order_by("decided_on")
        .values("decided_on")[:1]
    )
    counts = {"completed": 0, "overdue": 0, "due_soon": 0, "due_later": 0}
    for first_recognised, introduction, deepening in (
        User.objects.filter(Exists(in_force))
        .annotate(first_recognised=Subquery(first))
        .values_list(
            "first_recognised",
            "mentor_profile__introduction_session_on",
            "mentor_profile__deepening_session_on",
        )
    ):
        counts[training_status(first_recognised, introduction, deepening, today=today)] += 1
    return TrainingCounts(**counts)


def sector_dashboard(recognitions: QuerySet[Recognition], *, today: date) -> SectorDashboard:
    """The whole dashboard over ``recognitions`` (the consultant's inbox), in four queries."""
    return SectorDashboard(
        today=today,
        pipeline=pipeline(recognitions, today=today),
        opleidingen=by_opleiding(recognitions, today=today),
        expiring=expiring(recognitions, today=today),
        training=training(recognitions, today=today),
    )
