"""Reads of the opdracht session sheet (``evaluation.views.sessions``): a session, its
evaluators' columns, the leerfiche's rows, the traject's other sessions of the same leerfiche
and the session's werkpunten. Each is one query (two with its prefetches)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypedDict

from evaluation.models import Evaluation, Session, Werkpunt
from learning.models import Criterion, ItemKind, Leerfiche, LeerficheItem
from partnerships.models import Traject

SHEET_ITEM_KINDS = (ItemKind.BEHAVIOUR, ItemKind.MEASUREMENT)


class SessionDate(TypedDict):
    public_id: uuid.UUID
    date: dt.date


def session_by_public_id(*, public_id: uuid.UUID) -> Session | None:
    """The session with its leerfiche and traject, or None; access is the caller's question."""
    return (
        Session.objects.select_related("leerfiche", "traject").filter(public_id=public_id).first()
    )


def session_current(*, session: Session) -> Session:
    """The session as it is in the database now (after someone else saved it)."""
    return Session.objects.get(pk=session.pk)


def session_evaluations(*, session: Session) -> dict[str, Evaluation]:
    """{evaluator: evaluation} of the session, with authors, scores and answers."""
    return {
        evaluation.evaluator: evaluation
        for evaluation in Evaluation.objects.filter(session=session)
        .select_related("author")
        .prefetch_related("scores", "answers")
    }


def session_column_evaluation(*, session: Session, evaluator: str) -> Evaluation | None:
    """One evaluator's column of the session, with its scores and answers (and their items)."""
    return (
        Evaluation.objects.filter(session=session, evaluator=evaluator)
        .prefetch_related("scores", "answers__item")
        .first()
    )


def sheet_items(*, leerfiche: Leerfiche) -> list[LeerficheItem]:
    """The leerfiche's behaviour list and measurements, in the sheet's order."""
    return list(
        LeerficheItem.objects.filter(leerfiche=leerfiche, kind__in=SHEET_ITEM_KINDS).order_by(
            "order", "pk"
        )
    )


def sheet_criteria(*, leerfiche: Leerfiche) -> list[Criterion]:
    """The leerfiche's criteria, in the sheet's order."""
    return list(Criterion.objects.filter(leerfiche=leerfiche).order_by("order", "pk"))


def criterion_keys(*, leerfiche: Leerfiche) -> list[str]:
    """The keys of the leerfiche's criteria (what a posted column may mark)."""
    return list(Criterion.objects.filter(leerfiche=leerfiche).values_list("key", flat=True))


def session_dates(*, traject: Traject, leerfiche_key: str) -> list[SessionDate]:
    """The traject's sessions of one leerfiche as {public_id, date}, oldest first (the
    appendix's date columns, to switch between them)."""
    return list(
        Session.objects.filter(traject=traject, leerfiche_key=leerfiche_key)
        .order_by("date")
        .values("public_id", "date")
    )


def leerfiche_sessions(*, traject: Traject, leerfiche_key: str) -> list[Session]:
    """The traject's sessions of one leerfiche, newest first, with their evaluations."""
    return list(
        Session.objects.filter(traject=traject, leerfiche_key=leerfiche_key)
        .order_by("-date")
        .prefetch_related("evaluations")
    )


def session_werkpunten(*, session: Session) -> list[Werkpunt]:
    """The werkpunten opened from this session, in the order they were opened."""
    return list(
        Werkpunt.objects.filter(session=session)
        .select_related("opened_by")
        .order_by("opened_on", "pk")
    )
