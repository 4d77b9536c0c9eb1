"""Thin Celery tasks of the accounts app."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="accounts.send_password_reset",
    acks_late=True,
    time_limit=60,
    soft_time_limit=45,
)
def send_password_reset(email: str) -> int:
    """The password-reset mail for ``email``, or nothing when no account has that address."""
    from accounts.password_reset import password_reset_send

    return password_reset_send(email=email)
