from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models.students import Student, StudentContact

_OPEN = Q(accepted_at__isnull=True, revoked_at__isnull=True)


class AccountInvitation(models.Model):
    """An invitation by e-mail to an account for a student (``contact`` empty) or for one of
    their parents or guardians. Students and parents get no membership of an organisation:
    their account only opens their own traject. The link is single use and expires."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="account_invitations"
    )
    contact = models.ForeignKey(
        StudentContact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="account_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Only a hash of the secret in the link is stored.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=_OPEN & Q(contact__isnull=True),
                name="account_invitation_one_open_per_student",
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=_OPEN & Q(contact__isnull=False),
                name="account_invitation_one_open_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_for_parent(self) -> bool:
        return self.contact_id is not None

    @property
    def invitee_name(self) -> str:
        return self.contact.full_name if self.contact_id else self.student.full_name

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"
