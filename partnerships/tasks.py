"""Thin Celery tasks of the partnerships app: they load rows by id and call a service."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="partnerships.send_invitation_email",
    acks_late=True,
    time_limit=60,
    soft_time_limit=45,
    max_retries=5,
)
def send_invitation_email(self, kind: str, invitation_id: int, token: str) -> str:  # noqa: ANN001
    """The mail of one sending of an invitation of either kind; nothing when it was closed or
    re-sent since. A temporary SMTP failure is retried with back-off by the worker; a permanent
    one, or any failure in the embedded mode (no broker to wait on, the inviter's request must
    not fail after its commit), is logged: the inviter can send the invitation again."""
    from notifications.services.mail import MailError
    from partnerships.services.invitation_mail import invitation_mail_send

    try:
        sent = invitation_mail_send(kind=kind, invitation_id=invitation_id, token=token)
    except MailError as exc:
        if exc.permanent or self.request.is_eager:
            logger.warning("Invitation mail %s %s not sent: %s", kind, invitation_id, exc)
            return "failed"
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return "sent" if sent else "skipped"


@shared_task(
    name="partnerships.validate_student_import",
    acks_late=True,
    time_limit=300,
    soft_time_limit=240,
)
def validate_student_import(student_import_id: int) -> None:
    from partnerships.services.imports import student_import_validate

    student_import_validate(student_import_id=student_import_id)
