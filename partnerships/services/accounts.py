"""Accounts for students and their parents or guardians: by invitation only.

An ``AccountInvitation`` shares its link, mail, re-send, revocation and acceptance with team
invitations (``services/invitations.py``); created here. Accepting links the account to the
``Student`` or the ``StudentContact`` and re-syncs the grants of the student's partnerships:
the student or parent sees their own traject on the next request. They get no membership of
any organisation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from partnerships import audit as trail
from partnerships.models import AccountInvitation, Partnership, Student, StudentContact
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.invitation_mail import invitation_language, invitation_mail_queue
from partnerships.services.links import link_issue


def record_account_invitation(
    *,
    actor: User,
    action: str,
    invitation: AccountInvitation,
    changes: dict[str, tuple[object, object]] | None = None,
) -> None:
    """An entry listed under the student (and so on each of their trajects' history)."""
    student = invitation.student
    partnership = student_partnerships(student=student).order_by("pk").first()
    trail.record(
        actor=actor,
        action=action,
        partnership=partnership,
        organisation=None if partnership else student.school,
        student=student,
        obj=invitation,
        object_label=invitation.invitee_name,
        changes=changes,
    )


def _open_invitations(
    *, student: Student, contact: StudentContact | None
) -> QuerySet[AccountInvitation]:
    qs = AccountInvitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    if contact is not None:
        return qs.filter(contact=contact)
    return qs.filter(student=student, contact__isnull=True)


@transaction.atomic
def account_invitation_create(
    *,
    actor: User,
    student: Student,
    contact: StudentContact | None = None,
    language: str | None = None,
) -> AccountInvitation:
    """Invite ``student`` (or, with ``contact``, that parent or guardian) to an account.

    The address is the student's or contact's e-mail; the mail is in ``language`` unless the
    address has an account (by default the inviter's language). Refused (``ValidationError``) when that
    address is empty, when the contact is not one of the student's, when the person already
    has an account, or when an unexpired invitation is open (re-send that one instead). An
    expired open invitation is closed and replaced. The e-mail leaves after the commit.
    """
    if contact is not None and contact.student_id != student.pk:
        raise ValidationError(_("This parent or guardian is not a contact of this student."))
    target = contact if contact is not None else student
    email = (target.email or "").strip().lower()
    if not email:
        raise ValidationError(
            _("%(name)s has no e-mail address: add one first.") % {"name": target.full_name}
        )
    if target.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": target.full_name})
    now = timezone.now()
    open_invitation = (
        _open_invitations(student=student, contact=contact).select_for_update().first()
    )
    if open_invitation and open_invitation.expires_at > now:
        raise ValidationError(
            _("%(name)s is already invited: send the invitation again instead.")
            % {"name": target.full_name}
        )
    if open_invitation:  # expired: close it, a new one replaces it
        open_invitation.revoked_at = now
        open_invitation.save(update_fields=["revoked_at"])
        record_account_invitation(
            actor=actor, action="account_invitation.revoke", invitation=open_invitation
        )
    invitation = AccountInvitation(
        student=student,
        contact=contact,
        email=email,
        invited_by=actor,
        language=invitation_language(actor=actor, chosen=language),
    )
    token = link_issue(invitation)
    invitation.save()
    record_account_invitation(
        actor=actor,
        action="account_invitation.create",
        invitation=invitation,
        changes=audit.created(audit.snapshot(invitation, ("email", "expires_at"))),
    )
    invitation_mail_queue(invitation=invitation, token=token)
    return invitation


def student_partnerships(*, student: Student) -> QuerySet[Partnership]:
    """The partnerships in which ``student`` has a traject."""
    return Partnership.objects.filter(trajects__student=student).distinct()


def account_invitation_grant(*, invitation: AccountInvitation, user: User) -> None:
    """Link ``user`` to the invited student or contact and re-sync the grants of the student's
    partnerships (part of accepting, inside its transaction). Refused (``ValidationError``)
    when the student or contact has an account already, or when the account is another
    student's."""
    student = Student.objects.select_for_update().get(pk=invitation.student_id)
    contact = (
        StudentContact.objects.select_for_update().get(pk=invitation.contact_id)
        if invitation.contact_id
        else None
    )
    target = contact if contact is not None else student
    if target.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": target.full_name})
    if contact is None and Student.objects.filter(user=user).exclude(pk=student.pk).exists():
        # Student.user is one-to-one: one account is one student.
        raise ValidationError(_("This account already belongs to another student."))
    target.user = user
    target.save(update_fields=["user"])
    for partnership in student_partnerships(student=student):
        partnership_sync_grants(partnership=partnership)
