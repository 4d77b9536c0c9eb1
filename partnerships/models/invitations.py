"""What every invitation by e-mail has in common, whatever it invites to.

Two kinds share this base: ``Invitation`` (into a role of a partnership's team) and
``AccountInvitation`` (an account for a student or one of their parents). Each keeps its own
table; the link (``services/links.py``), the mail (``services/invitation_mail.py``) and the
public accept page (``views/invitations.py``) work on this base and ask the kind only what
differs.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationKind(models.TextChoices):
    """The kind of an invitation, as it appears in its link (``/invitations/<kind>/<token>/``)."""

    TEAM = "team"
    ACCOUNT = "account"


# The languages a mail can be written in; the same list as an account's language.
INVITATION_LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]


class InvitationBase(models.Model):
    """A single-use link by e-mail, valid until ``expires_at``; only a hash of its secret is kept.

    ``language`` is the language of the mail for an invitee without an account (someone with an
    account gets it in their own language). The state follows from the timestamps: accepted,
    revoked (withdrawn), expired, or open.
    """

    kind: ClassVar[InvitationKind]

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=INVITATION_LANGUAGES, default="nl-be"
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
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def invitee_name(self) -> str:
        """The name of the invited person, as the inviter gave it."""
        raise NotImplementedError

    @property
    def state(self) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``open``."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @property
    def is_open(self) -> bool:
        return self.state == "open"
