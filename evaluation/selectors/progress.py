"""Progress over time: per leerfiche, how far each evaluator's marks were after every session
day (the history, not only the last value), the day all criteria were reached and each
evaluator's status now; the werkpunten of a traject, open and closed. Fixed numbers of
queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, QuerySet

from evaluation.models import CriterionScore, Evaluator, Mark, Session, Werkpunt
from evaluation.selectors.marks import Latest, Status, status_of
from evaluation.selectors.triangulation import BASE_COLUMNS, COLUMNS, short
from learning.models import Criterion, Leerfiche


class HistoryCell(NamedTuple):
    evaluator: str
    short: str
    reached: int  # criteria whose latest mark (up to that day) is V
    marked: bool  # the evaluator gave marks that day


@dataclass
class HistoryPoint:
    date: dt.date
    cells: list[HistoryCell]


@dataclass
class LeerficheHistory:
    key: str
    title: str
    total: int  # the criteria of the version practised last
    statuses: list[tuple[str, Status]]  # (evaluator, status now) in column order
    points: list[HistoryPoint]
    # The first day each evaluator had every criterion on V (None: not yet).
    reached_on: list[tuple[str, str, dt.date | None]]


@dataclass
class TrajectProgress:
    traject_id: int
    columns: tuple[str, ...]  # LL, M, LK, and OC when the training centre marked
    leerfiches: list[LeerficheHistory]


def leerfiche_progress(*, traject_id: int) -> TrajectProgress:
    """The history and status of every leerfiche the traject practised, in the order of the
    catalogue (four queries, whatever the number of sessions or marks). The leerfiches, their
    criteria, statuses and columns are the triangulation's (``triangulation.triangulate``);
    the statuses are the histories' last states, so one pass over the marks gives both."""
    # Which leerfiches the traject practised, and the version practised last (its criteria).
    practised: dict[str, int] = {}
    for key, fiche_id in (
        Session.objects.filter(traject_id=traject_id)
        .order_by("date", "pk")
        .values_list("leerfiche_key", "leerfiche_id")
    ):
        practised[key] = fiche_id
    fiches = {
        pk: (title, (theme_order, order))
        for pk, title, order, theme_order in Leerfiche.objects.filter(
            pk__in=set(practised.values())
        )
        .order_by()
        .values_list("pk", "title", "order", "theme__order")
    }
    criteria: dict[int, list[str]] = defaultdict(list)
    for fiche_id, key in (
        Criterion.objects.filter(leerfiche_id__in=set(practised.values()))
        .order_by("leerfiche_id", "order", "pk")
        .values_list("leerfiche_id", "key")
    ):
        criteria[fiche_id].append(key)
    # {fiche: {date: [(criterion, evaluator, mark)]}} in date order
    days: dict[str, dict[dt.date, list[tuple[str, str, str]]]] = defaultdict(dict)
    with_oc = False
    for fiche, key, evaluator, mark, on in (
        CriterionScore.objects.filter(evaluation__session__traject_id=traject_id)
        .order_by("evaluation__session__date", "evaluation__session_id")
        .values_list(
            "evaluation__session__leerfiche_key",
            "criterion_key",
            "evaluation__evaluator",
            "mark",
            "evaluation__session__date",
        )
    ):
        days[fiche].setdefault(on, []).append((key, evaluator, mark))
        with_oc = with_oc or evaluator == Evaluator.TRAINING_CENTRE
    columns = COLUMNS if with_oc else BASE_COLUMNS
    heads = [(evaluator, short(evaluator)) for evaluator in columns]
    found = []
    for key, fiche_id in sorted(practised.items(), key=lambda item: (*fiches[item[1]][1], item[0])):
        keys = criteria.get(fiche_id, [])
        in_fiche = set(keys)
        total = len(keys)
        # {evaluator: {criterion: (its latest mark, that day)}}
        latest: dict[str, dict[str, tuple[str, dt.date]]] = {e: {} for e in columns}
        reached = dict.fromkeys(columns, 0)
        reached_on: dict[str, dt.date] = {}
        points = []
        for on, marks in days.get(key, {}).items():
            marked_today = set()
            for criterion, evaluator, mark in marks:
                if criterion not in in_fiche or evaluator not in latest:
                    continue
                before = latest[evaluator].get(criterion)
                reached[evaluator] += (mark == Mark.REACHED) - (
                    before is not None and before[0] == Mark.REACHED
                )
                latest[evaluator][criterion] = (mark, on)
                marked_today.add(evaluator)
            for evaluator in columns:
                if total and reached[evaluator] == total and evaluator not in reached_on:
                    reached_on[evaluator] = on
            points.append(
                HistoryPoint(
                    on,
                    [
                        HistoryCell(evaluator, head, reached[evaluator], evaluator in marked_today)
                        for evaluator, head in heads
                    ],
                )
            )
        found.append(
            LeerficheHistory(
                key=key,
                title=fiches[fiche_id][0],
                total=total,
                statuses=[
                    (
                        evaluator,
                        status_of(
                            criterion_keys=keys,
                            marks={k: Latest(*v) for k, v in latest[evaluator].items()},
                        ),
                    )
                    for evaluator in columns
                ],
                points=points,
                reached_on=[
                    (evaluator, head, reached_on.get(evaluator)) for evaluator, head in heads
                ],
            )
        )
    return TrajectProgress(traject_id=traject_id, columns=columns, leerfiches=found)


def werkpunten_of(*, traject_id: int) -> QuerySet[Werkpunt]:
    """The traject's werkpunten: open ones first (oldest first), then the closed ones."""
    return (
        Werkpunt.objects.filter(traject_id=traject_id)
        .select_related("opened_by", "closed_by")
        .order_by(F("closed_on").asc(nulls_first=True), "opened_on", "pk")
    )
