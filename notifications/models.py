"""Reminders, in-app notifications, daily digests and each person's notification preferences.

A reminder is a database row with a unique key (rule, subject, recipient, due date, lead); the
sweeper claims due rows and a mail task sends each one once (docs/decisions/0004-reminder-rows.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    """The life of a reminder row or a digest row: pending -> sending -> sent / failed."""

    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DIGEST = "digest", _("In the daily digest")
    SKIPPED = "skipped", _("Not e-mailed (opted out)")
    CANCELLED = "cancelled", _("No longer applies")
    FAILED = "failed", _("Failed")


class Reminder(models.Model):
    """One reminder of one rule about one subject for one recipient, for a due date and lead."""

    rule = models.CharField(_("rule"), max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    due_date = models.DateField(_("due date"))
    lead_days = models.PositiveSmallIntegerField(_("days before the due date"))
    send_on = models.DateField(_("send on"))
    # The scope of the coordinator's overview; a reminder about a student's placement also
    # names the traject, so only people who may see the student see the row.
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    traject = models.ForeignKey(
        "partnerships.Traject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-send_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id", "recipient", "due_date", "lead_days"],
                name="reminder_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="reminder_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING)
                | Q(claim_token__isnull=False, lease_until__isnull=False),
                name="reminder_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_on"], name="reminder_due_idx"),
            models.Index(fields=["status", "lease_until"], name="reminder_lease_idx"),
            models.Index(fields=["rule", "due_date"], name="reminder_rule_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} #{self.subject_id} → {self.recipient_id} ({self.due_date}, -{self.lead_days}d)"

    @property
    def message_id_header(self) -> str:
        """Deterministic: a re-send of the same row carries the same Message-ID."""
        return f"<reminder-{self.pk}-{self.due_date:%Y%m%d}@duaal>"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail for each notification")
    DIGEST = "digest", _("One e-mail a day with everything new (daily digest)")


class NotificationPreference(models.Model):
    """Opt-out per kind (everything is on until switched off) and immediate or daily mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        _("e-mail delivery"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    muted_kinds = models.JSONField(_("kinds without e-mail"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notification_delivery_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.delivery})"


class Digest(models.Model):
    """The daily digest of one person for one day: at most one, claimed like a reminder."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_one_per_day"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="digest_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING)
                | Q(claim_token__isnull=False, lease_until__isnull=False),
                name="digest_sending_is_claimed",
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_until"], name="digest_lease_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"

    @property
    def message_id_header(self) -> str:
        return f"<digest-{self.user_id}-{self.day:%Y%m%d}@duaal>"


class EmailState(models.TextChoices):
    NONE = "none", _("In the app only")
    SENT = "sent", _("E-mailed")
    DIGEST = "digest", _("Waiting for the daily digest")
    DIGESTED = "digested", _("E-mailed in the daily digest")
    FAILED = "failed", _("E-mail failed")


class Notification(models.Model):
    """An entry in a person's in-app list; a reminder creates exactly one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    reminder = models.OneToOneField(
        Reminder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification",
    )
    email_state = models.CharField(
        max_length=20, choices=EmailState.choices, default=EmailState.NONE
    )
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["user", "-created_at"], name="notification_list_idx"),
            models.Index(fields=["email_state", "digest"], name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
