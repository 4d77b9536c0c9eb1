"""The Celery application: three queues, late acknowledgement, bounded tasks.

Configuration lives in ``duaal.settings`` under the ``CELERY_`` prefix; without a broker the
tasks run eagerly in-process (embedded mode).
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
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
    # Retention (docs/privacy.md): anonymise and delete what passed its period, at night.
    "purge-expired": {"task": "duaal.purge_expired", "schedule": crontab(hour=3, minute=30)},
    # Contracts whose start date has come start running (and their trajects with them).
    "start-due-contracts": {
        "task": "contracts.start_due_contracts",
        "schedule": crontab(hour=0, minute=15),
    },
    # Recognitions past their validity (5 years from the decision) become expired.
    "expire-recognitions": {
        "task": "recognition.expire_recognitions",
        "schedule": crontab(hour=0, minute=5),
    },
}
app.autodiscover_tasks()


# Work done by a task is the system's: its audit entries name the task, and carry its id.
_task_contexts: dict[str, object] = {}


@task_prerun.connect
def _enter_audit_context(task_id: str, task: object, **kwargs: object) -> None:
    from duaal.audit import system_context

    context = system_context(f"task {getattr(task, 'name', '')}", request_id=task_id or "")
    context.__enter__()
    _task_contexts[task_id] = context


@task_postrun.connect
def _leave_audit_context(task_id: str, **kwargs: object) -> None:
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)
