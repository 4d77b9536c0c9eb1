"""The mail of an invitation, for every kind: one path, through the notifications mailer.

A sending (the first one, or a re-send) is queued after the commit with the link's token; the
worker renders the kind's template trio in the invitee's language (their account's language,
else the language stored on the invitation) and sends it with a Message-ID fixed per
invitation and sending, so a retried task is recognisably the same message. The link is
absolute through ``settings.SITE_URL``. The invitation's ``sent_at`` is set only after the mail
left; a mail that failed never marks it sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services.mail import mail_send, make_message_id, recipient_language
from partnerships.models.invitations import InvitationBase, InvitationKind
from partnerships.services.links import KINDS, VALIDITY, InvitationInvalid, link_url, link_verify

TEMPLATES = {
    InvitationKind.TEAM: "emails/invitation",
    InvitationKind.ACCOUNT: "emails/account_invitation",
}


def invitation_language(*, actor: User, chosen: str | None = None) -> str:
    """The language to store on a new invitation, for a mail to someone without an account:
    the inviter's choice, else the inviter's own language, else the site's default."""
    for candidate in (chosen, getattr(actor, "language", None)):
        if candidate in dict(settings.LANGUAGES):
            return candidate
    return settings.LANGUAGE_CODE


def invitation_mail_queue(*, invitation: InvitationBase, token: str) -> None:
    """Send the mail with the link of ``token`` once the current transaction commits."""
    from partnerships.tasks import send_invitation_email

    kind, invitation_id = str(invitation.kind), invitation.pk
    transaction.on_commit(lambda: send_invitation_email.delay(kind, invitation_id, token))


def invitation_message_id(invitation: InvitationBase) -> str:
    """The same for every attempt of one sending; a re-send (``send_count``) is a new message."""
    return make_message_id("invitation", invitation.kind, invitation.pk, invitation.send_count)


def invitation_mail_send(*, kind: str, invitation_id: int, token: str) -> bool:
    """Send the mail of one sending of an invitation. False (nothing sent) when the invitation
    was accepted or revoked since, or when ``token`` is no longer its link (a later re-send
    carries the valid one). Raises ``notifications.services.mail.MailError`` when refused."""
    link_kind = KINDS[kind]
    invitation = (
        link_kind.model._default_manager.select_related(*link_kind.related)
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    try:
        if link_verify(kind=kind, token=token) != invitation.token_hash:
            return False
    except InvitationInvalid:
        return False
    context = {
        "invitation": invitation,
        "name": invitation.invitee_name,
        "link": link_url(kind=kind, token=token),
        "valid_days": VALIDITY.days,
    }
    mail_send(
        to=invitation.email,
        template=TEMPLATES[InvitationKind(kind)],
        context=context,
        language=recipient_language(invitation.email, fallback=invitation.language),
        message_id=invitation_message_id(invitation),
        unsubscribe=False,
    )
    # Only now is the invitation sent: a refused or failed mail leaves ``sent_at`` as it was.
    type(invitation)._default_manager.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True
