"""Hand-built marks for the triangulation, progress and report tests: sessions and columns
through the sheet service (``evaluation.services.sheets``), soft-skill ratings as rows (their
entry screen is another part of the issue)."""

from __future__ import annotations

import datetime as dt

from evaluation.models import Evaluator, SoftSkillColumn, SoftSkillRating, SoftSkillRound
from evaluation.services import sheets
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
    """Soft-skill ratings {skill key: rating} of ``evaluator`` in ``period``."""
    round_, _ = SoftSkillRound.objects.get_or_create(traject=traject, period=period)
    column, _ = SoftSkillColumn.objects.get_or_create(
        round=round_, evaluator=evaluator, defaults={"author": demo_cast[WHO[evaluator]]}
    )
    for key, rating in ratings.items():
        SoftSkillRating.objects.update_or_create(
            column=column, skill_key=key, defaults={"rating": rating, "strong": key in strong}
        )
    return round_


def first_period(traject) -> Period:
    return periods_of(traject)[0]


def periods_of(traject) -> list[Period]:
    return list(
        Period.objects.filter(partnership_id=traject.partnership_id).order_by("order", "start_date")
    )
