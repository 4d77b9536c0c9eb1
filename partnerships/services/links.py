"""Single-use invitation links: a random secret, signed with a timestamp; only its hash is kept.

Shared by team invitations (``services.invitations``) and student/parent account invitations
(``services.accounts``), each with its own salt.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core import signing


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
