"""PDF kind ``soft_skills``: the soft-skill sheets of one traject in the appendix-3 layout.

Per evaluation period a sheet: per group a table with the columns VOLDOET NOG NIET / VOLDOET /
BOVEN VERWACHTING, each split LL M LK, a mark in the cells rated, the mentor's sterke punten,
the werkpunten, the afspraken under each group and the note of the * item.

The PDF engine names a document by one subject (decision 0007: partnership, traject or
leerfiche) and no parameter, so the subject is the traject and the document holds every
period that has begun (a period without ratings prints as the empty sheet to fill in on
paper): the school year so far, one sheet per period. Who may ask for it is who sees the
traject (the team, the student, the parents); everyone else 404.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from evaluation.models import EVALUATOR_SHORT
from evaluation.selectors import softskills as selectors
from evaluation.skills import ABOVE_BASIC_NOTE, AGREEMENTS_LINE, SHEET_RATINGS
from partnerships import permissions
from partnerships.models import Traject


def softskills_context(*, traject: Traject) -> dict:
    """The sheets of every period of the traject's partnership that has begun."""
    today = timezone.localdate()
    periods = [p for p in selectors.periods_of(traject) if p.start_date <= today]
    if not periods:
        current = selectors.current_period(selectors.periods_of(traject), today)
        periods = [current] if current is not None else []
    shorts = [EVALUATOR_SHORT[e] for e in selectors.SHEET_COLUMNS]
    sheets = []
    for period in periods:
        found = selectors.sheet(traject=traject, period=period)
        for block in found.groups:
            for item in block.items:
                # One cell per rating × evaluator, in the printed order.
                item.grid = [
                    item.ratings.get(evaluator) == value
                    for value, _label in SHEET_RATINGS
                    for evaluator in selectors.SHEET_COLUMNS
                ]
        sheets.append(found)
    return {
        "traject": traject,
        "student": traject.student,
        "partnership": traject.partnership,
        "sheets": sheets,
        "rating_columns": SHEET_RATINGS,
        "evaluators": shorts,
        "agreements_line": AGREEMENTS_LINE,
        "above_basic_note": ABOVE_BASIC_NOTE,
    }


@register_kind
class SoftSkillSheets(DocumentKind):
    """The appendix-3 sheets of a traject, for whoever sees the traject."""

    code = "soft_skills"
    slug = "soft-skills"
    label = _("Soft-skill sheets")
    template_name = "pdf/softskills.html"
    subject_field = "traject"
    subject_related = ("student",)

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Traject:
        return permissions.get_traject_for_user(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Traject]:
        return permissions.trajects_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Traject:
        return Traject.objects.select_related("student", "partnership").get(pk=pk)

    def context(self, *, subject: Traject, viewer: User) -> dict:
        return softskills_context(traject=subject)

    def title(self, subject: Traject) -> str:
        return f"{_('Soft skills')} – {subject.student.full_name}"

    def subject_path(self, subject: Traject) -> str:
        return reverse("evaluation:softskills", args=[subject.public_id])

    def filename_stem(self, subject: Traject) -> str:
        return f"soft-skills-{subject.student.full_name}"
