"""Invitations into a team role: the only way accounts are created (besides seed_demo).

The link carries a random secret, signed with a timestamp (``TimestampSigner``); only the
secret's SHA-256 is stored. A link works once, until it expires, and not after a re-send
(which issues a new secret) or a revocation.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from organisations.models import Membership, Organisation
from partnerships import audit as trail
from partnerships.models import Invitation, Partnership, TeamMember, TeamRole
from partnerships.services.grants import (
    COMPANY_WIDE_ROLES,
    company_sync_grants,
    partnership_sync_grants,
)
from partnerships.services.links import (  # InvitationInvalid is part of this module's API
    InvitationInvalid,  # noqa: F401
    ensure_open,
    hash_from_link,
    link_close,
    link_renew,
    new_link,
)
from partnerships.services.partnerships import organisations_for_role

INVITATION_VALIDITY = timedelta(days=14)
_SALT = "duaal.invitation"
INVITATION_FIELDS = ("email", "full_name", "role", "organisation", "expires_at")


def _record(
    *,
    actor: User,
    action: str,
    invitation: Invitation,
    changes: dict[str, tuple[object, object]] | None = None,
) -> None:
    trail.record(
        actor=actor,
        action=action,
        partnership=invitation.partnership,
        obj=invitation,
        changes=changes,
    )


def _new_link_token(invitation: Invitation) -> str:
    token, invitation.token_hash = new_link(salt=_SALT)
    return token


def invitation_url(token: str) -> str:
    return reverse("partnerships:invitation_accept", kwargs={"token": token})


def _send(invitation: Invitation, token: str, base_url: str) -> None:
    from partnerships.tasks import send_invitation_email

    link = base_url.rstrip("/") + invitation_url(token)
    transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk, link))


def render_invitation_email(invitation: Invitation, link: str) -> tuple[str, str, str]:
    """(subject, text, html) in the invitee's language if they have an account, else Dutch."""
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    context = {"invitation": invitation, "link": link, "valid_days": INVITATION_VALIDITY.days}
    with translation.override(language):
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    return subject, text, html


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation,
    base_url: str,
) -> Invitation:
    """Invite ``email`` into ``role`` on behalf of ``organisation`` and mail the link."""
    email = email.strip().lower()
    if organisation not in organisations_for_role(partnership=partnership, role=role):
        raise ValidationError(
            {
                "organisation": [
                    _("A %(role)s belongs to another organisation of this partnership.")
                    % {"role": TeamRole(role).label.lower()}
                ]
            }
        )
    own_organisations = Membership.objects.filter(user=actor).values("organisation_id")
    if (
        not Membership.objects.filter(user=actor, organisation=organisation).exists()
        and Membership.objects.filter(
            user__email__iexact=email, organisation__in=own_organisations
        ).exists()
    ):
        raise ValidationError(
            {
                "email": [
                    _(
                        "This person works for your own organisation: they cannot act for another organisation."
                    )
                ]
            }
        )
    if TeamMember.objects.filter(
        partnership=partnership, user__email__iexact=email, role=role
    ).exists():
        raise ValidationError(
            {"email": [_("This person already has this role in the partnership.")]}
        )
    open_invitation = Invitation.objects.filter(
        partnership=partnership,
        email__iexact=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).first()
    if open_invitation and open_invitation.expires_at > timezone.now():
        raise ValidationError(
            {
                "email": [
                    _(
                        "This person is already invited for this role: send the invitation again instead."
                    )
                ]
            }
        )
    if open_invitation:  # expired: close it, a new one replaces it
        open_invitation.revoked_at = timezone.now()
        open_invitation.save(update_fields=["revoked_at"])
        _record(actor=actor, action="invitation.revoke", invitation=open_invitation)
    invitation = Invitation(
        partnership=partnership,
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALIDITY,
        sent_at=timezone.now(),
        send_count=1,
    )
    token = _new_link_token(invitation)
    invitation.save()
    _record(
        actor=actor,
        action="invitation.create",
        invitation=invitation,
        changes=audit.created(audit.snapshot(invitation, INVITATION_FIELDS)),
    )
    _send(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, base_url: str) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the validity period."""
    expires_at = invitation.expires_at
    token = link_renew(invitation, salt=_SALT, validity=INVITATION_VALIDITY)
    _record(
        actor=actor,
        action="invitation.resend",
        invitation=invitation,
        changes={"expires_at": (expires_at, invitation.expires_at)},
    )
    _send(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Close an open invitation: its link stops working."""
    was_open = invitation.revoked_at is None
    link_close(invitation)
    if was_open:
        _record(actor=actor, action="invitation.revoke", invitation=invitation)


def invitation_from_token(token: str, *, lock: bool = False) -> Invitation:
    """The open invitation of a link, or ``InvitationInvalid``."""
    token_hash = hash_from_link(token, salt=_SALT, max_age=INVITATION_VALIDITY)
    qs = Invitation.objects.select_related("partnership", "organisation", "invited_by")
    if lock:
        qs = qs.select_for_update(of=("self",))  # invited_by is a nullable (outer) join
    return ensure_open(qs.filter(token_hash=token_hash).first())


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept an invitation, as the logged-in ``user`` or by creating the account.

    A logged-in user must have the invited e-mail address. Without a user, an account is
    created with ``full_name`` and ``password`` — unless one exists for the address, in which
    case its owner must log in first. The person becomes a member of the organisation and
    gets the team role; the link is then used up.
    """
    invitation = invitation_from_token(token, lock=True)
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
    # Membership of an organisation (and so its internal data) is granted only by one of its
    # own members: a school inviting a company's mentor creates the team role, not a company
    # membership.
    if (
        invitation.invited_by_id
        and Membership.objects.filter(
            user_id=invitation.invited_by_id, organisation=invitation.organisation
        ).exists()
    ):
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation
        )
        if created:
            trail.record(
                actor=user,
                action="membership.create",
                organisation=invitation.organisation,
                obj=membership,
                object_label=str(user),
                changes=audit.created({"user": audit.json_value(user)}),
            )
    member, created = TeamMember.objects.get_or_create(
        partnership=invitation.partnership,
        user=user,
        role=invitation.role,
        defaults={"organisation": invitation.organisation},
    )
    if created:
        trail.record(
            actor=user,
            action="team_member.add",
            partnership=invitation.partnership,
            obj=member,
            changes=audit.created(audit.snapshot(member, ("user", "role", "organisation"))),
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _record(
        actor=user,
        action="invitation.accept",
        invitation=invitation,
        changes={"accepted_at": (None, invitation.accepted_at)},
    )
    if invitation.role in COMPANY_WIDE_ROLES:  # their view spans every partnership of the company
        company_sync_grants(company_id=invitation.organisation_id)
    else:
        partnership_sync_grants(partnership=invitation.partnership)
    return user
