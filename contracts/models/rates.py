"""The dated table of the leervergoeding (OAO): GGMMI amounts and percentages per category.

Admin-editable (``contracts/admin.py``). The brochure only says that an OAO carries a monthly
leervergoeding (3.4); the percentages and the GGMMI amount come from elsewhere (DOMAIN.md,
the government's pages), so every row says where its figure comes from (``source``) and rows
that nobody checked against an official source yet say so in ``source_note``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FigureSource(models.TextChoices):
    BROCHURE = "brochure", _("Brochure Stappenplan duaal leren")
    EXTERNAL = "external", _("Outside the brochure (to verify)")
    OFFICIAL = "official", _("Official source, verified")


class MinimumIncome(models.Model):
    """The GGMMI (gewaarborgd gemiddeld minimum maandinkomen) from a date on."""

    valid_from = models.DateField(_("valid from"), unique=True)
    monthly_amount = models.DecimalField(_("monthly amount (EUR)"), max_digits=8, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=20, choices=FigureSource.choices, default=FigureSource.EXTERNAL
    )
    source_note = models.CharField(_("where the figure comes from"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("GGMMI amount")
        verbose_name_plural = _("GGMMI amounts")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gt=0), name="minimum_income_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"GGMMI {self.monthly_amount} ({self.valid_from})"


class LeervergoedingRate(models.Model):
    """The percentage of the GGMMI an OAO pays per month, per category, from a date on."""

    category = models.PositiveSmallIntegerField(
        _("category"), choices=[(1, _("Category 1")), (2, _("Category 2")), (3, _("Category 3"))]
    )
    valid_from = models.DateField(_("valid from"))
    percentage = models.DecimalField(_("percentage of the GGMMI"), max_digits=5, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=20, choices=FigureSource.choices, default=FigureSource.EXTERNAL
    )
    source_note = models.CharField(_("where the figure comes from"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("leervergoeding rate")
        verbose_name_plural = _("leervergoeding rates")
        ordering = ["category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "valid_from"], name="leervergoeding_rate_unique"
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0, percentage__lte=100),
                name="leervergoeding_rate_percentage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.percentage} % ({self.valid_from})"


def monthly_leervergoeding(*, category: int, on: date) -> Decimal | None:
    """The monthly leervergoeding of ``category`` on ``on``: the GGMMI then times the
    category's percentage then, rounded to the cent; None when the table has no figure yet."""
    income = MinimumIncome.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    rate = (
        LeervergoedingRate.objects.filter(category=category, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
    if income is None or rate is None:
        return None
    amount = income.monthly_amount * rate.percentage / Decimal(100)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
