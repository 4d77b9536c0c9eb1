"""The reminder rules of evaluation (plug-in of the reminder engine, ``notifications``).

Four rules, each set-based (a fixed number of queries whatever the number of trajects) and
each about a running traject, so a reminder row names the traject and only people who may see
the student follow it (``permissions.users_seeing_trajects``):

* ``self_evaluation_missing`` — the student has not evaluated themselves for
  ``settings.SELF_EVALUATION_REMINDER_DAYS`` company days (counted on the placement's weekly
  pattern since the last session with a self column; only once an opleidingsplan gives them
  leerfiches to evaluate): to the student;
* ``weekly_checkin_missing`` — the week's check-in is not done at the end of the student's
  last company day of the week: to the placement's mentors;
* ``soft_skills_due`` — a period of the partnership ends within two weeks and the round's
  LL / M / LK columns are not all handed in: to the student, the mentors and the leerkracht
  whose column is missing;
* ``open_werkpunten`` — the student has open werkpunten a week before the next soft-skill
  evaluation (the period's end, while the mentor's column of that round is not handed in): to
  the mentors and the student, so that the werkpunten are followed up at the meeting.

A reminder's due date is in its key (docs/decisions/0004-reminder-rows.md): a new gap after a
new self-evaluation, another week, another period are new reminders; the same one is never
sent twice. Every rule re-checks at sending time (``applies``) that it is still needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from evaluation.gaps import (
    COMPANY,
    LOOKBACK_DAYS,
    WEEKDAYS,
    is_company_day,
    missed_company_days,
)
from evaluation.models import (
    Evaluator,
    Session,
    SoftSkillColumn,
    WeeklyCheckin,
    Werkpunt,
)
from learning.models import Opleidingsplan, Period
from notifications.registry import Candidate, ReminderRule, current_lead, register_rule
from partnerships import permissions
from partnerships.models import (
    Partnership,
    Placement,
    PlacementSupervisor,
    TeamMember,
    Traject,
    TrajectStatus,
)

# The columns a soft-skill round needs: LL, M and LK (appendix 3).
ROUND_COLUMNS = (Evaluator.SELF, Evaluator.MENTOR, Evaluator.TEACHER)


class _Pattern:
    """The weekly company days of a traject's placements (one query for many trajects)."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.placements: dict[int, list[tuple[date, date, tuple[str, ...]]]] = defaultdict(list)
        for traject_id, start, end, *days in rows:
            self.placements[traject_id].append((start, end, tuple(days)))

    @classmethod
    def of(cls, traject_ids: Iterable[int]) -> _Pattern:
        return cls(
            Placement.objects.filter(traject_id__in=list(traject_ids)).values_list(
                "traject_id", "start_date", "end_date", *WEEKDAYS
            )
        )

    def is_company_day(self, traject_id: int, day: date) -> bool:
        return is_company_day(self.placements.get(traject_id, ()), day)

    def last_company_day_of_week(self, traject_id: int, monday: date) -> date | None:
        """The latest company day of the week of ``monday``: per placement its latest company
        weekday within its dates, the latest over the placements."""
        latest = None
        for start, end, days in self.placements.get(traject_id, ()):
            for offset in range(4, -1, -1):
                if days[offset] == COMPANY:
                    day = monday + timedelta(days=offset)
                    if start <= day <= end:
                        if latest is None or day > latest:
                            latest = day
                        break
        return latest


def _has_company_day(prefix: str = "") -> Q:
    """A placement (through ``prefix``) with at least one company day in its week."""
    company = Q()
    for weekday in WEEKDAYS:
        company |= Q(**{f"{prefix}{weekday}": COMPANY})
    return company


def _running_trajects(subject_ids: Iterable[int] | None) -> QuerySet[Traject]:
    trajects = Traject.objects.filter(status=TrajectStatus.RUNNING)
    if subject_ids is not None:
        trajects = trajects.filter(pk__in=list(subject_ids))
    return trajects


def _mentors(
    traject_ids: Iterable[int], *, on: date, until: date | None = None
) -> dict[int, set[int]]:
    """{traject id: mentor user ids} of the placements running on ``on`` (or some day of
    ``on`` … ``until``) (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    for traject_id, user_id in PlacementSupervisor.objects.filter(
        placement__traject_id__in=list(traject_ids),
        placement__start_date__lte=until or on,
        placement__end_date__gte=on,
        kind=PlacementSupervisor.Kind.MENTOR,
        user__is_active=True,
    ).values_list("placement__traject_id", "user_id"):
        found[traject_id].add(user_id)
    return found


def _seeing(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (user id, traject id) pairs whose user may see the traject (two queries)."""
    pairs = list(pairs)
    return permissions.users_seeing_trajects(
        user_ids={user for user, _ in pairs}, traject_ids={traject for _, traject in pairs}
    )


class EvaluationRule(ReminderRule):
    """A rule about a student's traject: its mails name the student, its link is the home
    page, where the student's day and the mentor's students are."""

    subject_model = Traject

    def subject_queryset(self) -> QuerySet:
        return Traject.objects.select_related("student", "partnership")

    def describe(self, subject: Traject) -> str:
        return subject.student.full_name

    def link(self, subject: Any, *, partnership: Partnership | None) -> str:
        return reverse("home")

    def context(self, subject: Traject, *, reminder: Any) -> dict[str, Any]:
        return {
            "student": subject.student.full_name,
            "due": date_format(reminder.due_date, "DATE_FORMAT"),
            "is_student": reminder.recipient_id == subject.student.user_id,
        }

    def _candidates(
        self, wanted: Iterable[tuple[int, int, int, date, int]], content_type: int
    ) -> list[Candidate]:
        """Candidates from (user id, traject id, partnership id, due date, lead), keeping only
        people who may see the student."""
        wanted = list(wanted)
        seeing = _seeing((user, traject) for user, traject, _p, _d, _l in wanted)
        found: dict[tuple, Candidate] = {}
        for user, traject, partnership, due, lead in wanted:
            if (user, traject) in seeing:
                candidate = Candidate(
                    self.code, content_type, traject, user, due, lead, partnership, traject
                )
                found.setdefault(candidate.key, candidate)
        return list(found.values())


@register_rule
class SelfEvaluationMissing(EvaluationRule):
    """(a) No self-evaluation for ``SELF_EVALUATION_REMINDER_DAYS`` company days: to the
    student. The due date is the company day the count was reached, so the reminder is sent
    once per gap; a new self-evaluation starts a new count."""

    code = "self_evaluation_missing"
    label = _("Self-evaluation missing")
    help_text = _("You have not evaluated your company days for a while.")

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        needed = settings.SELF_EVALUATION_REMINDER_DAYS
        # Only students with an opleidingsplan have leerfiches to evaluate.
        planned = Opleidingsplan.objects.filter(
            Q(traject__isnull=True) | Q(traject=OuterRef("pk")),
            partnership_id=OuterRef("partnership_id"),
        )
        trajects = list(
            _running_trajects(subject_ids)
            .filter(Exists(planned))
            .filter(
                student__user__isnull=False,
                placements__start_date__lt=today,
                placements__end_date__gte=today - timedelta(days=LOOKBACK_DAYS),
            )
            .distinct()
            .values_list("pk", "partnership_id", "student__user_id")
        )
        if not trajects:
            return []
        ids = [pk for pk, _p, _u in trajects]
        last_self = dict(
            Session.objects.filter(traject_id__in=ids, evaluations__evaluator=Evaluator.SELF)
            .values("traject_id")
            .annotate(last=Max("date"))
            .values_list("traject_id", "last")
        )
        pattern = _Pattern.of(ids)
        wanted = []
        for pk, partnership_id, user_id in trajects:
            missed = missed_company_days(
                last=last_self.get(pk),
                today=today,
                company_day=lambda day, pk=pk: pattern.is_company_day(pk, day),
            )
            if len(missed) >= needed:
                wanted.append((user_id, pk, partnership_id, missed[needed - 1], 0))
        return self._candidates(wanted, self.content_type_id())

    def context(self, subject: Traject, *, reminder: Any) -> dict[str, Any]:
        return {
            **super().context(subject, reminder=reminder),
            "days": settings.SELF_EVALUATION_REMINDER_DAYS,
        }


@register_rule
class WeeklyCheckinMissing(EvaluationRule):
    """(b) The week's check-in is not done after the student's last company day of the week
    (due at the end of that day): to the placement's mentors, once per week."""

    code = "weekly_checkin_missing"
    label = _("Weekly evaluation missing")
    help_text = _("A student's weekly evaluation was not filled in after their last company day.")

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        this_monday = today - timedelta(days=today.weekday())
        mondays = (this_monday, this_monday - timedelta(days=7))
        # Only trajects with a company day in a placement of the two weeks can have one due
        # (one filter: the same placement has the dates and the company day).
        trajects = list(
            _running_trajects(subject_ids)
            .filter(
                _has_company_day("placements__"),
                placements__start_date__lt=today,
                placements__end_date__gte=mondays[1],
            )
            .distinct()
            .values_list("pk", "partnership_id")
        )
        if not trajects:
            return []
        ids = [pk for pk, _p in trajects]
        pattern = _Pattern.of(ids)
        # The latest week whose last company day has ended, per traject.
        due_week: dict[int, tuple[date, date]] = {}
        for pk, _partnership in trajects:
            for monday in mondays:
                last = pattern.last_company_day_of_week(pk, monday)
                if last is not None and last < today:
                    due_week[pk] = (monday, last)
                    break
        if not due_week:
            return []
        done = set(
            WeeklyCheckin.objects.filter(
                traject_id__in=list(due_week),
                week_start__in=mondays,
                done_at__isnull=False,
            ).values_list("traject_id", "week_start")
        )
        mentors = _mentors(
            list(due_week),
            on=min(last for _m, last in due_week.values()),
            until=max(last for _m, last in due_week.values()),
        )
        wanted = []
        for pk, partnership_id in trajects:
            if pk not in due_week or (pk, due_week[pk][0]) in done:
                continue
            monday, last = due_week[pk]
            for user_id in sorted(mentors.get(pk, set())):
                wanted.append((user_id, pk, partnership_id, last, 0))
        return self._candidates(wanted, self.content_type_id())

    def context(self, subject: Traject, *, reminder: Any) -> dict[str, Any]:
        monday = reminder.due_date - timedelta(days=reminder.due_date.weekday())
        return {
            **super().context(subject, reminder=reminder),
            "week": date_format(monday, "SHORT_DATE_FORMAT"),
        }


def _periods_ending(
    trajects: list[tuple[int, int]], *, today: date, horizon: int
) -> dict[int, list[Period]]:
    """{partnership id: periods that have started and end within ``horizon`` days}."""
    found: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(
        partnership_id__in={p for _t, p in trajects},
        start_date__lte=today,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=horizon),
    ):
        found[period.partnership_id].append(period)
    return found


def _submitted(traject_ids: Iterable[int], periods: Iterable[Period]) -> set[tuple[int, int, str]]:
    """{(traject id, period id, evaluator)} of the handed-in soft-skill columns."""
    return set(
        SoftSkillColumn.objects.filter(
            round__traject_id__in=list(traject_ids),
            round__period__in=[p.pk for p in periods],
            submitted_at__isnull=False,
        ).values_list("round__traject_id", "round__period_id", "evaluator")
    )


@register_rule
class SoftSkillsDue(EvaluationRule):
    """(c) A period of the partnership ends within two weeks and the traject's soft-skill
    round is not complete: to each of the student (LL), the mentors (M) and the leerkracht (LK)
    whose column is not handed in; two weeks and three days before the period's end."""

    code = "soft_skills_due"
    label = _("Soft-skill evaluation due")
    help_text = _("The evaluation period ends soon and the soft-skill evaluation is not complete.")
    lead_days = (14, 3)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        trajects = list(
            _running_trajects(subject_ids)
            .filter(placements__start_date__lte=today, placements__end_date__gte=today)
            .distinct()
            .values_list("pk", "partnership_id", "student__user_id")
        )
        if not trajects:
            return []
        periods = _periods_ending(
            [(pk, p) for pk, p, _u in trajects], today=today, horizon=max(self.lead_days)
        )
        trajects = [row for row in trajects if row[1] in periods]
        if not trajects:
            return []
        ids = [pk for pk, _p, _u in trajects]
        submitted = _submitted(ids, [p for found in periods.values() for p in found])
        mentors = _mentors(ids, on=today)
        teachers: dict[int, set[int]] = defaultdict(set)
        for partnership_id, user_id in TeamMember.objects.filter(
            partnership_id__in=list(periods), role="leerkracht", user__is_active=True
        ).values_list("partnership_id", "user_id"):
            teachers[partnership_id].add(user_id)
        wanted = []
        for pk, partnership_id, student_user in trajects:
            for period in periods[partnership_id]:
                lead = current_lead(due=period.end_date, today=today, leads=self.lead_days)
                if lead is None:
                    continue
                people = {
                    Evaluator.SELF: {student_user} if student_user else set(),
                    Evaluator.MENTOR: mentors.get(pk, set()),
                    Evaluator.TEACHER: teachers.get(partnership_id, set()),
                }
                for evaluator in ROUND_COLUMNS:
                    if (pk, period.pk, evaluator) in submitted:
                        continue
                    for user_id in sorted(people[evaluator]):
                        wanted.append((user_id, pk, partnership_id, period.end_date, lead))
        return self._candidates(wanted, self.content_type_id())


@register_rule
class OpenWerkpunten(EvaluationRule):
    """(d) Open werkpunten before the next meeting: a week before the period's end (the
    soft-skill evaluation, where werkpunten come back and are closed with an outcome), while
    the mentor has not handed in that round: to the mentors and the student."""

    code = "open_werkpunten"
    label = _("Open werkpunten before the evaluation")
    help_text = _("Werkpunten are still open a week before the next evaluation.")
    lead_days = (7,)

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        open_werkpunten = Werkpunt.objects.filter(closed_on__isnull=True)
        trajects = list(
            _running_trajects(subject_ids)
            .filter(
                Q(pk__in=open_werkpunten.values("traject_id")),
                placements__start_date__lte=today,
                placements__end_date__gte=today,
            )
            .distinct()
            .values_list("pk", "partnership_id", "student__user_id")
        )
        if not trajects:
            return []
        periods = _periods_ending(
            [(pk, p) for pk, p, _u in trajects], today=today, horizon=max(self.lead_days)
        )
        trajects = [row for row in trajects if row[1] in periods]
        if not trajects:
            return []
        ids = [pk for pk, _p, _u in trajects]
        submitted = _submitted(ids, [p for found in periods.values() for p in found])
        mentors = _mentors(ids, on=today)
        wanted = []
        for pk, partnership_id, student_user in trajects:
            for period in periods[partnership_id]:
                if (pk, period.pk, Evaluator.MENTOR) in submitted:
                    continue
                lead = current_lead(due=period.end_date, today=today, leads=self.lead_days)
                if lead is None:
                    continue
                people = set(mentors.get(pk, set()))
                if student_user:
                    people.add(student_user)
                for user_id in sorted(people):
                    wanted.append((user_id, pk, partnership_id, period.end_date, lead))
        return self._candidates(wanted, self.content_type_id())

    def context(self, subject: Traject, *, reminder: Any) -> dict[str, Any]:
        return {
            **super().context(subject, reminder=reminder),
            "werkpunten": list(
                Werkpunt.objects.filter(traject=subject, closed_on__isnull=True)
                .order_by("opened_on", "pk")
                .values_list("text", flat=True)
            ),
        }
