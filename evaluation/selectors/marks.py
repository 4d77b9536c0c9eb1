"""The marks as the screens read them: the latest V/O per criterion and evaluator, and each
leerfiche's status per evaluator ("the student keeps practising until every criterion is
reached"). Fixed numbers of queries, whatever the number of sessions."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evaluation.models import CriterionScore, Mark
from learning.models import Criterion, Leerfiche


@dataclass(frozen=True)
class Latest:
    mark: str
    date: dt.date


# {(traject id, leerfiche key, criterion key, evaluator): Latest}
LatestMarks = dict[tuple[int, str, str, str], Latest]


def _score_rows(
    traject_ids: Iterable[int], leerfiche_keys: Iterable[str] | None, until: dt.date | None
) -> Iterable[tuple[int, str, str, str, str, dt.date]]:
    """(traject id, leerfiche key, criterion key, evaluator, mark, session date) in session
    order, so that the last one of a criterion and evaluator is its latest mark."""
    rows = CriterionScore.objects.filter(evaluation__session__traject_id__in=list(traject_ids))
    if leerfiche_keys is not None:
        rows = rows.filter(evaluation__session__leerfiche_key__in=list(leerfiche_keys))
    if until is not None:
        rows = rows.filter(evaluation__session__date__lte=until)
    return rows.order_by("evaluation__session__date", "evaluation__session_id").values_list(
        "evaluation__session__traject_id",
        "evaluation__session__leerfiche_key",
        "criterion_key",
        "evaluation__evaluator",
        "mark",
        "evaluation__session__date",
    )


def latest_marks(
    *,
    traject_ids: Iterable[int],
    leerfiche_keys: Iterable[str] | None = None,
    until: dt.date | None = None,
) -> LatestMarks:
    """The last mark each evaluator gave each criterion (by session date), optionally only
    up to ``until`` (one query; the rows come ordered so the last one wins)."""
    found: LatestMarks = {}
    for traject_id, fiche, key, evaluator, mark, on in _score_rows(
        traject_ids, leerfiche_keys, until
    ):
        found[(traject_id, fiche, key, evaluator)] = Latest(mark, on)
    return found


def latest_marks_before_and_until(
    *,
    traject_ids: Iterable[int],
    leerfiche_keys: Iterable[str] | None = None,
    before: dt.date,
    until: dt.date,
) -> tuple[LatestMarks, LatestMarks]:
    """``latest_marks`` up to the day before ``before`` and up to ``until`` (``before`` ≤
    ``until``), in one query instead of two: the rows up to ``until`` hold both."""
    earlier: LatestMarks = {}
    found: LatestMarks = {}
    for traject_id, fiche, key, evaluator, mark, on in _score_rows(
        traject_ids, leerfiche_keys, until
    ):
        latest = Latest(mark, on)
        found[(traject_id, fiche, key, evaluator)] = latest
        if on < before:
            earlier[(traject_id, fiche, key, evaluator)] = latest
    return earlier, found


class Progress(enum.StrEnum):
    NOT_STARTED = "not_started"
    PRACTISING = "practising"
    REACHED = "reached"


PROGRESS_LABELS = {
    Progress.NOT_STARTED: _("not started"),
    Progress.PRACTISING: _("practising"),
    Progress.REACHED: _("all criteria reached"),
}


@dataclass(frozen=True)
class Status:
    progress: Progress
    # The day the last criterion was reached (for REACHED), else the last session's day.
    date: dt.date | None
    reached: int
    total: int

    @property
    def label(self) -> str:
        return str(PROGRESS_LABELS[self.progress])


def status_of(*, criterion_keys: list[str], marks: dict[str, Latest]) -> Status:
    """One leerfiche's status for one evaluator, from its criteria and their latest marks."""
    given = [marks[key] for key in criterion_keys if key in marks]
    if not given:
        return Status(Progress.NOT_STARTED, None, 0, len(criterion_keys))
    reached = sum(1 for latest in given if latest.mark == Mark.REACHED)
    last = max(latest.date for latest in given)
    if criterion_keys and reached == len(criterion_keys):
        return Status(Progress.REACHED, last, reached, len(criterion_keys))
    return Status(Progress.PRACTISING, last, reached, len(criterion_keys))


def criteria_by_leerfiche(leerfiches: Iterable[Leerfiche]) -> dict[str, list[str]]:
    """{leerfiche key: its criterion keys in order} (one query)."""
    found: dict[str, list[str]] = {}
    ids = {fiche.pk: fiche.key for fiche in leerfiches}
    for fiche_id, key in (
        Criterion.objects.filter(leerfiche_id__in=ids)
        .order_by("leerfiche_id", "order", "pk")
        .values_list("leerfiche_id", "key")
    ):
        found.setdefault(ids[fiche_id], []).append(key)
    return found


def leerfiche_statuses(
    *, traject_id: int, leerfiches: Iterable[Leerfiche], evaluators: Iterable[str]
) -> dict[tuple[str, str], Status]:
    """{(leerfiche key, evaluator): Status} for one traject (two queries)."""
    leerfiches = list(leerfiches)
    criteria = criteria_by_leerfiche(leerfiches)
    marks = latest_marks(traject_ids=[traject_id], leerfiche_keys=list(criteria))
    per: dict[tuple[str, str], dict[str, Latest]] = {}
    for (_traject, fiche, key, evaluator), latest in marks.items():
        per.setdefault((fiche, evaluator), {})[key] = latest
    return {
        (fiche.key, evaluator): status_of(
            criterion_keys=criteria.get(fiche.key, []), marks=per.get((fiche.key, evaluator), {})
        )
        for fiche in leerfiches
        for evaluator in evaluators
    }
