"""Tunables of the reminder machinery, read from settings with safe defaults.

Tests (and the worker started by the integration tests) shorten the lease and the retry
back-off through these settings; production keeps the defaults.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def lease() -> timedelta:
    """How long a claimed row may stay in ``sending`` before a sweep claims it again."""
    return timedelta(seconds=float(getattr(settings, "DUAAL_REMINDER_LEASE_SECONDS", 15 * 60)))


def max_attempts() -> int:
    """Sending attempts of one row (first try included) before it ends as ``failed``."""
    return int(getattr(settings, "DUAAL_REMINDER_MAX_ATTEMPTS", 5))


def retry_countdown(attempt: int) -> float:
    """Exponential back-off after failed attempt number ``attempt`` (1-based): base * 2^(n-1)."""
    base = float(getattr(settings, "DUAAL_REMINDER_RETRY_SECONDS", 60))
    ceiling = float(getattr(settings, "DUAAL_REMINDER_RETRY_MAX_SECONDS", 30 * 60))
    return min(base * 2 ** max(attempt - 1, 0), ceiling)


def claim_batch() -> int:
    """At most this many rows are claimed by one sweep; the next sweep takes the rest."""
    return int(getattr(settings, "DUAAL_REMINDER_CLAIM_BATCH", 20_000))


def site_url() -> str:
    """Absolute address of the site for links in e-mails (no request in a worker)."""
    return str(settings.SITE_URL).rstrip("/")
