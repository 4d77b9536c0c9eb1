"""Thin Celery tasks of the recognition app."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="recognition.expire_recognitions", acks_late=True, time_limit=600, soft_time_limit=540
)
def expire_recognitions() -> int:
    """The daily beat job: recognitions past their validity become expired (the system's
    change, in the audit trail). Running placements are never changed: the reminder rule
    ``placement_ineligible`` of partnerships flags them to their coordinators."""
    from recognition.services import recognitions_expire

    return recognitions_expire()
