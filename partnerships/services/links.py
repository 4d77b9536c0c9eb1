"""The links of invitations, for every kind: sign, hash, verify, renew and close.

A link is ``/invitations/<kind>/<token>/``. The token is a random secret signed with a
timestamp (``TimestampSigner``, one salt per kind, so a token of one kind is unknown to the
other); only the secret's SHA-256 is stored. A link works once, until it expires, and not
after a renewal (a new secret) or a revocation. The absolute address in a mail starts with
``settings.SITE_URL``, never with the host of the request that sent it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import AccountInvitation, Invitation
from partnerships.models.invitations import InvitationBase, InvitationKind

VALIDITY = timedelta(days=14)


@dataclass(frozen=True)
class LinkKind:
    model: type[InvitationBase]
    salt: str
    # What the accept page and the mail show of the invitation, fetched with it.
    related: tuple[str, ...]


KINDS: dict[str, LinkKind] = {
    # The salts are those of the links already sent: they keep working.
    InvitationKind.TEAM: LinkKind(
        Invitation,
        "duaal.invitation",
        ("partnership", "partnership__school", "organisation", "invited_by"),
    ),
    InvitationKind.ACCOUNT: LinkKind(
        AccountInvitation,
        "duaal.account-invitation",
        ("student", "student__school", "contact", "invited_by"),
    ),
}


class InvitationInvalid(Exception):
    """The link is unknown, tampered with, used, revoked or expired; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _kind(kind: str) -> LinkKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise InvitationInvalid("unknown") from None


def _new_secret(invitation: InvitationBase) -> str:
    """A new secret for ``invitation`` (its hash in ``token_hash``); returns the link's token."""
    secret = secrets.token_urlsafe(32)
    invitation.token_hash = secret_hash(secret)
    return signing.TimestampSigner(salt=_kind(invitation.kind).salt).sign(secret)


def link_issue(invitation: InvitationBase) -> str:
    """The first link of a new invitation: secret, validity and first sending are set on the
    unsaved ``invitation`` (the caller saves it). Returns the token."""
    token = _new_secret(invitation)
    now = timezone.now()
    invitation.expires_at = now + VALIDITY
    # ``sent_at`` is set by the mail task once the mail has left (``invitation_mail_send``).
    invitation.send_count = 1
    return token


def link_path(*, kind: str, token: str) -> str:
    return reverse("partnerships:invitation_accept", kwargs={"kind": kind, "token": token})


def link_url(*, kind: str, token: str) -> str:
    """The absolute link for a mail: ``SITE_URL`` + path."""
    return settings.SITE_URL.rstrip("/") + link_path(kind=kind, token=token)


def link_verify(*, kind: str, token: str) -> str:
    """The stored hash the token stands for, or ``InvitationInvalid`` (unknown / expired)."""
    try:
        secret = signing.TimestampSigner(salt=_kind(kind).salt).unsign(token, max_age=VALIDITY)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid("unknown") from exc
    return secret_hash(secret)


def ensure_open(invitation: InvitationBase | None) -> InvitationBase:
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


def link_open(*, kind: str, token: str, lock: bool = False) -> InvitationBase:
    """The open invitation of a link, or ``InvitationInvalid``. ``lock`` takes a row lock on the
    invitation alone (PostgreSQL refuses FOR UPDATE on the nullable outer joins)."""
    link_kind = _kind(kind)
    token_hash = link_verify(kind=kind, token=token)
    qs = link_kind.model._default_manager.select_related(*link_kind.related)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return ensure_open(qs.filter(token_hash=token_hash).first())


def link_renew(invitation: InvitationBase) -> str:
    """Give an open invitation a fresh link (the old one stops working), restart its validity
    and count the sending; saved here. Returns the token. Refused once accepted or revoked."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    token = _new_secret(invitation)
    now = timezone.now()
    invitation.expires_at = now + VALIDITY
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "send_count"])
    return token


def link_close(invitation: InvitationBase) -> None:
    """Revoke an open invitation: its link stops working. Refused once accepted."""
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
