"""Health of the services Duaal depends on, for ``GET /healthz`` and operators."""

from __future__ import annotations

from django.conf import settings
from django.db import connections


def database_status() -> str:
    """'ok' when the default database answers a trivial query, else a short error."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def broker_status() -> str:
    """'ok' when the Celery broker accepts a connection; 'eager' when none is configured."""
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from duaal.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"
