"""Accounts for students and their parents or guardians: by invitation only.

Like team invitations (``services/invitations.py``): the link carries a random secret, signed
with a timestamp; only the secret's SHA-256 is stored, so a link works once, until it expires,
and not after a re-send or a revocation. Accepting links the account to the ``Student`` or the
``StudentContact`` and re-syncs the grants of the student's partnerships: the student or parent
sees their own traject on the next request. They get no membership of any organisation.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from partnerships import audit as trail
from partnerships.models import AccountInvitation, Partnership, Student, StudentContact
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.links import (
    InvitationInvalid,
    ensure_open,
    hash_from_link,
    link_close,
    link_renew,
    new_link,
)

ACCOUNT_INVITATION_VALIDITY = timedelta(days=14)
_SALT = "duaal.account-invitation"


def _record(
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


def _new_link_token(invitation: AccountInvitation) -> str:
    token, invitation.token_hash = new_link(salt=_SALT)
    return token


def account_invitation_url(token: str) -> str:
    return reverse("partnerships:account_invitation_accept", kwargs={"token": token})


def _send(invitation: AccountInvitation, token: str, base_url: str) -> None:
    from partnerships.tasks import send_account_invitation_email

    link = base_url.rstrip("/") + account_invitation_url(token)
    transaction.on_commit(lambda: send_account_invitation_email.delay(invitation.pk, link))


def render_account_invitation_email(
    invitation: AccountInvitation, link: str
) -> tuple[str, str, str]:
    """(subject, text, html) in the invitee's language if they have an account, else Dutch."""
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    context = {
        "invitation": invitation,
        "name": invitation.invitee_name,
        "student": invitation.student,
        "school": invitation.student.school,
        "link": link,
        "valid_days": ACCOUNT_INVITATION_VALIDITY.days,
    }
    with translation.override(language):
        subject = render_to_string("emails/account_invitation_subject.txt", context).strip()
        text = render_to_string("emails/account_invitation.txt", context)
        html = render_to_string("emails/account_invitation.html", context)
    return subject, text, html


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
    base_url: str,
) -> AccountInvitation:
    """Invite ``student`` (or, with ``contact``, that parent or guardian) to an account.

    The address is the student's or contact's e-mail. Refused (``ValidationError``) when that
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
        _record(actor=actor, action="account_invitation.revoke", invitation=open_invitation)
    invitation = AccountInvitation(
        student=student,
        contact=contact,
        email=email,
        invited_by=actor,
        expires_at=now + ACCOUNT_INVITATION_VALIDITY,
        sent_at=now,
        send_count=1,
    )
    token = _new_link_token(invitation)
    invitation.save()
    _record(
        actor=actor,
        action="account_invitation.create",
        invitation=invitation,
        changes=audit.created(audit.snapshot(invitation, ("email", "expires_at"))),
    )
    _send(invitation, token, base_url)
    return invitation


@transaction.atomic
def account_invitation_resend(
    *, actor: User, invitation: AccountInvitation, base_url: str
) -> AccountInvitation:
    """Send a fresh link (the old one stops working) and restart the validity period."""
    expires_at = invitation.expires_at
    token = link_renew(invitation, salt=_SALT, validity=ACCOUNT_INVITATION_VALIDITY)
    _record(
        actor=actor,
        action="account_invitation.resend",
        invitation=invitation,
        changes={"expires_at": (expires_at, invitation.expires_at)},
    )
    _send(invitation, token, base_url)
    return invitation


@transaction.atomic
def account_invitation_revoke(*, actor: User, invitation: AccountInvitation) -> None:
    """Close an open invitation: its link stops working. Refused once accepted."""
    was_open = invitation.revoked_at is None
    link_close(invitation)
    if was_open:
        _record(actor=actor, action="account_invitation.revoke", invitation=invitation)


AccountInvitationInvalid = InvitationInvalid  # one exception for every invitation link


def account_invitation_from_token(token: str, *, lock: bool = False) -> AccountInvitation:
    """The open invitation of a link, or ``AccountInvitationInvalid``."""
    token_hash = hash_from_link(token, salt=_SALT, max_age=ACCOUNT_INVITATION_VALIDITY)
    qs = AccountInvitation.objects.select_related("student", "student__school", "contact")
    if lock:
        qs = qs.select_for_update(of=("self",))  # contact is a nullable (outer) join
    return ensure_open(qs.filter(token_hash=token_hash).first())


def student_partnerships(*, student: Student) -> QuerySet[Partnership]:
    """The partnerships in which ``student`` has a traject."""
    return Partnership.objects.filter(trajects__student=student).distinct()


@transaction.atomic
def account_invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept an account invitation, as the logged-in ``user`` or by creating the account.

    A logged-in user must have the invited e-mail address. Without a user, an account is
    created with ``full_name`` and ``password`` — unless one exists for the address, in which
    case its owner must log in first. The account is linked to the student or the contact and
    the grants of the student's partnerships are re-synced; the link is then used up.
    Raises ``AccountInvitationInvalid`` for a bad link and ``ValidationError`` otherwise.
    """
    invitation = account_invitation_from_token(token, lock=True)
    student = Student.objects.select_for_update().get(pk=invitation.student_id)
    contact = (
        StudentContact.objects.select_for_update().get(pk=invitation.contact_id)
        if invitation.contact_id
        else None
    )
    target = contact if contact is not None else student
    if target.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": target.full_name})
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation is for %(email)s, but you are logged in as %(current)s.")
                % {"email": invitation.email, "current": user.email}
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _(
                    "An account with this e-mail address exists: log in first, then open the link again."
                )
            )
        if not full_name.strip():
            raise ValidationError({"full_name": [_("Enter your name.")]})
        candidate = User(email=invitation.email, full_name=full_name.strip())
        validate_password(password, user=candidate)
        user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    if contact is None and Student.objects.filter(user=user).exclude(pk=student.pk).exists():
        # Student.user is one-to-one: one account is one student.
        raise ValidationError(_("This account already belongs to another student."))
    target.user = user
    target.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _record(
        actor=user,
        action="account_invitation.accept",
        invitation=invitation,
        changes={"account": (None, audit.json_value(user))},
    )
    for partnership in student_partnerships(student=student):
        partnership_sync_grants(partnership=partnership)
    return user
