"""Single-use invitation links: a random secret, signed with a timestamp; only its hash is kept.

Shared by team invitations (``services.invitations``) and student/parent account invitations
(``services.accounts``), each with its own salt.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class InvitationInvalid(Exception):
    """The link is unknown, tampered with, used, revoked or expired; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_link(*, salt: str) -> tuple[str, str]:
    """(token for the URL, hash to store)."""
    secret = secrets.token_urlsafe(32)
    return signing.TimestampSigner(salt=salt).sign(secret), secret_hash(secret)


def hash_from_link(token: str, *, salt: str, max_age: timedelta) -> str:
    """The stored hash a link stands for, or ``InvitationInvalid`` (unknown / expired)."""
    try:
        secret = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid("unknown") from exc
    return secret_hash(secret)


def link_renew(invitation, *, salt: str, validity: timedelta) -> str:  # noqa: ANN001
    """Give an open invitation a fresh link (the old one stops working); returns the token.

    ``invitation`` is any model with the invitation fields (token_hash, expires_at, sent_at,
    send_count, accepted_at, revoked_at); it is saved here.
    """
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    token, invitation.token_hash = new_link(salt=salt)
    now = timezone.now()
    invitation.expires_at = now + validity
    invitation.sent_at = now
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "send_count"])
    return token


def link_close(invitation) -> None:  # noqa: ANN001
    """Revoke an open invitation: its link stops working. Refused once accepted."""
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def ensure_open(invitation):  # noqa: ANN001, ANN201
    """The invitation if its link may still be used, else ``InvitationInvalid`` with the reason."""
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.accepted_at:
        raise InvitationInvalid("used")
    if invitation.revoked_at:
        raise InvitationInvalid("revoked")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")
    return invitation
