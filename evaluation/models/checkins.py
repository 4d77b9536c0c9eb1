"""The mentor's weekly check-in: one per traject and week (Monday), its short behaviour check
and the werkpunt it may open. The week's V/O marks are the mentor's columns on the week's
sessions (``Evaluation``), so a criterion has one history whichever screen set it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.models.softskills import Rating
from partnerships.models import Traject


class WeeklyCheckin(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="weekly_checkins")
    week_start = models.DateField(_("week"))  # a Monday
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    # Set by "Klaar": the check-in counts as done for the mentor's home and the reminders.
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly check-in")
        verbose_name_plural = _("weekly check-ins")
        ordering = ["traject", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["traject", "week_start"], name="checkin_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.traject_id} – {self.week_start}"


class CheckinBehaviour(models.Model):
    """A rating of one ``evaluation.skills.WEEKLY_SKILLS`` item in a weekly check-in."""

    checkin = models.ForeignKey(WeeklyCheckin, on_delete=models.CASCADE, related_name="behaviour")
    skill_key = models.SlugField(max_length=60)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)

    class Meta:
        verbose_name = _("weekly behaviour rating")
        verbose_name_plural = _("weekly behaviour ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "skill_key"], name="checkinbehaviour_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill_key}: {self.rating}"
