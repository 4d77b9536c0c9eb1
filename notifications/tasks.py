"""Thin Celery tasks: they take ids, call a service, and turn ``RetryLater`` into a retry.

``sweep_reminders`` runs on the default queue (beat, every 300 s); ``send_*`` tasks are routed
to the ``mail`` queue. A mail task whose row was claimed again (worker died, lease over) finds a
foreign claim token and does nothing, so a late duplicate message in the broker is harmless.
"""

from __future__ import annotations

from celery import Task, shared_task

from notifications.services import digests, reminders


@shared_task(name="notifications.sweep_reminders", time_limit=240, soft_time_limit=200)
def sweep_reminders() -> dict[str, int]:
    result = reminders.reminders_sweep()
    stale_digests = digests.digests_sweep(stale_only=True)
    return {
        "candidates": result.candidates,
        "created": result.created,
        "claimed": len(result.claimed),
        "reclaimed": result.reclaimed,
        "cancelled": result.cancelled,
        "digests_reclaimed": len(stale_digests.claimed),
    }


@shared_task(
    bind=True,
    name="notifications.send_reminder",
    acks_late=True,
    time_limit=60,
    soft_time_limit=45,
    max_retries=None,  # the row counts the attempts (DUAAL_REMINDER_MAX_ATTEMPTS)
)
def send_reminder(self: Task, reminder_id: int, claim_token: str) -> str:
    while True:
        try:
            return reminders.reminder_deliver(reminder_id=reminder_id, claim_token=claim_token)
        except reminders.RetryLater as exc:
            if not self.request.is_eager:
                raise self.retry(countdown=exc.countdown) from exc
            # Eager (embedded mode, send_reminders): no broker to wait on, so try again now;
            # the row's attempt counter ends the loop.


@shared_task(name="notifications.send_daily_digests", time_limit=240, soft_time_limit=200)
def send_daily_digests() -> int:
    return len(digests.digests_sweep().claimed)


@shared_task(
    bind=True,
    name="notifications.send_digest",
    acks_late=True,
    time_limit=60,
    soft_time_limit=45,
    max_retries=None,
)
def send_digest(self: Task, digest_id: int, claim_token: str) -> str:
    while True:
        try:
            return digests.digest_deliver(digest_id=digest_id, claim_token=claim_token)
        except reminders.RetryLater as exc:
            if not self.request.is_eager:
                raise self.retry(countdown=exc.countdown) from exc
