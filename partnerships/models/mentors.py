from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MentorLoadRule(models.Model):
    """How many students one mentor may guide at the same time, per joint committee (sector).

    Without a rule for a company's PC, settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS applies
    (3, the technology industry's rule).
    """

    paritair_comite = models.CharField(_("joint committee (PC)"), max_length=10, unique=True)
    max_students = models.PositiveSmallIntegerField(_("maximum students per mentor"))

    class Meta:
        verbose_name = _("mentor load rule")
        verbose_name_plural = _("mentor load rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_students__gte=1), name="mentor_load_rule_positive"
            )
        ]

    def __str__(self) -> str:
        return f"PC {self.paritair_comite}: {self.max_students}"
