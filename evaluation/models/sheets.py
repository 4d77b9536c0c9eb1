"""Criterion evaluations: a session (one dated practice occasion of a leerfiche, a column of
appendix 2) and, per evaluator, their column on it — V/O per criterion, the behaviour list
Ja/Nee and the measurements.

A column (``Evaluation``) has one author and an optimistic ``version``: two people on one
sheet, or one person in two tabs, never overwrite each other silently. Once submitted, a
column is locked for everyone but its author, who may change it for
``settings.EVALUATION_EDIT_DAYS``; a change after that is a ``Correction`` (history kept).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning.models import Criterion, Leerfiche, LeerficheItem, PlaceKind
from partnerships.models import Traject


class Evaluator(models.TextChoices):
    """Who gives a rating; the short labels are the sheets' column heads (LL / M / LK / OC)."""

    SELF = "self", _("Student")
    MENTOR = "mentor", _("Mentor")
    TEACHER = "teacher", _("Teacher")
    TRAINING_CENTRE = "training_centre", _("Training centre")


EVALUATOR_SHORT: dict[str, str] = {
    Evaluator.SELF: "LL",
    Evaluator.MENTOR: "M",
    Evaluator.TEACHER: "LK",
    Evaluator.TRAINING_CENTRE: "OC",
}


class Mark(models.TextChoices):
    REACHED = "V", _("V (reached)")
    NOT_YET = "O", _("O (not yet reached)")


class Metal(models.TextChoices):
    STAAL = "staal", "Staal"
    RVS = "rvs", "RVS"
    ALU = "alu", "ALU"


class Session(models.Model):
    """One dated practice occasion of a leerfiche by a traject's student."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traject = models.ForeignKey(
        Traject, on_delete=models.CASCADE, related_name="evaluation_sessions"
    )
    leerfiche = models.ForeignKey(Leerfiche, on_delete=models.PROTECT, related_name="+")
    # Stable across set versions: progress follows a leerfiche through re-adoptions.
    leerfiche_key = models.SlugField(max_length=80)
    date = models.DateField(_("date"))
    place = models.CharField(
        _("place"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.COMPANY
    )
    omschrijving = models.CharField(_("description"), max_length=200, blank=True)
    werktijden = models.CharField(_("working hours"), max_length=50, blank=True)
    metal = models.CharField(_("metal"), max_length=10, choices=Metal.choices, blank=True)
    student_note = models.TextField(_("what I learned today"), blank=True)
    # Appendix 2's foot: sterke punten (werkpunten and afspraken are ``Werkpunt`` rows).
    sterke_punten = models.TextField(_("strong points"), blank=True)
    # Optimistic lock of the session's own fields (description, hours, metal, note …).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("practice session")
        verbose_name_plural = _("practice sessions")
        ordering = ["traject", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "leerfiche_key", "date"], name="session_one_per_day"
            ),
        ]
        indexes = [models.Index(fields=["traject", "date"], name="session_traject_date")]

    def __str__(self) -> str:
        return f"{self.leerfiche_key} {self.date}"


class Evaluation(models.Model):
    """One evaluator's column on a session: their marks, answers and measurements."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.CharField(_("evaluator"), max_length=20, choices=Evaluator.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    # Empty while autosaved and not yet handed in ("Bewaren" / "Klaar" submits).
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "evaluator"], name="evaluation_one_column_per_evaluator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.evaluator}"


class CriterionScore(models.Model):
    """V or O for one criterion, in one evaluator's column."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    criterion_key = models.SlugField(max_length=80)
    mark = models.CharField(_("mark"), max_length=1, choices=Mark.choices)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion_key"], name="score_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_key}: {self.mark}"


class ItemAnswer(models.Model):
    """An answer to a behaviour item (ja/nee) or a measurement ("4 mm") of appendix 2."""

    YES = "ja"
    NO = "nee"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(LeerficheItem, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("answer"), max_length=40)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="answer_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"


class Correction(models.Model):
    """A change to a submitted rating after the author's edit window: the history of it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    soft_skill_column = models.ForeignKey(
        "evaluation.SoftSkillColumn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
    )
    # What was corrected: a criterion key, "item:<pk>", or a soft skill key.
    subject = models.CharField(max_length=100)
    old_value = models.CharField(max_length=40, blank=True)
    new_value = models.CharField(max_length=40, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluation__isnull=False, soft_skill_column__isnull=True)
                | Q(evaluation__isnull=True, soft_skill_column__isnull=False),
                name="correction_one_sheet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.old_value} → {self.new_value}"
