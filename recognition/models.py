"""The recognition (erkenning) of a leerbedrijf and the profile of its mentors.

Brochure 3.2, 3.3, 6.2–6.4 and DOMAIN.md "Recognition". One ``Recognition`` is one request of a
company vestiging for one opleiding, from concept to its decision and after; ``RoutingRule``
says which sector body handles it (by the company's paritair comité); ``WorkplaceVisit`` is the
visit with its checklist; ``MentorProfile`` holds what the eligibility rules read. This app sits
below ``partnerships``: it knows companies, vestigingen, opleidingen and mentors, never trajects.
The rules are in ``recognition.selectors``, the changes in ``recognition.services``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from learning.models import Opleiding
from organisations.models import Organisation, Vestiging

DECISION_DAYS = 14  # a decision within 14 days of a complete request
APPEAL_DAYS = 10  # an appeal within 10 days of a refusal
VALID_YEARS = 5  # a recognition is valid 5 years from the decision
TRAINING_DUE_YEARS = 1  # the mentor training within 1 year after the recognition
EXTRACT_MAX_AGE_DAYS = 365  # the extract issued at most one year before the request
REASON_MAX_LENGTH = 2000


def recognition_upload_to(instance: models.Model, filename: str) -> str:
    """Private storage (the default storage is never under a URL, see ``documents``)."""
    return f"recognition/{uuid.uuid4().hex}/{filename[-100:]}"


class RoutingRule(models.Model):
    """Which sector body handles the requests of companies of a paritair comité.

    The row with an empty ``paritair_comite`` is the default (the Vlaams Partnerschap Duaal
    Leren). ``sector_body`` names the organisation; without it, the sector body whose name is
    ``body_name`` handles the request (the seed rows of the data migration name them so).
    """

    paritair_comite = models.CharField(
        _("joint committee (PC)"),
        max_length=10,
        unique=True,
        blank=True,
        help_text=_("Leave empty for the rule that applies to every other joint committee."),
    )
    body_name = models.CharField(_("sector body"), max_length=200)
    sector_body = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "sector_body"},
    )

    class Meta:
        verbose_name = _("recognition routing rule")
        verbose_name_plural = _("recognition routing rules")
        ordering = ["paritair_comite"]

    def __str__(self) -> str:
        return f"PC {self.paritair_comite or '*'} → {self.body_name}"


class RecognitionStatus(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    COMPLETE = "complete", _("Complete")
    VISIT_PLANNED = "visit_planned", _("Workplace visit planned")
    RECOGNISED = "recognised", _("Recognised")
    REFUSED = "refused", _("Refused")
    APPEAL = "appeal", _("Appeal")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The states in which the mentors a request or recognition names may change
# (``services.recognition_set_mentors``; the company's screens offer the change only then).
MENTORS_EDITABLE = (
    RecognitionStatus.CONCEPT,
    RecognitionStatus.SUBMITTED,
    RecognitionStatus.COMPLETE,
    RecognitionStatus.VISIT_PLANNED,
    RecognitionStatus.RECOGNISED,
)

# A request still on its way to a decision: one at a time per vestiging × opleiding.
PENDING_STATUSES = (
    RecognitionStatus.CONCEPT,
    RecognitionStatus.SUBMITTED,
    RecognitionStatus.COMPLETE,
    RecognitionStatus.VISIT_PLANNED,
    RecognitionStatus.APPEAL,
)


# The uploads of a request filed by a school, by the slug of their download URL
# (``recognition:company_request_file``): the machtiging and the verklaring op eer.
REQUEST_FILE_SLUGS = {"machtiging": "mandate", "verklaring-op-eer": "sworn_statement"}


class Recognition(models.Model):
    """The erkenning (request) of a company vestiging for one opleiding."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="recognitions")
    vestiging = models.ForeignKey(Vestiging, on_delete=models.PROTECT, related_name="recognitions")
    opleiding = models.ForeignKey(Opleiding, on_delete=models.PROTECT, related_name="+")
    # As given in the request (KBO numbers, 10 digits; checked by organisations.identifiers).
    ondernemingsnummer = models.CharField(_("enterprise number"), max_length=10)
    vestigingsnummer = models.CharField(_("establishment number"), max_length=10)
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="recognitions", blank=True, verbose_name=_("mentors")
    )
    # Filed by a school for the company: the mandate (machtiging) and the sworn statement
    # (verklaring op eer) are uploads in private storage.
    filed_by_school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions_filed",
        verbose_name=_("filed by school"),
    )
    mandate = models.FileField(
        _("mandate (machtiging)"), upload_to=recognition_upload_to, max_length=200, blank=True
    )
    sworn_statement = models.FileField(
        _("sworn statement (verklaring op eer)"),
        upload_to=recognition_upload_to,
        max_length=200,
        blank=True,
    )
    sector_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions_handled",
        verbose_name=_("sector body"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.CONCEPT,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    complete_on = models.DateField(_("complete on"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    refusal_reason = models.TextField(
        _("reason for the refusal"), blank=True, validators=[no_control_characters]
    )
    appealed_on = models.DateField(_("appealed on"), null=True, blank=True)
    appeal_reason = models.TextField(
        _("reason for the appeal"), blank=True, validators=[no_control_characters]
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True, validators=[no_control_characters])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecognitionStatus.values), name="recognition_status_valid"
            ),
            models.UniqueConstraint(
                fields=["vestiging", "opleiding"],
                condition=Q(status__in=PENDING_STATUSES),
                name="recognition_one_pending_request",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecognitionStatus.RECOGNISED)
                | (Q(decided_on__isnull=False) & Q(valid_until__isnull=False)),
                name="recognition_recognised_has_period",
            ),
        ]
        indexes = [models.Index(fields=["vestiging", "opleiding", "status"])]

    def __str__(self) -> str:
        return f"{self.vestiging} – {self.opleiding}"


class VisitResult(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class WorkplaceVisit(models.Model):
    """The werkplekbezoek of a request, with its checklist (brochure 3.2).

    The general checks are fields; what the vestiging can offer of the opleiding's leerfiches
    is recorded per leerfiche (``VisitActivity``) and written to the learning activiteitenlijst
    when the visit is recorded.
    """

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="visits")
    planned_on = models.DateField(_("planned on"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("visitor"),
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    training_plan_and_equipment_ok = models.BooleanField(
        _("organisation and equipment allow the training plan"), null=True, blank=True
    )
    mentor_role_ok = models.BooleanField(
        _("mentor role and training in order"), null=True, blank=True
    )
    social_obligations_ok = models.BooleanField(_("social obligations met"), null=True, blank=True)
    contract_type_ok = models.BooleanField(_("OAO or SOAO possible"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=VisitResult.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[no_control_characters])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workplace visit")
        verbose_name_plural = _("workplace visits")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.recognition} @ {self.planned_on}"


class VisitActivity(models.Model):
    """One line of the visit's activiteitenlijst checklist: a leerfiche and what is offered."""

    visit = models.ForeignKey(WorkplaceVisit, on_delete=models.CASCADE, related_name="activities")
    leerfiche_key = models.SlugField(max_length=80)
    offer = models.CharField(_("can offer"), max_length=10)  # learning's Offer values
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "leerfiche_key"], name="visit_activity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.leerfiche_key}: {self.offer}"


class ExtractStatus(models.TextChoices):
    CLEAN = "clean", _("Checked, nothing standing in the way")
    NOT_CLEAN = "not_clean", _("Checked, stands in the way")


class MentorProfile(models.Model):
    """What the mentor rules read (DOMAIN.md "Recognition"): never the extract itself.

    The uittreksel uit het strafregister is shown to someone who checks it; only the check is
    stored (status, issue date, who checked it and when).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    prior_education_proof = models.FileField(
        _("proof of prior education in the profession"),
        upload_to=recognition_upload_to,
        max_length=200,
        blank=True,
    )
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    experience_exemption_proof = models.FileField(
        _("proof for an exemption of the experience"),
        upload_to=recognition_upload_to,
        max_length=200,
        blank=True,
    )
    extract_status = models.CharField(
        _("criminal record extract"), max_length=10, choices=ExtractStatus.choices, blank=True
    )
    extract_issued_on = models.DateField(_("extract issued on"), null=True, blank=True)
    extract_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extract checked by"),
    )
    extract_checked_on = models.DateField(_("extract checked on"), null=True, blank=True)
    introduction_session_on = models.DateField(
        _("introduction session (half a day)"), null=True, blank=True
    )
    deepening_session_on = models.DateField(_("deepening session (one day)"), null=True, blank=True)
    training_certificate = models.FileField(
        _("mentor training certificate"),
        upload_to=recognition_upload_to,
        max_length=200,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def training_completed_on(self) -> date | None:
        """The day both sessions were followed (the certificate's day), or None."""
        if self.introduction_session_on and self.deepening_session_on:
            return max(self.introduction_session_on, self.deepening_session_on)
        return None


# --- The school's side (issue 12 items 6 and 7): partner search and programmatie ---------------


class CompanyInterest(models.Model):
    """An opleiding a company marked as one it would like to train students for.

    With ``Organisation.findable`` (the company's opt-in, the same one the company pickers
    read) a school finds the company's establishments for that opleiding in the partner search
    even before it is recognised for it. Without the opt-in nothing here is shown to anyone.
    """

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opleiding_interests"
    )
    opleiding = models.ForeignKey(Opleiding, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opleiding of interest to a company")
        verbose_name_plural = _("opleidingen of interest to companies")
        constraints = [
            models.UniqueConstraint(fields=["company", "opleiding"], name="company_interest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.opleiding}"


class ProgrammatieStatus(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    STARTED = "started", _("Started")
    LAPSED = "lapsed", _("Lapsed")


# A request that still counts: one at a time per school × opleiding × school year.
OPEN_PROGRAMMATIE_STATUSES = (
    ProgrammatieStatus.CONCEPT,
    ProgrammatieStatus.SUBMITTED,
    ProgrammatieStatus.APPROVED,
    ProgrammatieStatus.STARTED,
)
PROGRAMMATIE_SUBMIT_BY = (11, 30)  # 30 November of the previous school year
PROGRAMMATIE_ANSWER_MONTHS = 4  # the answer within 4 months of the request
PROGRAMMATIE_FIRST_STUDENT_BY = (10, 1)  # at least one student by 1 October


class Programmatie(models.Model):
    """A school's request to programme a duale opleiding in a school year (brochure: by 30
    November of the previous school year; the answer within 4 months; at least one student by
    1 October, or the programmatie lapses).

    ``school_year`` is the calendar year in which the school year starts (2027 = 2027–2028).
    The deadlines are derived from it (``recognition.programmatie``); the dates of each step
    are stored.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmaties")
    opleiding = models.ForeignKey(
        Opleiding, on_delete=models.PROTECT, related_name="+", verbose_name=_("opleiding")
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgrammatieStatus.choices,
        default=ProgrammatieStatus.CONCEPT,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    answer_due = models.DateField(_("answer expected by"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    refusal_reason = models.TextField(
        _("reason for the refusal"), blank=True, validators=[no_control_characters]
    )
    started_on = models.DateField(_("first student on"), null=True, blank=True)
    ended_on = models.DateField(_("lapsed on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True, validators=[no_control_characters])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programmatie request")
        verbose_name_plural = _("programmatie requests")
        ordering = ["-school_year", "opleiding__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProgrammatieStatus.values),
                name="programmatie_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(school_year__gte=2000) & Q(school_year__lte=2100),
                name="programmatie_school_year_range",
            ),
            models.UniqueConstraint(
                fields=["school", "opleiding", "school_year"],
                condition=Q(status__in=OPEN_PROGRAMMATIE_STATUSES),
                name="programmatie_one_open_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "school_year"])]

    def __str__(self) -> str:
        return f"{self.school} – {self.opleiding} ({self.school_year_label})"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}"
