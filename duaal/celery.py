"""The Celery application: three queues, late acknowledgement, bounded tasks.

Configuration lives in ``duaal.settings`` under the ``CELERY_`` prefix; without a broker the
tasks run eagerly in-process (embedded mode).
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duaal.settings")

app = Celery("duaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("mail"), Queue("pdf"))
app.conf.task_routes = {
    "*.send_*": {"queue": "mail"},
    "*.render_*": {"queue": "pdf"},
}
app.autodiscover_tasks()
