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
