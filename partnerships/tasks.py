"""Thin Celery tasks of the partnerships app: they load rows by id and call a service."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    name="partnerships.send_invitation_email",
    acks_late=True,
    time_limit=60,
    soft_time_limit=45,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_invitation_email(invitation_id: int, link: str) -> None:
    from partnerships.models import Invitation
    from partnerships.services.invitations import render_invitation_email

    invitation = (
        Invitation.objects.select_related("partnership", "organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    subject, text, html = render_invitation_email(invitation, link)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(
    name="partnerships.validate_student_import",
    acks_late=True,
    time_limit=300,
    soft_time_limit=240,
)
def validate_student_import(student_import_id: int) -> None:
    from partnerships.services.imports import student_import_validate

    student_import_validate(student_import_id=student_import_id)


@shared_task(
    name="partnerships.send_account_invitation_email",
    acks_late=True,
    time_limit=60,
    soft_time_limit=45,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_account_invitation_email(invitation_id: int, link: str) -> None:
    """The invitation of a student or parent to an account; nothing when it was closed since."""
    from partnerships.models import AccountInvitation
    from partnerships.services.accounts import render_account_invitation_email

    invitation = (
        AccountInvitation.objects.select_related(
            "student", "student__school", "contact", "invited_by"
        )
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    subject, text, html = render_account_invitation_email(invitation, link)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
