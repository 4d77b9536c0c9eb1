"""Werkpunten: what the student works on, with a concrete example and an afspraak. Opened from
a practice session (appendix 2's foot), a weekly check-in or a soft-skill rating "voldoet nog
niet" (appendix 3); open ones come back at the next evaluation until closed with an outcome."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.models.checkins import WeeklyCheckin
from evaluation.models.sheets import Session
from evaluation.models.softskills import SoftSkillRound
from partnerships.models import Traject


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    DROPPED = "dropped", _("No longer relevant")


class Werkpunt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="werkpunten")
    # Where it was opened (at most one).
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="werkpunten"
    )
    checkin = models.ForeignKey(
        WeeklyCheckin, on_delete=models.SET_NULL, null=True, blank=True, related_name="werkpunten"
    )
    soft_skill_round = models.ForeignKey(
        SoftSkillRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="werkpunten"
    )
    # What it is about: a soft skill key or a leerfiche key (either may be empty).
    skill_key = models.SlugField(max_length=60, blank=True)
    leerfiche_key = models.SlugField(max_length=80, blank=True)
    text = models.CharField(_("werkpunt"), max_length=300)
    example = models.TextField(_("concrete example"), blank=True)
    afspraak = models.TextField(_("afspraak"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("werkpunt")
        verbose_name_plural = _("werkpunten")
        ordering = ["traject", "opened_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, outcome="")
                | Q(closed_on__isnull=False) & ~Q(outcome=""),
                name="werkpunt_closed_with_outcome",
            ),
        ]
        indexes = [
            models.Index(
                fields=["traject"], condition=Q(closed_on__isnull=True), name="werkpunt_open"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
