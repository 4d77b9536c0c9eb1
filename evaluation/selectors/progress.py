"""Progress over time: per leerfiche, how far each evaluator's marks were after every session
day (the history, not only the last value) and the day all criteria were reached; the
werkpunten of a traject, open and closed. Fixed numbers of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, QuerySet

from evaluation.models import CriterionScore, Mark, Werkpunt
from evaluation.selectors.triangulation import LeerficheBlock, Triangulation, short


@dataclass(frozen=True)
class HistoryCell:
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
    block: LeerficheBlock
    total: int
    points: list[HistoryPoint]
    # The first day each evaluator had every criterion on V (None: not yet).
    reached_on: list[tuple[str, str, dt.date | None]]


def leerfiche_history(*, triangulation: Triangulation) -> list[LeerficheHistory]:
    """The history of each leerfiche of ``triangulation`` (one query)."""
    blocks = {block.key: block for block in triangulation.leerfiches}
    criteria = {key: {row.key for row in block.rows} for key, block in blocks.items()}
    columns = triangulation.columns
    # {fiche: {date: [(criterion, evaluator, mark)]}} in date order
    days: dict[str, dict[dt.date, list[tuple[str, str, str]]]] = defaultdict(dict)
    for fiche, key, evaluator, mark, on in (
        CriterionScore.objects.filter(
            evaluation__session__traject_id=triangulation.traject_id,
            evaluation__session__leerfiche_key__in=list(blocks),
        )
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
    found = []
    for key, block in blocks.items():
        total = len(criteria[key])
        state: dict[str, dict[str, str]] = defaultdict(dict)
        reached_on: dict[str, dt.date] = {}
        points = []
        for on, marks in days.get(key, {}).items():
            marked_today = set()
            for criterion, evaluator, mark in marks:
                if criterion in criteria[key]:
                    state[evaluator][criterion] = mark
                    marked_today.add(evaluator)
            cells = []
            for evaluator in columns:
                reached = sum(1 for mark in state[evaluator].values() if mark == Mark.REACHED)
                if total and reached == total and evaluator not in reached_on:
                    reached_on[evaluator] = on
                cells.append(
                    HistoryCell(evaluator, short(evaluator), reached, evaluator in marked_today)
                )
            points.append(HistoryPoint(on, cells))
        found.append(
            LeerficheHistory(
                block=block,
                total=total,
                points=points,
                reached_on=[
                    (evaluator, short(evaluator), reached_on.get(evaluator))
                    for evaluator in columns
                ],
            )
        )
    return found


def werkpunten_of(*, traject_id: int) -> QuerySet[Werkpunt]:
    """The traject's werkpunten: open ones first (oldest first), then the closed ones."""
    return (
        Werkpunt.objects.filter(traject_id=traject_id)
        .select_related("opened_by", "closed_by")
        .order_by(F("closed_on").asc(nulls_first=True), "opened_on", "pk")
    )
