"""Soft skills (appendix 3): one round per traject and evaluation period, a column per
evaluator (LL / M / LK) with a rating per item, the mentor's sterke punten and, per group,
the afspraken to improve the werkpunten. Items are ``evaluation.skills`` keys."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.models.sheets import Evaluator
from learning.models import Period
from partnerships.models import Traject


class Rating(models.TextChoices):
    NOT_YET = "not_yet", _("voldoet nog niet")
    MEETS = "meets", _("voldoet")
    ABOVE = "above", _("boven verwachting")


class SoftSkillRound(models.Model):
    """The soft-skill evaluation of one traject in one period (the appendix-3 sheet)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="soft_skill_rounds")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soft-skill evaluation")
        verbose_name_plural = _("soft-skill evaluations")
        constraints = [
            models.UniqueConstraint(fields=["traject", "period"], name="softskillround_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.traject_id} – {self.period}"


class SoftSkillColumn(models.Model):
    """One evaluator's column of a round (author, optimistic version, submission)."""

    round = models.ForeignKey(SoftSkillRound, on_delete=models.CASCADE, related_name="columns")
    evaluator = models.CharField(_("evaluator"), max_length=20, choices=Evaluator.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("soft-skill column")
        verbose_name_plural = _("soft-skill columns")
        constraints = [
            models.UniqueConstraint(fields=["round", "evaluator"], name="softskillcolumn_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.evaluator}"


class SoftSkillRating(models.Model):
    column = models.ForeignKey(SoftSkillColumn, on_delete=models.CASCADE, related_name="ratings")
    skill_key = models.SlugField(max_length=60)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    # The mentor marks the items the student excels at explicitly as sterke punten.
    strong = models.BooleanField(_("strong point"), default=False)

    class Meta:
        verbose_name = _("soft-skill rating")
        verbose_name_plural = _("soft-skill ratings")
        constraints = [
            models.UniqueConstraint(fields=["column", "skill_key"], name="softskillrating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_key}: {self.rating}"


class SoftSkillAgreement(models.Model):
    """ "Maak afspraken om werkpunten te verbeteren", at the end of each group."""

    round = models.ForeignKey(SoftSkillRound, on_delete=models.CASCADE, related_name="agreements")
    group_key = models.SlugField(max_length=60)
    text = models.TextField(_("afspraken"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("afspraken")
        verbose_name_plural = _("afspraken")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "group_key"], name="softskillagreement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.group_key}"
