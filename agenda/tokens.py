"""Feed secrets: generated here, stored only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets

# secrets.token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
SECRET_PATTERN = r"[A-Za-z0-9_-]{43}"
_SECRET_RE = re.compile(SECRET_PATTERN)


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_feed_secret(secret: str) -> str:
    """The stored form of a feed secret (hex SHA-256).

    Lookups go by this hash through a unique index, so the time a lookup takes says nothing
    useful about the secret (the attacker would need a SHA-256 preimage), and a database leak
    does not reveal working feed URLs.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def is_well_formed_secret(secret: str) -> bool:
    return _SECRET_RE.fullmatch(secret) is not None
