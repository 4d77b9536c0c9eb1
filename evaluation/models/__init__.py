"""Models of the evaluation domain (brochure chapter 7, appendices 2 and 3)."""

from evaluation.models.checkins import CheckinBehaviour, WeeklyCheckin
from evaluation.models.sheets import (
    EVALUATOR_SHORT,
    Correction,
    CriterionScore,
    Evaluation,
    Evaluator,
    ItemAnswer,
    Mark,
    Metal,
    Session,
)
from evaluation.models.softskills import (
    Rating,
    SoftSkillAgreement,
    SoftSkillColumn,
    SoftSkillRating,
    SoftSkillRound,
)
from evaluation.models.werkpunten import Outcome, Werkpunt

__all__ = [
    "EVALUATOR_SHORT",
    "CheckinBehaviour",
    "Correction",
    "CriterionScore",
    "Evaluation",
    "Evaluator",
    "ItemAnswer",
    "Mark",
    "Metal",
    "Outcome",
    "Rating",
    "Session",
    "SoftSkillAgreement",
    "SoftSkillColumn",
    "SoftSkillRating",
    "SoftSkillRound",
    "WeeklyCheckin",
    "Werkpunt",
]
