"""Hand-built marks for the triangulation, progress and report tests: sessions and columns
through the sheet service (``evaluation.services.sheets``), soft-skill ratings through the
soft-skill service (``evaluation.services.softskills``)."""

from __future__ import annotations

import datetime as dt

from evaluation.models import Evaluator, SoftSkillColumn
from evaluation.services import sheets, softskills
from learning.models import Period
from tests.evaluation.support import as_seen_by, leerfiche

TODAY = dt.date(2026, 11, 26)
FICHE = "geintegreerde-lasopdracht"
STUDENT = "leerling1@sintjozef.demo"
MENTOR = "mentor@vandenberghe.demo"
TEACHER = "lk@sintjozef.demo"
WHO = {Evaluator.SELF: STUDENT, Evaluator.MENTOR: MENTOR, Evaluator.TEACHER: TEACHER}


def criterion_keys(traject, key=FICHE) -> list[str]:
    fiche = leerfiche(traject, key)
    return list(fiche.criteria.order_by("order", "pk").values_list("key", flat=True))


def mark(demo_cast, traject, evaluator, marks, *, on=TODAY, key=FICHE, who=None, note=""):
    """``who`` (default: LL / M / LK of Lotte) gives ``marks`` in column ``evaluator`` on the
    session of ``key`` on ``on``; returns the session."""
    actor = demo_cast[who or WHO[evaluator]]
    seen = as_seen_by(actor, traject)
    session = sheets.open_session(
        actor=actor,
        traject=seen,
        leerfiche=leerfiche(traject, key),
        on=on,
        today=max(TODAY, on),
    )
    current = session.evaluations.filter(evaluator=evaluator).first()
    sheets.rate(
        actor=actor,
        traject=seen,
        session=session,
        evaluator=evaluator,
        marks=marks,
        version=current.version if current else 0,
    )
    if note:
        session.student_note = note
        session.save(update_fields=["student_note"])
    return session


def rate_skills(demo_cast, traject, period: Period, evaluator, ratings, *, strong=()):
    """Soft-skill ratings {skill key: rating} of ``evaluator`` in ``period`` (through the
    soft-skill service)."""
    actor = demo_cast[WHO[evaluator]]
    seen = as_seen_by(actor, traject)
    round_ = softskills.open_round(actor=actor, traject=seen, period=period)
    current = SoftSkillColumn.objects.filter(round=round_, evaluator=evaluator).first()
    softskills.rate_soft_skills(
        actor=actor,
        traject=seen,
        round=round_,
        evaluator=evaluator,
        ratings=ratings,
        strong=dict.fromkeys(strong, True),
        version=current.version if current else 0,
    )
    return round_


def first_period(traject) -> Period:
    return periods_of(traject)[0]


def periods_of(traject) -> list[Period]:
    return list(
        Period.objects.filter(partnership_id=traject.partnership_id).order_by("order", "start_date")
    )
