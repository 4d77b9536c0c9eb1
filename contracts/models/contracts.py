"""The contract of a traject with one company, its parties and their signatures.

One contract per traject × company: a rotation over two companies has two. The type (OAO /
SOAO) is derived from the student's hours at that company (``contracts.hours``); the figures it
was derived from are kept on the contract. State changes go through ``contracts.services``,
which write the audit trail and raise ``version`` (optimistic locking: a screen posts the
version it showed, a stale one is refused).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from learning.models import ContractType
from organisations.models import Organisation, Vestiging
from partnerships.models import StudentContact, Traject

REASON_MAX_LENGTH = 2000


class ContractState(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    TO_SIGN = "to_sign", _("Out for signing")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered")
    RUNNING = "running", _("Running")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")
    ENDED_EARLY = "ended_early", _("Ended early")


# A change to the content is allowed only in these states (later: an addendum, not an edit).
SIGNING_STATES = frozenset({ContractState.CONCEPT, ContractState.TO_SIGN, ContractState.SIGNED})
ENDED_STATES = frozenset({ContractState.ENDED, ContractState.ENDED_EARLY})
# Registered with the government's loket: registered and everything after it.
REGISTERED_STATES = frozenset(
    {ContractState.REGISTERED, ContractState.RUNNING, ContractState.SUSPENDED, *ENDED_STATES}
)


class Contract(models.Model):
    """The OAO or SOAO of one traject with one company (brochure 3.4)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="contracts")
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("company"),
    )
    vestiging = models.ForeignKey(
        Vestiging,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("establishment"),
    )
    contract_type = models.CharField(_("contract type"), max_length=4, choices=ContractType.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ContractState.choices, default=ContractState.CONCEPT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # The hours the type was derived from (``contracts.hours.ContractHours``): the average, and
    # per placement its period and weekly hours.
    workplace_hours_per_week = models.DecimalField(
        _("average workplace hours per week"), max_digits=4, decimal_places=1
    )
    hours_basis = models.JSONField(_("hours the type was derived from"), default=list, blank=True)
    leervergoeding_category = models.PositiveSmallIntegerField(
        _("leervergoeding category"),
        null=True,
        blank=True,
        choices=[(1, _("Category 1")), (2, _("Category 2")), (3, _("Category 3"))],
        help_text=_("OAO only: the category that sets the percentage of the GGMMI."),
    )
    registration_reference = models.CharField(
        _("registration reference"),
        max_length=60,
        blank=True,
        validators=[no_control_characters],
        help_text=_("The reference number of the registration on the Werkplek duaal loket."),
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    taken_over = models.BooleanField(
        _("taken over"),
        default=False,
        help_text=_("Signed and registered before Duaal kept contracts (no signatures here)."),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "company"], name="contract_unique_per_traject_company"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="contract_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(workplace_hours_per_week__gte=0, workplace_hours_per_week__lte=60),
                name="contract_hours_range",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["ended", "ended_early"])
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="contract_end_needs_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state=ContractState.SUSPENDED)
                | (Q(suspended_on__isnull=False) & ~Q(suspension_reason="")),
                name="contract_suspension_needs_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(
                    state__in=["registered", "running", "suspended", "ended", "ended_early"]
                )
                | ~Q(registration_reference="")
                | Q(taken_over=True),
                name="contract_registration_needs_reference",
            ),
            models.CheckConstraint(
                condition=Q(contract_type=ContractType.OAO) | Q(leervergoeding_category=None),
                name="contract_leervergoeding_only_oao",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_contract_type_display()} – {self.company}"

    @property
    def is_editable(self) -> bool:
        return self.state in SIGNING_STATES


class PartyRole(models.TextChoices):
    COMPANY = "company", _("Training company")
    SCHOOL = "school", _("School")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent or guardian")


class ContractParty(models.Model):
    """Who signs: the company, the school, the student and — for a student who is a minor on
    the contract's start date — each parent or guardian (``StudentContact``)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("party"), max_length=20, choices=PartyRole.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        StudentContact, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The name as the contract shows it (the organisation's, the student's, the parent's).
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    required = models.BooleanField(_("must sign"), default=True)

    class Meta:
        verbose_name = _("contract party")
        verbose_name_plural = _("contract parties")
        ordering = ["contract", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "role"],
                condition=~Q(role="parent"),
                name="contract_party_once_per_role",
            ),
            models.UniqueConstraint(
                fields=["contract", "contact"],
                condition=Q(role="parent"),
                name="contract_party_parent_once",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=["company", "school"]) & Q(organisation__isnull=False))
                | (Q(role="parent") & Q(contact__isnull=False))
                | Q(role="student"),
                name="contract_party_kind_fits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class SignatureMethod(models.TextChoices):
    ONLINE = "online", _("Signed in Duaal")
    TAKEN_OVER = "taken_over", _("Signed on paper (taken over)")


sha256_hex = RegexValidator(r"^[0-9a-f]{64}$", _("Not a SHA-256 hash."))


class Signature(models.Model):
    """A party's signature: who, the typed full name, when, from where, and the SHA-256 of the
    exact contract PDF shown. A change to the contract voids every signature (``voided_at``,
    ``void_reason``); voided rows stay as evidence."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatures")
    party = models.ForeignKey(ContractParty, on_delete=models.CASCADE, related_name="signatures")
    method = models.CharField(
        _("method"), max_length=20, choices=SignatureMethod.choices, default=SignatureMethod.ONLINE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contract_signatures",
    )
    typed_name = models.CharField(
        _("full name as typed"), max_length=200, validators=[no_control_characters]
    )
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the contract PDF"), max_length=64, blank=True, validators=[sha256_hex]
    )
    contract_version = models.PositiveIntegerField(_("contract version signed"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("why the signature no longer counts"), blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party"],
                condition=Q(voided_at__isnull=True),
                name="signature_one_valid_per_party",
            ),
            models.CheckConstraint(
                condition=Q(method="taken_over") | ~Q(pdf_sha256=""),
                name="signature_online_has_pdf_hash",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="signature_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} ({self.party})"

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None
