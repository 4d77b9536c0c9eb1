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
from organisations.models import Membership, Organisation
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
    _send(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, base_url: str) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the validity period."""
    token = link_renew(invitation, salt=_SALT, validity=INVITATION_VALIDITY)
    _send(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Close an open invitation: its link stops working."""
    link_close(invitation)


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
        Membership.objects.get_or_create(user=user, organisation=invitation.organisation)
    TeamMember.objects.get_or_create(
        partnership=invitation.partnership,
        user=user,
        role=invitation.role,
        defaults={"organisation": invitation.organisation},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.role in COMPANY_WIDE_ROLES:  # their view spans every partnership of the company
        company_sync_grants(company_id=invitation.organisation_id)
    else:
        partnership_sync_grants(partnership=invitation.partnership)
    return user
