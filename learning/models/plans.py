"""The plans: periods, the opleidingsplan and its entries, bedrijfsfiches with photos.

These hang on a partnership, so this module may import ``partnerships``; the catalogue
(``learning.models.catalogue``) may not. Free-text fields are declared in
``partnerships/sharing.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from learning.models.catalogue import Leerfiche, SetVersion, VersionStatus
from organisations.models import Vestiging
from partnerships.models import Partnership, Traject


class Period(models.Model):
    """A period of the partnership's school year (trimesters by default).

    The opleidingsplan places a leerfiche in a week range of a period; the evaluation groups
    its reports by the same periods.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="periods")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["partnership", "order", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="period_dates_ordered"
            ),
            models.UniqueConstraint(fields=["partnership", "name"], name="period_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weeks(self) -> int:
        """Number of (started) weeks in the period: week 1 holds the start date."""
        first_monday = self.start_date.toordinal() - self.start_date.weekday()
        return (self.end_date.toordinal() - first_monday) // 7 + 1


class Opleidingsplan(models.Model):
    """Where and when each leerfiche of the adopted set version is learned.

    One per partnership (``traject`` empty); a traject may get its own copy, an override that
    is edited apart from the partnership's plan.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="opleidingsplannen"
    )
    traject = models.OneToOneField(
        Traject, on_delete=models.CASCADE, null=True, blank=True, related_name="opleidingsplan"
    )
    set_version = models.ForeignKey(
        SetVersion,
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"status": VersionStatus.PUBLISHED},
        verbose_name=_("leerfiche set version"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opleidingsplan")
        verbose_name_plural = _("opleidingsplannen")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(traject__isnull=True),
                name="opleidingsplan_one_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} – {self.set_version}"


class PlaceKind(models.TextChoices):
    SCHOOL = "school", _("School")
    COMPANY = "company", _("Company")
    TRAINING_CENTRE = "training_centre", _("Training centre")
    SIMULATED = "simulated", _("Simulated learning")


class PlanEntry(models.Model):
    """A leerfiche learned at a place in a week range of a period."""

    plan = models.ForeignKey(Opleidingsplan, on_delete=models.CASCADE, related_name="entries")
    leerfiche = models.ForeignKey(Leerfiche, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    place = models.CharField(_("place"), max_length=20, choices=PlaceKind.choices)
    # The company's vestiging when ``place`` is COMPANY, empty otherwise.
    vestiging = models.ForeignKey(
        Vestiging, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    week_from = models.PositiveSmallIntegerField(_("from week"), default=1)
    week_to = models.PositiveSmallIntegerField(_("to week"), default=1)

    class Meta:
        verbose_name = _("opleidingsplan entry")
        verbose_name_plural = _("opleidingsplan entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(place="company") & Q(vestiging__isnull=False))
                | (~Q(place="company") & Q(vestiging__isnull=True)),
                name="planentry_vestiging_iff_company",
            ),
            models.CheckConstraint(
                condition=Q(week_from__gte=1) & Q(week_to__gte=models.F("week_from")),
                name="planentry_weeks_ordered",
            ),
            models.UniqueConstraint(
                fields=["plan", "leerfiche", "period", "place"],
                condition=Q(vestiging__isnull=True),
                name="planentry_unique_place",
            ),
            models.UniqueConstraint(
                fields=["plan", "leerfiche", "period", "vestiging"],
                condition=Q(vestiging__isnull=False),
                name="planentry_unique_vestiging",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leerfiche} – {self.place} – {self.period}"


class PlanComment(models.Model):
    """A team member's comment on the opleidingsplan (C on design_plan); internal text."""

    plan = models.ForeignKey(Opleidingsplan, on_delete=models.CASCADE, related_name="comments")
    leerfiche_key = models.SlugField(max_length=80, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:50]


class Werkvorm(models.TextChoices):
    STAPPENPLAN = "stappenplan", _("Stappenplan")
    KIJKWIJZER = "kijkwijzer", _("Kijkwijzer")
    DEMONSTRATIE = "demonstratie", _("Demonstratie")
    MEELOPEN = "meelopen", _("Meelopen")


class Bedrijfsfiche(models.Model):
    """A company's translation of a leerfiche (brochure 6.5), for one vestiging, in versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="bedrijfsfiches"
    )
    vestiging = models.ForeignKey(Vestiging, on_delete=models.PROTECT, related_name="+")
    leerfiche_key = models.SlugField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bedrijfsfiche")
        verbose_name_plural = _("bedrijfsfiches")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "vestiging", "leerfiche_key"], name="bedrijfsfiche_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vestiging} – {self.leerfiche_key}"


class BedrijfsficheVersion(models.Model):
    """One version: leerdoelen and criteria come read-only from ``leerfiche``; the rest is the
    company's. Published versions are immutable; edits make a new draft."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bedrijfsfiche = models.ForeignKey(
        Bedrijfsfiche, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    leerfiche = models.ForeignKey(Leerfiche, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    timing = models.TextField(_("timing"), blank=True)
    materiaal = models.TextField(_("materiaal"), blank=True)
    instructies = models.TextField(_("instructies"), blank=True)
    veiligheid = models.TextField(_("veiligheid en PBM"), blank=True)
    werkvorm = models.CharField(
        _("werkvorm"), max_length=20, choices=Werkvorm.choices, default=Werkvorm.STAPPENPLAN
    )
    # One step or one kijkwijzer question per line.
    werkvorm_steps = models.TextField(_("stappen of kijkwijzer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bedrijfsfiche", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bedrijfsfiche", "number"], name="bedrijfsficheversion_unique"
            ),
            models.UniqueConstraint(
                fields=["bedrijfsfiche"],
                condition=Q(status="draft"),
                name="bedrijfsficheversion_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


def photo_path(instance: BedrijfsfichePhoto, filename: str) -> str:
    # Never the uploaded name: a random name under the private storage root.
    return f"bedrijfsfiches/{uuid.uuid4().hex}.jpg"


class BedrijfsfichePhoto(models.Model):
    """A photo of a bedrijfsfiche version: re-encoded, EXIF stripped, in private storage.

    A new version copies the rows (the file is shared, never rewritten).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        BedrijfsficheVersion, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name
