"""The team's overview of their students' evaluations (the leerkracht's class, the
trajectbegeleider's or coordinator's partnerships): one row per student the viewer sees, in a
fixed number of queries whatever the number of students, sessions or marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from evaluation.models import Evaluation, Evaluator, WeeklyCheckin, Werkpunt
from evaluation.selectors.triangulation import SkillPeriod, Triangulation, soft_skills, triangulate
from partnerships import permissions
from partnerships.models import StudentContact, Traject


@dataclass
class OverviewRow:
    traject: Traject
    triangulation: Triangulation
    skill_divergences: int
    open_werkpunten: int
    last_self: dt.date | None
    last_checkin: dt.datetime | None

    @property
    def leerfiches(self) -> int:
        return len(self.triangulation.leerfiches)

    @property
    def divergences(self) -> int:
        return self.triangulation.divergences + self.skill_divergences


def _latest_rated(periods: list[SkillPeriod]) -> SkillPeriod | None:
    rated = [period for period in periods if period.rated]
    return rated[-1] if rated else None


def team_overview(*, user: User) -> list[OverviewRow]:
    """The students ``user`` sees as a member of the team (not their own traject nor their
    children's), with their evaluation figures (ten queries)."""
    last_self = (
        Evaluation.objects.filter(session__traject_id=OuterRef("pk"), evaluator=Evaluator.SELF)
        .values("session__traject_id")
        .annotate(last=Max("session__date"))
        .values("last")
    )
    last_checkin = (
        WeeklyCheckin.objects.filter(traject_id=OuterRef("pk"), done_at__isnull=False)
        .values("traject_id")
        .annotate(last=Max("done_at"))
        .values("last")
    )
    open_werkpunten = (
        Werkpunt.objects.filter(traject_id=OuterRef("pk"), closed_on__isnull=True)
        .values("traject_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    trajects = list(
        permissions.trajects_visible_to(user=user)
        .exclude(student__user=user)
        .exclude(
            Exists(StudentContact.objects.filter(student_id=OuterRef("student_id"), user=user))
        )
        .select_related("student", "student__school_class", "partnership", "partnership__school")
        .annotate(
            last_self=Subquery(last_self),
            last_checkin=Subquery(last_checkin),
            open_werkpunten=Coalesce(Subquery(open_werkpunten, output_field=IntegerField()), 0),
        )
        .order_by(
            "partnership__name", "partnership_id", "student__last_name", "student__first_name", "pk"
        )
    )
    ids = [traject.pk for traject in trajects]
    tri = triangulate(traject_ids=ids)
    skills = soft_skills(
        traject_ids=ids, partnership_ids=[traject.partnership_id for traject in trajects]
    )
    rows = []
    for traject in trajects:
        latest = _latest_rated(skills[traject.pk])
        rows.append(
            OverviewRow(
                traject=traject,
                triangulation=tri[traject.pk],
                skill_divergences=latest.divergences if latest else 0,
                open_werkpunten=traject.open_werkpunten,
                last_self=traject.last_self,
                last_checkin=traject.last_checkin,
            )
        )
    return rows
