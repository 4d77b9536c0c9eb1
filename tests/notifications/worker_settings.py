"""Settings of the Celery worker started by the broker tests: short back-off and lease."""

from duaal.settings import *  # noqa: F403

DUAAL_REMINDER_RETRY_SECONDS = 0.4
DUAAL_REMINDER_MAX_ATTEMPTS = 3
DUAAL_REMINDER_LEASE_SECONDS = 3
