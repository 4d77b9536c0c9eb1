"""The company director's dashboard (issue 14, item 2): one company, one school year.

What it shows, each part in one query whatever the number of students (counted in SQL where
the answer is a count; rows only where there is one row per mentor or per recognition):

* the company's students across schools: trajects with a placement at the company in the
  year's partnerships, by school, opleiding and status — only trajects the viewer may see;
* its mentors (members of the company who mentor for it): students guided today against the
  sector's limit, mentor training (done / due by / overdue / not due before a recognition)
  and the earliest expiry of a recognition in force that names them;
* its contracts by type and state, and the incentives that apply to them (as information);
* the weekly check-ins per mentor: due versus done. A week is due for a placement when the
  student had a company day in it (within the placement, before the traject ended and before
  a suspension) and that week's last such day has passed — the rule of the reminder
  ``weekly_checkin_missing``. A week counts as done when the traject's check-in of that week
  is marked done ("Klaar"). Check-in rows are counted in SQL; scores are never read.

Never another company's mentors: every mentor row is a member of this company.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least

from accounts.models import User
from contracts.models import Contract, ContractState
from contracts.models.contracts import REGISTERED_STATES, SIGNING_STATES
from evaluation.models import WeeklyCheckin
from learning.models import ContractType
from organisations.models import Membership, Organisation
from partnerships import permissions
from partnerships.models import (
    MentorLoadRule,
    PartnershipCompany,
    PlacementSupervisor,
    Traject,
    TrajectStatus,
)
from partnerships.models.partnerships import current_school_year
from partnerships.selectors.mentors import mentor_max_students
from partnerships.selectors.trajects import company_mentors
from recognition.models import TRAINING_DUE_YEARS, Recognition, RecognitionStatus
from recognition.selectors import add_years

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
COMPANY_DAY = "company"
# A contract must be registered within three months of its start, or the premiums are lost
# (DOMAIN.md "Contracts").
REGISTRATION_MONTHS = 3
# A recognition or a training due within this many days is flagged.
SOON_DAYS = 90


# --- school years ------------------------------------------------------------------------------


def company_school_years(*, company: Organisation) -> list[int]:
    """The school years of the partnerships the company is in, newest first (one query)."""
    return sorted(
        set(
            PartnershipCompany.objects.filter(company=company).values_list(
                "partnership__school_year", flat=True
            )
        ),
        reverse=True,
    )


def pick_school_year(raw: str | None, *, years: list[int], today: date) -> int:
    """The year asked for (``?year=2026``) when the company has one, else the current school
    year when it has that one, else its newest, else the current school year. Bad input never
    fails: it falls back."""
    current = current_school_year(today)
    try:
        asked = int(str(raw).strip()[:4]) if raw else None
    except ValueError:
        asked = None
    if asked in years:
        return asked
    if current in years or not years:
        return current
    return years[0]


# --- weekly check-ins: the due weeks of a placement --------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _company_days_in_week(
    monday: date, *, pattern: tuple[str, ...], start: date, end: date
) -> list[date]:
    return [
        monday + timedelta(days=offset)
        for offset, place in enumerate(pattern)
        if place == COMPANY_DAY and start <= monday + timedelta(days=offset) <= end
    ]


def due_weeks(*, pattern: tuple[str, ...], start: date, end: date, today: date) -> int:
    """How many weekly check-ins a placement with ``pattern`` (Monday … Friday) over
    [start, end] has had due by ``today``: weeks with a company day in the period whose last
    company day lies before today. Constant work per placement (only the first, the last and
    this week are looked at day by day)."""
    if COMPANY_DAY not in pattern or end < start:
        return 0
    this_monday = monday_of(today)
    first, last = monday_of(start), min(monday_of(end), this_monday)
    if last < first:
        return 0
    count = 0
    # The weeks strictly between the first and the last (and before this week) each have
    # every company day of the pattern inside the period, all of them before today.
    inner_first, inner_last = first + timedelta(days=7), last - timedelta(days=7)
    if inner_last >= inner_first:
        count += (inner_last - inner_first).days // 7 + 1
    for monday in {first, last}:
        days = _company_days_in_week(monday, pattern=pattern, start=start, end=end)
        if days and max(days) < today:
            count += 1
    return count


def _effective_end() -> Least:
    """The last day a placement can have a check-in due: its end, the traject's end, the day
    before a suspension."""
    return Least(
        F("placement__end_date"),
        Coalesce(F("placement__traject__ended_on"), F("placement__end_date")),
        Coalesce(
            Cast(F("placement__suspended_on") - timedelta(days=1), output_field=DateField()),
            F("placement__end_date"),
        ),
        output_field=DateField(),
    )


def _done_checkins(*, today: date) -> Subquery:
    """The done check-ins in the due weeks of the outer supervision's placement (counted in
    SQL: one number per row). The outer query annotates ``eff_end``, ``lo_<day>`` /
    ``hi_<day>`` (the Mondays whose <day> is a company day of the period) and ``now_due``
    (this week's company days have all passed)."""
    this_monday = monday_of(today)
    in_period = Q()
    for day in WEEKDAYS:
        in_period |= Q(week_start__gte=OuterRef(f"lo_{day}"), week_start__lte=OuterRef(f"hi_{day}"))
    return Subquery(
        WeeklyCheckin.objects.filter(
            in_period,
            traject_id=OuterRef("placement__traject_id"),
            done_at__isnull=False,
            week_start__lte=this_monday,
        )
        .annotate(now_due=ExpressionWrapper(OuterRef("now_due"), output_field=BooleanField()))
        .filter(Q(week_start__lt=this_monday) | Q(now_due=True))
        .order_by()
        .values("traject_id")
        .annotate(number=Count("pk"))
        .values("number")[:1],
        output_field=IntegerField(),
    )


def _week_bounds() -> dict[str, Case]:
    """Per weekday: the first and last Monday whose that day lies in the placement's period,
    when that day is a company day (NULL otherwise: no week matches)."""
    bounds = {}
    for offset, day in enumerate(WEEKDAYS):
        company = Q(**{f"placement__{day}": COMPANY_DAY})
        bounds[f"lo_{day}"] = Case(
            When(
                company,
                then=Cast(
                    F("placement__start_date") - timedelta(days=offset), output_field=DateField()
                ),
            ),
            default=None,
            output_field=DateField(),
        )
        bounds[f"hi_{day}"] = Case(
            When(
                company,
                then=Cast(F("eff_end") - timedelta(days=offset), output_field=DateField()),
            ),
            default=None,
            output_field=DateField(),
        )
    return bounds


def _this_week_due(*, today: date) -> ExpressionWrapper:
    """True when no company day of this week, from today on, lies in the placement's period."""
    this_monday = monday_of(today)
    pending = Q()
    for offset, day in enumerate(WEEKDAYS):
        moment = this_monday + timedelta(days=offset)
        if moment >= today:
            pending |= Q(
                **{f"placement__{day}": COMPANY_DAY},
                placement__start_date__lte=moment,
                eff_end__gte=moment,
            )
    if not pending:  # a weekend: every day of this week has passed
        return ExpressionWrapper(Value(True), output_field=BooleanField())
    return ExpressionWrapper(~pending, output_field=BooleanField())


# --- the dashboard ------------------------------------------------------------------------------


@dataclass
class StudentRow:
    school: str
    opleiding: str
    status: str
    status_label: str
    count: int


@dataclass
class MentorRow:
    user_id: int
    public_id: object
    name: str
    load: int
    limit: int
    training: str  # done | due | overdue | not_due | unknown
    training_on: date | None
    recognition_until: date | None
    recognition_opleiding: str
    checkins_due: int = 0
    checkins_done: int = 0

    @property
    def over_limit(self) -> bool:
        return self.load > self.limit

    @property
    def full(self) -> bool:
        return self.load >= self.limit

    @property
    def completion(self) -> int | None:
        """Done of due, in whole per cent (None when nothing was due)."""
        return round(100 * self.checkins_done / self.checkins_due) if self.checkins_due else None


@dataclass
class ContractRow:
    contract_type: str
    type_label: str
    state: str
    state_label: str
    count: int
    registration_deadline: date | None  # not registered yet: the earliest start + 3 months


@dataclass
class RecognitionRow:
    vestiging: str
    opleiding: str
    valid_until: date
    soon: bool


@dataclass
class Incentive:
    key: str
    applies_to: tuple[str, ...]  # contract types
    contracts: int  # registered contracts of those types this year


@dataclass
class CompanyDashboard:
    company: Organisation
    school_year: int
    school_years: list[int]
    today: date
    students: list[StudentRow] = field(default_factory=list)
    mentors: list[MentorRow] = field(default_factory=list)
    contracts: list[ContractRow] = field(default_factory=list)
    recognitions: list[RecognitionRow] = field(default_factory=list)
    incentives: list[Incentive] = field(default_factory=list)
    mentor_limit: int = 0

    @property
    def student_total(self) -> int:
        return sum(row.count for row in self.students)

    @property
    def checkins_due(self) -> int:
        return sum(row.checkins_due for row in self.mentors)

    @property
    def checkins_done(self) -> int:
        return sum(row.checkins_done for row in self.mentors)

    @property
    def unregistered(self) -> int:
        return sum(row.count for row in self.contracts if row.registration_deadline)


STATUS_LABELS = dict(TrajectStatus.choices)
TYPE_LABELS = dict(ContractType.choices)
STATE_LABELS = dict(ContractState.choices)
STATE_ORDER = {state: number for number, state in enumerate(ContractState.values)}
STATUS_ORDER = {status: number for number, status in enumerate(TrajectStatus.values)}

# Incentives for a leerbedrijf (brochure 3.3, "Incentives voor bedrijven"): which contract
# types each applies to. Amounts and conditions change: the page links to the government's
# page and computes no amount.
INCENTIVES = (
    ("stagebonus", (ContractType.OAO, ContractType.SOAO)),
    ("rsz_mentor", (ContractType.OAO, ContractType.SOAO)),
    ("doelgroepvermindering", (ContractType.OAO,)),
)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def company_dashboard(
    *, user: User, company: Organisation, school_year: int, school_years: list[int], today: date
) -> CompanyDashboard:
    """Everything the company dashboard shows, in five queries (six without mentors)."""
    board = CompanyDashboard(
        company=company, school_year=school_year, school_years=school_years, today=today
    )
    visible = permissions.trajects_visible_to(user=user)

    # 1. Students by school, opleiding and status (trajects, not placements: a rotation back
    # to the company counts once).
    rows = (
        Traject.objects.filter(
            pk__in=visible.values("pk"),
            partnership__school_year=school_year,
            placements__company=company,
        )
        .order_by()
        .values("partnership__school__name", "partnership__opleiding__name", "status")
        .annotate(number=Count("pk", distinct=True))
    )
    board.students = sorted(
        (
            StudentRow(
                school=row["partnership__school__name"],
                opleiding=row["partnership__opleiding__name"],
                status=row["status"],
                status_label=str(STATUS_LABELS.get(row["status"], row["status"])),
                count=row["number"],
            )
            for row in rows
        ),
        key=lambda r: (r.school, r.opleiding, STATUS_ORDER.get(r.status, 99)),
    )

    # 2. Contracts by type and state; not registered yet: the earliest registration deadline.
    contract_rows = (
        Contract.objects.filter(
            company=company,
            traject__in=visible.values("pk"),
            traject__partnership__school_year=school_year,
        )
        .order_by()
        .values("contract_type", "state")
        .annotate(number=Count("pk"), first_start=Min("start_date"))
    )
    registered: dict[str, int] = defaultdict(int)
    for row in contract_rows:
        unregistered = row["state"] in SIGNING_STATES
        board.contracts.append(
            ContractRow(
                contract_type=row["contract_type"],
                type_label=str(TYPE_LABELS.get(row["contract_type"], row["contract_type"])),
                state=row["state"],
                state_label=str(STATE_LABELS.get(row["state"], row["state"])),
                count=row["number"],
                registration_deadline=_add_months(row["first_start"], REGISTRATION_MONTHS)
                if unregistered
                else None,
            )
        )
        if row["state"] in REGISTERED_STATES:
            registered[row["contract_type"]] += row["number"]
    board.contracts.sort(key=lambda r: (r.contract_type, STATE_ORDER.get(r.state, 99)))
    board.incentives = [
        Incentive(key, types, sum(registered[t] for t in types)) for key, types in INCENTIVES
    ]

    # 3. Mentors with today's load, their training sessions, the first recognition naming
    # them (the training is due within a year of it) and the sector's limit: one query.
    first_recognition = (
        Recognition.objects.filter(
            mentors=OuterRef("pk"),
            status__in=(RecognitionStatus.RECOGNISED, RecognitionStatus.EXPIRED),
            decided_on__isnull=False,
        )
        .order_by("decided_on")
        .values("decided_on")[:1]
    )
    rule = (
        Subquery(
            MentorLoadRule.objects.filter(paritair_comite=company.paritair_comite).values(
                "max_students"
            )[:1],
            output_field=IntegerField(),
        )
        if company.paritair_comite
        else Value(None, output_field=IntegerField())
    )
    mentors = list(
        company_mentors(company=company, today=today).annotate(
            intro=F("mentor_profile__introduction_session_on"),
            deep=F("mentor_profile__deepening_session_on"),
            first_recognised=Subquery(first_recognition, output_field=DateField()),
            limit=Coalesce(
                rule,
                Value(settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS),
            ),
        )
    )
    ids = [mentor.pk for mentor in mentors]
    # The limit as ``partnerships.selectors.mentors.mentor_max_students`` gives it (asked
    # only when there is no mentor to read it from).
    board.mentor_limit = mentors[0].limit if mentors else mentor_max_students(company=company)

    # 5. The company's recognitions in force, with the mentors they name (one query).
    expiry: dict[int, tuple[date, str]] = {}
    seen: set[int] = set()
    for pk, vestiging, opleiding, until, mentor_id in (
        Recognition.objects.filter(
            company=company,
            status=RecognitionStatus.RECOGNISED,
            decided_on__lte=today,
            valid_until__gte=today,
        )
        .order_by("valid_until", "pk")
        .values_list("pk", "vestiging__name", "opleiding__name", "valid_until", "mentors")
    ):
        if until is None:  # never: a recognised one has its period (a constraint)
            continue
        if pk not in seen:
            seen.add(pk)
            board.recognitions.append(
                RecognitionRow(
                    vestiging=vestiging,
                    opleiding=opleiding,
                    valid_until=until,
                    soon=until <= today + timedelta(days=SOON_DAYS),
                )
            )
        if mentor_id is not None and mentor_id not in expiry:
            expiry[mentor_id] = (until, opleiding)

    by_id: dict[int, MentorRow] = {}
    for mentor in mentors:
        intro, deep = mentor.intro, mentor.deep
        first = mentor.first_recognised
        if intro and deep:
            training, training_on = "done", max(intro, deep)
        elif first is not None:
            due = add_years(first, TRAINING_DUE_YEARS)
            training, training_on = ("overdue" if today > due else "due"), due
        else:
            training, training_on = "not_due", None
        until, opleiding = expiry.get(mentor.pk, (None, ""))
        by_id[mentor.pk] = MentorRow(
            user_id=mentor.pk,
            public_id=mentor.public_id,
            name=mentor.full_name or mentor.email,
            load=mentor.load,  # type: ignore[attr-defined]
            limit=board.mentor_limit,
            training=training,
            training_on=training_on,
            recognition_until=until,
            recognition_opleiding=opleiding,
        )

    # 6. Weekly check-ins per mentor: one row per supervision of a started traject of this
    # company's placements of the year, with its done check-ins counted in SQL.
    member = Exists(Membership.objects.filter(user=OuterRef("user_id"), organisation=company))
    supervisions = (
        PlacementSupervisor.objects.filter(
            member,
            kind=PlacementSupervisor.Kind.MENTOR,
            user_id__in=ids,
            placement__company=company,
            placement__traject__partnership__school_year=school_year,
            placement__traject__in=visible.values("pk"),
        )
        .exclude(placement__traject__status=TrajectStatus.INTAKE)
        .annotate(eff_end=_effective_end())
        .annotate(**_week_bounds(), now_due=_this_week_due(today=today))
        .annotate(done=Coalesce(_done_checkins(today=today), 0))
        .values_list(
            "user_id",
            "placement__start_date",
            "eff_end",
            *(f"placement__{day}" for day in WEEKDAYS),
            "done",
        )
    )
    for user_id, start, end, *rest in supervisions:
        pattern, done = tuple(rest[:5]), rest[5]
        mentor_row = by_id[user_id]
        mentor_row.checkins_due += due_weeks(pattern=pattern, start=start, end=end, today=today)
        mentor_row.checkins_done += done
    board.mentors = list(by_id.values())
    return board
