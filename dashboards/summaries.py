"""The upkeep of the dashboards' summaries (``dashboards.models``), from the events the domain
services send in their own transaction (docs/decisions/0023-dashboard-summaries.md):

* ``evaluation.signals.evaluation_saved`` — a column of a practice session, a weekly check-in,
  a soft-skill column or a werkpunt changed;
* ``contracts.signals.contract_changed`` — a contract or an item of its start checklist.

Each receiver recomputes only what the event touched — one leerfiche, one week, one period of
one traject, and the traject's totals — from that traject's rows: a bounded number of queries
whatever the number of students, and the dashboards themselves never read the raw scores.
``rebuild`` recomputes everything (``manage.py rebuild_dashboards``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest, Now

from contracts import checklist as contract_checklist
from contracts.models import ENDED_STATES, ChecklistItem, Contract
from contracts.signals import contract_changed
from dashboards.models import LeerficheSummary, PeriodSummary, TrajectSummary, WeekSummary
from evaluation import signals as evaluation_signals
from evaluation.models import (
    Evaluation,
    Evaluator,
    Session,
    SoftSkillColumn,
    WeeklyCheckin,
    Werkpunt,
)
from evaluation.selectors.marks import latest_marks
from evaluation.selectors.triangulation import mark_divergence
from learning.models import Criterion
from partnerships.models import Traject

TEAM = (Evaluator.MENTOR, Evaluator.TEACHER, Evaluator.TRAINING_CENTRE)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- one part of one traject -----------------------------------------------------------------


def leerfiche_figures(
    criterion_keys: list[str], marks: dict[tuple[str, str], Any]
) -> tuple[int, int, int, int]:
    """(total, reached, not yet, divergent) of one leerfiche: ``marks`` {(criterion key,
    evaluator): Latest}. Reached / not yet: the team's latest mark (the mentor's, teacher's
    or training centre's, whichever was given last; on a tie, V only if all say V); divergent: the evaluators' latest marks
    disagree (``evaluation.selectors.triangulation.mark_divergence``)."""
    reached = not_yet = divergent = 0
    for key in criterion_keys:
        given = {evaluator: latest for (crit, evaluator), latest in marks.items() if crit == key}
        team = [latest for evaluator, latest in given.items() if evaluator in TEAM]
        if team:
            # The team's verdict is its latest mark; two on that day must both say V.
            last_day = max(latest.date for latest in team)
            if all(latest.mark == "V" for latest in team if latest.date == last_day):
                reached += 1
            else:
                not_yet += 1
        if mark_divergence({evaluator: latest.mark for evaluator, latest in given.items()}):
            divergent += 1
    return len(criterion_keys), reached, not_yet, divergent


def refresh_leerfiche(traject_id: int, leerfiche_key: str) -> None:
    """Three queries: the criteria of the version practised last, the latest marks, the row."""
    last_version = (
        Session.objects.filter(traject_id=traject_id, leerfiche_key=leerfiche_key)
        .order_by("-date", "-pk")
        .values("leerfiche_id")[:1]
    )
    keys = list(
        Criterion.objects.filter(leerfiche_id=Subquery(last_version))
        .order_by("order", "pk")
        .values_list("key", flat=True)
    )
    if not keys:
        LeerficheSummary.objects.filter(traject_id=traject_id, leerfiche_key=leerfiche_key).delete()
        return
    found = latest_marks(traject_ids=[traject_id], leerfiche_keys=[leerfiche_key])
    marks = {(key, evaluator): latest for (_t, _f, key, evaluator), latest in found.items()}
    if not marks:  # every mark removed: no longer practised
        LeerficheSummary.objects.filter(traject_id=traject_id, leerfiche_key=leerfiche_key).delete()
        return
    total, reached, not_yet, divergent = leerfiche_figures(keys, marks)
    LeerficheSummary.objects.bulk_create(
        [
            LeerficheSummary(
                traject_id=traject_id,
                leerfiche_key=leerfiche_key,
                total=total,
                reached=reached,
                not_yet=not_yet,
                divergent=divergent,
            )
        ],
        update_conflicts=True,
        unique_fields=["traject", "leerfiche_key"],
        update_fields=["total", "reached", "not_yet", "divergent"],
    )


def refresh_week(traject_id: int, week_start: dt.date) -> None:
    """Two queries: the days with handed-in columns and the check-in (one statement), the
    row."""
    columns = Evaluation.objects.filter(
        session__traject_id=OuterRef("pk"),
        session__date__range=(week_start, week_start + dt.timedelta(days=6)),
        submitted_at__isnull=False,
    )

    def days(evaluator: str) -> Coalesce:
        per = (
            columns.filter(evaluator=evaluator)
            .order_by()
            .values("evaluator")
            .annotate(days=Count("session__date", distinct=True))
            .values("days")[:1]
        )
        return Coalesce(Subquery(per), 0)

    done = WeeklyCheckin.objects.filter(
        traject_id=OuterRef("pk"), week_start=week_start, done_at__isnull=False
    )
    found = (
        Traject.objects.filter(pk=traject_id)
        .values(selfs=days(Evaluator.SELF), teachers=days(Evaluator.TEACHER), done=Exists(done))
        .first()
    ) or {"selfs": 0, "teachers": 0, "done": False}
    WeekSummary.objects.bulk_create(
        [
            WeekSummary(
                traject_id=traject_id,
                week_start=week_start,
                self_days=found["selfs"],
                teacher_days=found["teachers"],
                checkin_done=found["done"],
            )
        ],
        update_conflicts=True,
        unique_fields=["traject", "week_start"],
        update_fields=["self_days", "teacher_days", "checkin_done"],
    )


def refresh_period(traject_id: int, period_id: int) -> None:
    """Two queries: the handed-in columns of the round, the row."""
    handed_in = set(
        SoftSkillColumn.objects.filter(
            round__traject_id=traject_id, round__period_id=period_id, submitted_at__isnull=False
        ).values_list("evaluator", flat=True)
    )
    PeriodSummary.objects.bulk_create(
        [
            PeriodSummary(
                traject_id=traject_id,
                period_id=period_id,
                self_done=Evaluator.SELF in handed_in,
                mentor_done=Evaluator.MENTOR in handed_in,
                teacher_done=Evaluator.TEACHER in handed_in,
            )
        ],
        update_conflicts=True,
        unique_fields=["traject", "period"],
        update_fields=["self_done", "mentor_done", "teacher_done"],
    )


def current_contract(contracts: Iterable[Contract]) -> Contract | None:
    """The contract a dashboard shows for a traject: the latest one not ended, else the
    latest one (by start date)."""
    ordered = sorted(contracts, key=lambda contract: (contract.start_date, contract.pk))
    open_ = [contract for contract in ordered if contract.state not in ENDED_STATES]
    return (open_ or ordered or [None])[-1]


def _contract_fields(traject_id: int) -> dict[str, Any]:
    """Two queries: the traject's contracts and the checklist of the current one."""
    contract = current_contract(Contract.objects.filter(traject_id=traject_id))
    items = list(ChecklistItem.objects.filter(contract=contract)) if contract else []
    return _contract_row(contract, items)


def _evaluation_expressions(traject: str) -> dict[str, Any]:
    """The evaluation part of a traject's row as expressions over ``traject`` (the outer
    query's field holding the traject's id): the leerfiche sums, the last evaluated day
    (sessions, check-ins: the later, or the one there is) and the open werkpunten."""

    def total(field: str) -> Coalesce:
        sums = (
            LeerficheSummary.objects.filter(traject_id=OuterRef(traject))
            .order_by()
            .values("traject_id")
            .annotate(sum=Sum(field))
            .values("sum")[:1]
        )
        return Coalesce(Subquery(sums), 0)

    last_session = (
        Session.objects.filter(
            traject_id=OuterRef(traject), evaluations__submitted_at__isnull=False
        )
        .order_by("-date")
        .values("date")[:1]
    )
    last_checkin = (
        WeeklyCheckin.objects.filter(traject_id=OuterRef(traject), done_at__isnull=False)
        .order_by("-week_start")
        .values("week_start")[:1]
    )
    werkpunten = (
        Werkpunt.objects.filter(traject_id=OuterRef(traject), closed_on__isnull=True)
        .order_by()
        .values("traject_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return {
        "criteria_total": total("total"),
        "criteria_reached": total("reached"),
        "criteria_not_yet": total("not_yet"),
        "criteria_divergent": total("divergent"),
        # The later of the two, or the one there is: SQLite's GREATEST is NULL when either is
        # (PostgreSQL skips NULLs), so each side falls back on the other.
        "last_evaluated_on": Greatest(
            Coalesce(Subquery(last_session), Subquery(last_checkin)),
            Coalesce(Subquery(last_checkin), Subquery(last_session)),
        ),
        "open_werkpunten": Coalesce(Subquery(werkpunten), 0),
    }


def refresh_traject(traject_id: int, *, evaluation: bool = True, contract: bool = True) -> None:
    """The traject's row: its evaluation part, its contract part, or both. The evaluation part
    alone is one UPDATE when the row is there (every save but the traject's first)."""
    fields: dict[str, Any] = _contract_fields(traject_id) if contract else {}
    if evaluation:
        row = TrajectSummary.objects.filter(traject_id=traject_id)
        if row.update(**fields, **_evaluation_expressions("traject_id"), updated_at=Now()):
            return
        found = (
            Traject.objects.filter(pk=traject_id).values(**_evaluation_expressions("pk")).first()
        )
        if found is None:  # the traject is gone (deleted in this transaction)
            return
        fields.update(found)
    TrajectSummary.objects.bulk_create(
        [TrajectSummary(traject_id=traject_id, **fields)],
        update_conflicts=True,
        unique_fields=["traject"],
        update_fields=[*fields, "updated_at"],
    )


# --- the receivers ---------------------------------------------------------------------------


def on_evaluation_saved(
    sender: object,
    *,
    traject_id: int,
    kind: str,
    on: dt.date | None = None,
    leerfiche_key: str = "",
    period_id: int | None = None,
    marks_changed: bool = False,
    handed_in: bool = False,
    **kwargs: Any,
) -> None:
    """Only what the event changed: the marks → the leerfiche; a hand-in → the week; then the
    traject's totals (a soft-skill hand-in touches its period only)."""
    if kind == evaluation_signals.SOFT_SKILLS:
        if period_id is not None:
            refresh_period(traject_id, period_id)
        return
    if marks_changed and leerfiche_key:
        refresh_leerfiche(traject_id, leerfiche_key)
    if handed_in and on is not None:
        refresh_week(traject_id, monday(on))
    refresh_traject(traject_id, contract=False)


def on_contract_changed(sender: object, *, traject_id: int, **kwargs: Any) -> None:
    refresh_traject(traject_id, evaluation=False)


def connect() -> None:
    evaluation_signals.evaluation_saved.connect(
        on_evaluation_saved, dispatch_uid="dashboards.evaluation_saved"
    )
    contract_changed.connect(on_contract_changed, dispatch_uid="dashboards.contract_changed")


# --- everything again ------------------------------------------------------------------------


def _contract_row(contract: Contract | None, items: list[ChecklistItem]) -> dict[str, Any]:
    if contract is None:
        return {
            "contract_type": "",
            "contract_state": "",
            "contract_start": None,
            "checklist_done": 0,
            "checklist_total": 0,
            "checklist_blocking_open": 0,
        }
    done, total = contract_checklist.progress(items, contract)
    return {
        "contract_type": contract.contract_type,
        "contract_state": contract.state,
        "contract_start": contract.start_date,
        "checklist_done": done,
        "checklist_total": total,
        "checklist_blocking_open": sum(
            1 for item in items if item.blocking and contract_checklist.is_open(item, contract)
        ),
    }


def rebuild(traject_ids: Iterable[int]) -> int:
    """Recompute every summary row of ``traject_ids`` from the domain's rows (the backfill, and
    the repair after rows were changed behind the services' back), in a fixed number of
    queries per call whatever the number of trajects (the command passes batches). The same
    definitions as the receivers (the tests compare both). Returns the number of trajects."""
    ids = list(traject_ids)
    for model in (LeerficheSummary, WeekSummary, PeriodSummary, TrajectSummary):
        model.objects.filter(traject_id__in=ids).delete()  # 4

    # Leerfiches: the version practised last, its criteria, the latest marks.
    last: dict[tuple[int, str], tuple[dt.date, int, int]] = {}
    for traject_id, key, day, pk, fiche_id in Session.objects.filter(  # 5
        traject_id__in=ids
    ).values_list("traject_id", "leerfiche_key", "date", "pk", "leerfiche_id"):
        if (traject_id, key) not in last or (day, pk) > last[(traject_id, key)][:2]:
            last[(traject_id, key)] = (day, pk, fiche_id)
    criteria: dict[int, list[str]] = defaultdict(list)
    for fiche_id, key in (
        Criterion.objects.filter(leerfiche_id__in={row[2] for row in last.values()})  # 6
        .order_by("order", "pk")
        .values_list("leerfiche_id", "key")
    ):
        criteria[fiche_id].append(key)
    marks: dict[tuple[int, str], dict[tuple[str, str], Any]] = defaultdict(dict)
    for (traject_id, fiche, key, evaluator), latest in latest_marks(traject_ids=ids).items():  # 7
        marks[(traject_id, fiche)][(key, evaluator)] = latest
    fiche_rows = []
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (traject_id, key), (_day, _pk, fiche_id) in sorted(last.items()):
        keys = criteria.get(fiche_id, [])
        if not keys or (traject_id, key) not in marks:  # practised: marked at least once
            continue
        figures = leerfiche_figures(keys, marks[(traject_id, key)])
        total, reached, not_yet, divergent = figures
        fiche_rows.append(
            LeerficheSummary(
                traject_id=traject_id,
                leerfiche_key=key,
                total=total,
                reached=reached,
                not_yet=not_yet,
                divergent=divergent,
            )
        )
        sums[traject_id] = [a + b for a, b in zip(sums[traject_id], figures, strict=True)]

    # Weeks and the last evaluated day: handed-in columns and finished check-ins.
    days: dict[tuple[int, dt.date], dict[str, set[dt.date]]] = defaultdict(lambda: defaultdict(set))
    last_day: dict[int, dt.date] = {}
    for traject_id, evaluator, day in Evaluation.objects.filter(  # 8
        session__traject_id__in=ids, submitted_at__isnull=False
    ).values_list("session__traject_id", "evaluator", "session__date"):
        days[(traject_id, monday(day))][evaluator].add(day)
        last_day[traject_id] = max(day, last_day.get(traject_id, day))
    done: set[tuple[int, dt.date]] = set()
    for traject_id, week in WeeklyCheckin.objects.filter(  # 9
        traject_id__in=ids, done_at__isnull=False
    ).values_list("traject_id", "week_start"):
        done.add((traject_id, week))
        last_day[traject_id] = max(week, last_day.get(traject_id, week))
    week_rows = [
        WeekSummary(
            traject_id=traject_id,
            week_start=week,
            self_days=len(days[(traject_id, week)][Evaluator.SELF]),
            teacher_days=len(days[(traject_id, week)][Evaluator.TEACHER]),
            checkin_done=(traject_id, week) in done,
        )
        for traject_id, week in sorted(set(days) | done)
    ]

    handed_in: dict[tuple[int, int], set[str]] = defaultdict(set)
    for traject_id, period_id, evaluator in SoftSkillColumn.objects.filter(  # 10
        round__traject_id__in=ids, submitted_at__isnull=False
    ).values_list("round__traject_id", "round__period_id", "evaluator"):
        handed_in[(traject_id, period_id)].add(evaluator)
    period_rows = [
        PeriodSummary(
            traject_id=traject_id,
            period_id=period_id,
            self_done=Evaluator.SELF in found,
            mentor_done=Evaluator.MENTOR in found,
            teacher_done=Evaluator.TEACHER in found,
        )
        for (traject_id, period_id), found in sorted(handed_in.items())
    ]

    open_werkpunten = dict(
        Werkpunt.objects.filter(traject_id__in=ids, closed_on__isnull=True)  # 11
        .values_list("traject_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    contracts: dict[int, list[Contract]] = defaultdict(list)
    for contract in Contract.objects.filter(traject_id__in=ids):  # 12
        contracts[contract.traject_id].append(contract)
    current = {pk: current_contract(found) for pk, found in contracts.items()}
    items: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in ChecklistItem.objects.filter(  # 13
        contract_id__in=[c.pk for c in current.values() if c is not None]
    ):
        items[item.contract_id].append(item)
    traject_rows = []
    for traject_id in ids:
        contract = current.get(traject_id)
        total, reached, not_yet, divergent = sums[traject_id]
        traject_rows.append(
            TrajectSummary(
                traject_id=traject_id,
                last_evaluated_on=last_day.get(traject_id),
                criteria_total=total,
                criteria_reached=reached,
                criteria_not_yet=not_yet,
                criteria_divergent=divergent,
                open_werkpunten=open_werkpunten.get(traject_id, 0),
                **_contract_row(contract, items[contract.pk] if contract else []),
            )
        )
    LeerficheSummary.objects.bulk_create(fiche_rows, batch_size=1000)
    WeekSummary.objects.bulk_create(week_rows, batch_size=1000)
    PeriodSummary.objects.bulk_create(period_rows, batch_size=1000)
    TrajectSummary.objects.bulk_create(traject_rows, batch_size=1000)
    return len(ids)
