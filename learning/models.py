from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    OAO = "OAO", _("OAO (overeenkomst alternerende opleiding)")
    SOAO = "SOAO", _("SOAO (stageovereenkomst alternerende opleiding)")


class Opleiding(models.Model):
    """A duale opleiding: reference data (DOMAIN.md, brochure 3.6); enriched by later issues."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=100, blank=True)
    workplace_hours_per_week = models.PositiveSmallIntegerField(_("workplace hours per week"))
    contract_type = models.CharField(_("contract type"), max_length=4, choices=ContractType.choices)
    learning_network = models.CharField(_("learning network"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")
        ordering = ["name"]
        constraints = [
            # OAO from 20 hours a week at the workplace, SOAO below (DOMAIN.md "Contracts").
            models.CheckConstraint(
                condition=(Q(workplace_hours_per_week__gte=20, contract_type="OAO"))
                | Q(workplace_hours_per_week__lt=20, contract_type="SOAO"),
                name="opleiding_contract_type_matches_hours",
            ),
        ]

    def __str__(self) -> str:
        return self.name
