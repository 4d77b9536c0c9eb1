from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from organisations.identifiers import format_ondernemingsnummer, format_vestigingsnummer


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    COMPANY = "company", _("Company")
    TRAINING_CENTRE = "training_centre", _("Training centre")
    SECTOR_BODY = "sector_body", _("Sector body")


class Organisation(models.Model):
    """A tenant: a school, a company (leerbedrijf), a training centre or a sector body."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    # Schools: the instellingsnummer of the Flemish education department.
    instellingsnummer = models.CharField(_("institution number"), max_length=8, blank=True)
    # Companies (and other legal entities): the KBO ondernemingsnummer, stored as 10 digits.
    ondernemingsnummer = models.CharField(_("enterprise number"), max_length=10, blank=True)
    paritair_comite = models.CharField(
        _("joint committee (PC)"), max_length=10, blank=True, help_text=_("For example 111 or 200.")
    )
    email_domain = models.CharField(_("e-mail domain"), max_length=100, blank=True)
    # Companies: opted in to be found by schools they do not work with yet (the company
    # pickers and the partner search); otherwise only their own partners' schools list them.
    findable = models.BooleanField(
        _("findable for schools"),
        default=False,
        help_text=_(
            "Schools you do not work with yet can find your company and its establishments "
            "when they look for a company for a partnership."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "partnerships_organisation"
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.SCHOOL) | ~Q(instellingsnummer=""),
                name="organisation_school_has_instellingsnummer",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.COMPANY) | ~Q(ondernemingsnummer=""),
                name="organisation_company_has_ondernemingsnummer",
            ),
            models.CheckConstraint(
                condition=Q(ondernemingsnummer="") | Q(ondernemingsnummer__regex=r"^[01][0-9]{9}$"),
                name="organisation_ondernemingsnummer_format",
            ),
            models.UniqueConstraint(
                fields=["ondernemingsnummer"],
                condition=~Q(ondernemingsnummer=""),
                name="organisation_ondernemingsnummer_unique",
            ),
            models.UniqueConstraint(
                fields=["instellingsnummer"],
                condition=~Q(instellingsnummer=""),
                name="organisation_instellingsnummer_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ondernemingsnummer_display(self) -> str:
        return format_ondernemingsnummer(self.ondernemingsnummer)


class Membership(models.Model):
    """A user belongs to an organisation; admins manage the organisation's own data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField(_("administrator"), default=False)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "partnerships_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Vestiging(models.Model):
    """An establishment unit (vestigingseenheid) of a company, where students learn."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vestigingen"
    )
    vestigingsnummer = models.CharField(_("establishment number"), max_length=10)
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("municipality"), max_length=100, blank=True)

    class Meta:
        db_table = "partnerships_vestiging"
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["vestigingsnummer"], name="vestiging_number_unique"),
            models.CheckConstraint(
                condition=Q(vestigingsnummer__regex=r"^[2-8][0-9]{9}$"),
                name="vestiging_number_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    @property
    def vestigingsnummer_display(self) -> str:
        return format_vestigingsnummer(self.vestigingsnummer)
