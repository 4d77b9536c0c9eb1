"""The recognition rules: is a vestiging recognised for an opleiding, is a mentor eligible, and
which sector body handles a company's request.

``partnerships.selectors.mentors.mentor_may_take`` combines these with the mentor load at the
moment a coordinator assigns a mentor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from learning.models import Leerfiche, Opleiding, SetVersion, VersionStatus
from organisations.models import Organisation, OrganisationKind, Vestiging
from recognition.models import (
    EXTRACT_MAX_AGE_DAYS,
    TRAINING_DUE_YEARS,
    ExtractStatus,
    MentorProfile,
    Recognition,
    RecognitionStatus,
    RoutingRule,
    VisitActivity,
    WorkplaceVisit,
)

MIN_AGE = 25
MIN_AGE_WITH_PROOF = 23
MIN_EXPERIENCE_YEARS = 5


@dataclass(frozen=True)
class Unmet:
    """A condition a mentor does not meet: a stable code (for code) and a reason (for people)."""

    code: str
    reason: str


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- recognitions ----------------------------------------------------------------------------


def recognitions_in_force(*, on: date) -> QuerySet[Recognition]:
    """The recognitions in force on ``on``: recognised, decided on or before it, not expired."""
    return Recognition.objects.filter(
        status=RecognitionStatus.RECOGNISED, decided_on__lte=on, valid_until__gte=on
    )


def recognition_valid(*, vestiging: Vestiging, opleiding: Opleiding, on: date) -> bool:
    """Is ``vestiging`` recognised for ``opleiding`` on ``on``? (one query)"""
    return recognitions_in_force(on=on).filter(vestiging=vestiging, opleiding=opleiding).exists()


def recognition_gap(
    *, vestiging: Vestiging, opleiding: Opleiding, start: date, end: date
) -> date | None:
    """The first day of [start, end] on which ``vestiging`` is not recognised for
    ``opleiding``, or None when recognitions cover the whole period (one query; successive
    recognitions — a renewal — add up)."""
    periods = Recognition.objects.filter(
        vestiging=vestiging,
        opleiding=opleiding,
        status=RecognitionStatus.RECOGNISED,
        decided_on__lte=end,
        valid_until__gte=start,
    ).values_list("decided_on", "valid_until")
    return first_uncovered_day(periods, start=start, end=end)


def first_uncovered_day(
    periods: Iterable[tuple[date, date]], *, start: date, end: date
) -> date | None:
    """The first day of [start, end] outside every period (first, last), or None."""
    day = start
    for first, last in sorted(periods):
        if first > day:
            break
        day = max(day, last + timedelta(days=1))
        if day > end:
            return None
    return day if day <= end else None


# --- routing ---------------------------------------------------------------------------------


def routing_rule_for(company: Organisation) -> RoutingRule | None:
    """The rule for the company's joint committee, else the default rule (empty PC)."""
    rules = {
        rule.paritair_comite: rule
        for rule in RoutingRule.objects.filter(
            paritair_comite__in={company.paritair_comite.strip(), ""}
        ).select_related("sector_body")
    }
    return rules.get(company.paritair_comite.strip()) or rules.get("")


def sector_body_for(company: Organisation) -> Organisation | None:
    """The sector body that handles the recognition requests of ``company``, or None when
    the routing table names a body that does not exist (yet) as an organisation."""
    rule = routing_rule_for(company)
    if rule is None:
        return None
    if rule.sector_body is not None:
        return rule.sector_body
    return (
        Organisation.objects.filter(kind=OrganisationKind.SECTOR_BODY, name=rule.body_name)
        .order_by("pk")
        .first()
    )


# --- mentors ---------------------------------------------------------------------------------


# What each unmet condition is called in short (beside a mentor's name in a picker).
CONDITION_LABELS = {
    "profile": gettext_lazy("no mentor profile"),
    "age": gettext_lazy("age"),
    "experience": gettext_lazy("experience"),
    "extract": gettext_lazy("criminal record extract"),
    "training": gettext_lazy("mentor training"),
}


def _references(
    rows: Iterable[tuple[str, date | None, date | None, date | None]], *, on: date
) -> tuple[date | None, date | None]:
    """(the request the extract is checked against, the first recognition) of one mentor from
    their requests' (status, submitted_on, decided_on, valid_until).

    The request: the latest one among the recognitions in force on ``on``, else the latest
    request at all (a pending one). The first recognition: the earliest decision that
    recognised a request naming them (the training is due within a year of it)."""
    rows = list(rows)
    in_force = [
        submitted
        for status, submitted, decided, until in rows
        if status == RecognitionStatus.RECOGNISED
        and submitted
        and decided
        and until
        and decided <= on <= until
    ]
    submitted_any = [submitted for _status, submitted, _d, _u in rows if submitted]
    requested = max(in_force or submitted_any, default=None)
    recognised = min(
        (
            decided
            for status, _s, decided, _u in rows
            if decided and status in (RecognitionStatus.RECOGNISED, RecognitionStatus.EXPIRED)
        ),
        default=None,
    )
    return requested, recognised


def mentor_eligibilities(mentors: Iterable[User], *, on: date) -> dict[int, list[Unmet]]:
    """``mentor_eligibility`` of several mentors at once, in two queries: {user id: unmet}."""
    mentors = list(mentors)
    found = mentor_eligibilities_on((mentor, on) for mentor in mentors)
    return {mentor.pk: found[(mentor.pk, on)] for mentor in mentors}


def mentor_eligibilities_on(
    pairs: Iterable[tuple[User, date]],
) -> dict[tuple[int, date], list[Unmet]]:
    """``mentor_eligibility`` of (mentor, day) pairs — each mentor on their own day (the first
    days of several placements) — in two queries: {(user id, day): unmet}."""
    pairs = list(pairs)
    ids = {mentor.pk for mentor, _day in pairs}
    profiles = {p.user_id: p for p in MentorProfile.objects.filter(user_id__in=ids)}
    rows: dict[int, list[tuple[str, date | None, date | None, date | None]]] = defaultdict(list)
    for user_id, *row in Recognition.objects.filter(mentors__in=ids).values_list(
        "mentors", "status", "submitted_on", "decided_on", "valid_until"
    ):
        rows[user_id].append(tuple(row))  # type: ignore[arg-type]
    result = {}
    for mentor, day in pairs:
        requested, recognised = _references(rows.get(mentor.pk, []), on=day)
        result[(mentor.pk, day)] = _unmet(
            mentor,
            profiles.get(mentor.pk),
            on=day,
            requested_on=requested,
            recognised_on=recognised,
        )
    return result


def mentor_eligibility(
    mentor: User,
    *,
    on: date,
    requested_on: date | None = None,
    recognised_on: date | None = None,
) -> list[Unmet]:
    """Every condition ``mentor`` does not meet on ``on``, each with its reason; empty when
    the mentor is eligible.

    * at least 25 years old, or at least 23 with proof of prior education in the profession;
    * at least 5 years of experience, or an exemption with proof;
    * a checked criminal record extract, issued at most one year before the request
      (``requested_on``; by default the request of ``_references``, else ``on``);
    * the mentor training (introduction and deepening session) within one year after the
      recognition (``recognised_on``; by default the first recognition naming the mentor;
      before any recognition it is not due yet).
    """
    rows = Recognition.objects.filter(mentors=mentor).values_list(
        "status", "submitted_on", "decided_on", "valid_until"
    )
    requested, recognised = _references(rows, on=on)
    return _unmet(
        mentor,
        MentorProfile.objects.filter(user=mentor).first(),
        on=on,
        requested_on=requested_on or requested,
        recognised_on=recognised_on or recognised,
    )


def _unmet(
    mentor: User,
    profile: MentorProfile | None,
    *,
    on: date,
    requested_on: date | None,
    recognised_on: date | None,
) -> list[Unmet]:
    if profile is None:
        return [
            Unmet(
                "profile",
                _(
                    "%(person)s has no mentor profile yet (birth date, experience, extract, training)."
                )
                % {"person": mentor},
            )
        ]
    unmet: list[Unmet] = []
    person = {"person": mentor}
    if profile.birth_date is None:
        unmet.append(Unmet("age", _("The birth date of %(person)s is missing.") % person))
    else:
        age = age_on(profile.birth_date, on)
        if age < MIN_AGE_WITH_PROOF:
            unmet.append(
                Unmet(
                    "age",
                    _(
                        "%(person)s is %(age)d; a mentor is at least 23 (with proof of prior education) or 25."
                    )
                    % {**person, "age": age},
                )
            )
        elif age < MIN_AGE and not profile.prior_education_proof:
            unmet.append(
                Unmet(
                    "age",
                    _(
                        "%(person)s is %(age)d; under 25, a mentor needs proof of prior education in the profession."
                    )
                    % {**person, "age": age},
                )
            )
    years = profile.experience_years
    if (years is None or years < MIN_EXPERIENCE_YEARS) and not profile.experience_exemption_proof:
        unmet.append(
            Unmet(
                "experience",
                _("The years of experience of %(person)s are missing.") % person
                if years is None
                else _(
                    "%(person)s has %(years)d years of experience; a mentor needs 5, or an exemption with proof."
                )
                % {**person, "years": years},
            )
        )
    reference = requested_on or on
    if profile.extract_status != ExtractStatus.CLEAN or profile.extract_issued_on is None:
        unmet.append(
            Unmet(
                "extract",
                _("The criminal record extract of %(person)s has not been checked.") % person
                if not profile.extract_status
                else _("The criminal record extract of %(person)s stands in the way.") % person,
            )
        )
    elif profile.extract_issued_on < reference - timedelta(days=EXTRACT_MAX_AGE_DAYS):
        unmet.append(
            Unmet(
                "extract",
                _(
                    "The criminal record extract of %(person)s was issued on %(issued)s, more than a year before the request of %(request)s."
                )
                % {
                    **person,
                    "issued": _short(profile.extract_issued_on),
                    "request": _short(reference),
                },
            )
        )
    recognised = recognised_on
    if recognised is not None:
        due = add_years(recognised, TRAINING_DUE_YEARS)
        done = profile.training_completed_on
        if on > due and (done is None or done > on):
            unmet.append(
                Unmet(
                    "training",
                    _("%(person)s had to follow the mentor training by %(due)s.")
                    % {**person, "due": _short(due)},
                )
            )
    return unmet


def mentor_is_eligible(mentor: User, *, on: date) -> bool:
    return not mentor_eligibility(mentor, on=on)


# --- the sector consultant's inbox (recognition/views/consultant.py) ------------------------

# States in which a decision is awaited (the 14-day countdown runs once complete).
AWAITING_DECISION = (
    RecognitionStatus.COMPLETE,
    RecognitionStatus.VISIT_PLANNED,
    RecognitionStatus.APPEAL,
)
OPEN_IN_INBOX = (RecognitionStatus.SUBMITTED, *AWAITING_DECISION)
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class InboxRow:
    recognition: Recognition
    days_left: int | None  # days until ``decision_due`` (negative: overdue); None: no countdown

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def inbox_requests(
    recognitions: QuerySet[Recognition],
    *,
    today: date,
    state: str = "open",
    due: str = "",
    opleiding: Opleiding | None = None,
    company: str = "",
) -> QuerySet[Recognition]:
    """The requests of ``recognitions`` (the caller's inbox) matching the filters, the most
    urgent first: ``state`` "open" (submitted or awaiting a decision), "all" or one status;
    ``due`` "soon" (decision due within 14 days) or "overdue"; the company's name contains
    ``company``. Lazy: the inbox pages it (``inbox_rows`` of the page's requests)."""
    rows = recognitions.select_related("company", "vestiging", "opleiding")
    if state == "open":
        rows = rows.filter(status__in=OPEN_IN_INBOX)
    elif state in RecognitionStatus.values:
        rows = rows.filter(status=state)
    if due == "soon":
        rows = rows.filter(
            status__in=AWAITING_DECISION,
            decision_due__gte=today,
            decision_due__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
    elif due == "overdue":
        rows = rows.filter(status__in=AWAITING_DECISION, decision_due__lt=today)
    if opleiding is not None:
        rows = rows.filter(opleiding=opleiding)
    if company.strip():
        rows = rows.filter(company__name__icontains=company.strip())
    return rows.order_by(
        F("decision_due").asc(nulls_last=True), F("submitted_on").asc(nulls_last=True), "pk"
    )


def inbox_rows(recognitions: Iterable[Recognition], *, today: date) -> list[InboxRow]:
    """Each request with its countdown (days to ``decision_due`` while a decision is awaited)."""
    return [
        InboxRow(
            recognition,
            (recognition.decision_due - today).days
            if recognition.decision_due and recognition.status in AWAITING_DECISION
            else None,
        )
        for recognition in recognitions
    ]


def inbox_counts(recognitions: QuerySet[Recognition], *, today: date) -> dict[str, int]:
    """{"soon": due within 14 days, "overdue": past their due date} (one query)."""
    awaiting = recognitions.filter(status__in=AWAITING_DECISION, decision_due__isnull=False)
    return awaiting.aggregate(
        soon=Count(
            "pk",
            filter=Q(
                decision_due__gte=today, decision_due__lte=today + timedelta(days=DUE_SOON_DAYS)
            ),
        ),
        overdue=Count("pk", filter=Q(decision_due__lt=today)),
    )


def checklist_leerfiches(recognition: Recognition) -> list[Leerfiche]:
    """The leerfiches of the opleiding's activiteitenlijst checklist: those of the latest
    published version of its leerfiche set — the routed sector body's own set first, else the
    most recently published one. Empty when the opleiding has no published set yet."""
    version = (
        SetVersion.objects.filter(
            leerfiche_set__opleiding=recognition.opleiding, status=VersionStatus.PUBLISHED
        )
        .annotate(
            own=Case(
                When(leerfiche_set__owner_id=recognition.sector_body_id, then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("own", "-published_at", "-pk")
        .first()
    )
    if version is None:
        return []
    return list(
        Leerfiche.objects.filter(version=version)
        .select_related("theme")
        .order_by("theme__order", "theme__pk", "order", "pk")
    )


def visit_activities(visit: WorkplaceVisit) -> dict[str, VisitActivity]:
    return {activity.leerfiche_key: activity for activity in visit.activities.all()}
