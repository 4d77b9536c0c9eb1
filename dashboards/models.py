"""The dashboards' own tables: summaries of each traject, kept current by the receivers in
``dashboards.summaries`` (docs/decisions/0023-dashboard-summaries.md). Nothing here is a
source of truth: ``manage.py rebuild_dashboards`` recomputes every row from the domain's rows.

Only counts and dates: the students' names and texts stay in their own apps' tables."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.models import Period
from partnerships.models import SchoolClass, Traject


class TrajectSummary(models.Model):
    """One traject at a glance: its criteria, werkpunten, last evaluation and contract."""

    traject = models.OneToOneField(
        Traject, on_delete=models.CASCADE, primary_key=True, related_name="dashboard_summary"
    )
    # The last day with a handed-in column of a practice session or a finished check-in
    # (its Monday); None: never evaluated.
    last_evaluated_on = models.DateField(null=True, blank=True)
    # Over the leerfiches practised (sums of the ``LeerficheSummary`` rows).
    criteria_total = models.PositiveIntegerField(default=0)
    criteria_reached = models.PositiveIntegerField(default=0)
    criteria_not_yet = models.PositiveIntegerField(default=0)
    criteria_divergent = models.PositiveIntegerField(default=0)
    open_werkpunten = models.PositiveIntegerField(default=0)
    # The traject's current contract (the latest one not ended, else the latest one).
    contract_type = models.CharField(max_length=4, blank=True)
    contract_state = models.CharField(max_length=20, blank=True)
    contract_start = models.DateField(null=True, blank=True)
    checklist_done = models.PositiveIntegerField(default=0)
    checklist_total = models.PositiveIntegerField(default=0)
    checklist_blocking_open = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("traject summary")
        verbose_name_plural = _("traject summaries")

    def __str__(self) -> str:
        return f"summary of traject {self.traject_id}"


class LeerficheSummary(models.Model):
    """One leerfiche of one traject: its criteria and how many the team has on V / on O (the
    latest mark of the mentor, teacher or training centre), and on how many the latest marks
    of LL, M and LK diverge."""

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="+")
    leerfiche_key = models.SlugField(max_length=80)
    total = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    not_yet = models.PositiveIntegerField(default=0)
    divergent = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("leerfiche summary")
        verbose_name_plural = _("leerfiche summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "leerfiche_key"], name="leerfichesummary_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.traject_id} {self.leerfiche_key}"


class WeekSummary(models.Model):
    """One week (its Monday) of one traject: the days with a handed-in self-evaluation, with
    a teacher's column, and whether the mentor finished the weekly check-in."""

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    self_days = models.PositiveSmallIntegerField(default=0)
    teacher_days = models.PositiveSmallIntegerField(default=0)
    checkin_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("week summary")
        verbose_name_plural = _("week summaries")
        constraints = [
            models.UniqueConstraint(fields=["traject", "week_start"], name="weeksummary_unique"),
        ]
        indexes = [models.Index(fields=["week_start"], name="weeksummary_week")]

    def __str__(self) -> str:
        return f"{self.traject_id} {self.week_start}"


class PeriodSummary(models.Model):
    """The soft-skill round of one traject in one period: which columns are handed in."""

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="dashboard_summaries")
    self_done = models.BooleanField(default=False)
    mentor_done = models.BooleanField(default=False)
    teacher_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("soft-skill round summary")
        verbose_name_plural = _("soft-skill round summaries")
        constraints = [
            models.UniqueConstraint(fields=["traject", "period"], name="periodsummary_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.traject_id} {self.period_id}"


class ClassYear(models.Model):
    """A class in a school year: the subject of its klassenraad report (``dashboards.documents``;
    the PDF engine names a subject by a UUID). Made when the report is first asked for; no
    personal data (a class and a year)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("class in a school year")
        verbose_name_plural = _("classes in a school year")
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "school_year"], name="classyear_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} {self.school_year}-{self.school_year + 1}"
