"""The ``pdf`` queue's task: thin, takes an id, calls the service.

Routed to the ``pdf`` queue by the ``*.render_*`` rule of ``duaal.celery``. The soft limit
raises ``SoftTimeLimitExceeded`` inside the rendering, which the service records as "took too
long"; the hard limit only matters if that fails, and then the late acknowledgement
redelivers the task until ``services.MAX_ATTEMPTS`` gives the document up.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_process_init

from documents import services

RENDER_SOFT_TIME_LIMIT = 30
RENDER_TIME_LIMIT = 45


@shared_task(
    name="documents.render_document",
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    time_limit=RENDER_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def render_document(document_id: int) -> None:
    services.document_render(document_id=document_id)


@worker_process_init.connect(dispatch_uid="documents.preload_renderer")
def preload_renderer(**kwargs: Any) -> None:
    """Import WeasyPrint when a worker child starts, not inside the first time-limited task."""
    from documents import rendering  # noqa: F401
