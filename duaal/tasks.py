"""Infrastructure tasks: used by the health check and the worker integration test."""

from celery import shared_task


@shared_task(name="duaal.ping", time_limit=10, soft_time_limit=5)
def ping(value: str = "pong") -> str:
    """Echo ``value``: proves a worker consumes the default queue and stores results."""
    return value


@shared_task(name="duaal.count_users", time_limit=30, soft_time_limit=20)
def count_users() -> int:
    """Count users in the worker's database: proves the worker sees the same database."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


@shared_task(name="duaal.purge_expired", time_limit=1800, soft_time_limit=1700)
def purge_expired() -> dict[str, int]:
    """The nightly retention job: anonymise and delete what passed its retention period."""
    from django.db import transaction
    from django.utils import timezone

    from duaal import privacy

    with transaction.atomic():
        return privacy.purge(timezone.now(), apply=True)
