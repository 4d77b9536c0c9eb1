"""The Celery application: three queues, late acknowledgement, bounded tasks.

Configuration lives in ``duaal.settings`` under the ``CELERY_`` prefix; without a broker the
tasks run eagerly in-process (embedded mode).
"""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duaal.settings")

app = Celery("duaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("mail"), Queue("pdf"))
app.conf.task_routes = {
    "*.send_*": {"queue": "mail"},
    "*.render_*": {"queue": "pdf"},
}
# Periodic jobs (the `beat` process). Reminders are database rows: a sweep every few minutes
# claims what is due, so a missed or doubled beat neither loses nor duplicates a message.
app.conf.beat_schedule = {
    "sweep-reminders": {"task": "notifications.sweep_reminders", "schedule": 300.0},
    "send-daily-digests": {
        "task": "notifications.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}
app.autodiscover_tasks()
