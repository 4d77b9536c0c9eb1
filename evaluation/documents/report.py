"""The evaluation report of a student (plug-in of the PDF engine, ``documents``): for each
evaluation period of the partnership (``learning.Period``) that has begun, the criteria per
leerfiche with the latest LL / M / LK (and OC) marks as they stood at the period's end (or
today), the soft skills rated in that period, and the werkpunten open during it.

**The period.** The engine keeps a document's subject in one of its scope columns and carries
no parameter (decision 0007); the traject is the subject here. Rather than widening the engine
for one kind, the report is *a report per period* inside one document: one section per period,
each starting on a new page, so the report of "trimester 1" stays the same once that trimester
is over and a later request adds the next periods.

Who may ask for it: the team of the traject (whoever sees it, but not the student or the
parents, who read the progress page); who may download it: the requester while they still see
the traject.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from evaluation.models import Werkpunt
from evaluation.selectors.progress import werkpunten_of
from evaluation.selectors.triangulation import (
    SkillPeriod,
    Triangulation,
    soft_skills,
    triangulation,
)
from learning.models import Period
from partnerships import permissions
from partnerships.models import Traject


@dataclass
class PeriodReport:
    period: Period
    until: dt.date
    ongoing: bool
    criteria: Triangulation
    skills: SkillPeriod | None
    werkpunten: list[Werkpunt]


def report_context(*, traject: Traject, today: dt.date) -> dict:
    """The report of every period of ``traject``'s partnership that began by ``today``."""
    skill_periods = soft_skills(traject_ids=[traject.pk], partnership_ids=[traject.partnership_id])[
        traject.pk
    ]
    werkpunten = list(werkpunten_of(traject_id=traject.pk))
    reports = []
    for skill_period in skill_periods:
        period = skill_period.period
        if period.start_date > today:
            continue
        until = min(period.end_date, today)
        reports.append(
            PeriodReport(
                period=period,
                until=until,
                ongoing=period.end_date > today,
                criteria=triangulation(traject_id=traject.pk, until=until),
                skills=skill_period if skill_period.rated else None,
                werkpunten=[
                    werkpunt
                    for werkpunt in werkpunten
                    if werkpunt.opened_on <= until
                    and (werkpunt.closed_on is None or werkpunt.closed_on >= period.start_date)
                ],
            )
        )
    return {
        "traject": traject,
        "student": traject.student,
        "partnership": traject.partnership,
        "reports": reports,
    }


@register_kind
class EvaluationReport(DocumentKind):
    """A student's evaluation report, one section per evaluation period."""

    code = "evaluation_report"
    slug = "evaluation-report"
    label = _("Evaluation report")
    template_name = "pdf/evaluation_report.html"
    subject_field = "traject"
    subject_related = ("student",)

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Traject:
        traject = permissions.get_traject_for_user(user=user, public_id=subject_id)
        if permissions.sees_traject_as_family(user=user, traject=traject):
            raise PermissionDenied
        return traject

    def subjects_visible_to(self, *, user: User) -> QuerySet[Traject]:
        return permissions.trajects_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Traject:
        return Traject.objects.select_related(
            "student", "student__school_class", "partnership", "partnership__school"
        ).get(pk=pk)

    def context(self, *, subject: Traject, viewer: User) -> dict:
        return report_context(traject=subject, today=timezone.localdate())

    def title(self, subject: Traject) -> str:
        return f"{_('Evaluation report')} – {subject.student.full_name}"

    def subject_path(self, subject: Traject) -> str:
        return reverse("evaluation:progress", args=[subject.public_id])

    def filename_stem(self, subject: Traject) -> str:
        return f"evaluatierapport-{subject.student.full_name}"
