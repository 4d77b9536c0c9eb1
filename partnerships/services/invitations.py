"""Invitations: the lifecycle both kinds share, and invitations into a team role.

Both kinds (``Invitation``: a team role; ``AccountInvitation``: a student's or parent's
account, created in ``services/accounts.py``) are re-sent, withdrawn and accepted here. The
link is ``services/links.py``, the mail ``services/invitation_mail.py``. Accepting is the same
for both up to the account: the logged-in person must have the invited address, or an account
is created for it (unless one exists: its owner logs in first); then the kind grants what it
invites to, and the link is used up.

Invitations are the only way accounts are created (besides seed_demo).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from organisations.models import Membership, Organisation
from partnerships import audit as trail
from partnerships.models import AccountInvitation, Invitation, Partnership, TeamMember, TeamRole
from partnerships.models.invitations import InvitationBase, InvitationKind
from partnerships.services.accounts import account_invitation_grant, record_account_invitation
from partnerships.services.grants import (
    COMPANY_WIDE_ROLES,
    company_sync_grants,
    partnership_sync_grants,
)
from partnerships.services.invitation_mail import invitation_language, invitation_mail_queue
from partnerships.services.links import link_close, link_issue, link_open, link_renew
from partnerships.services.partnerships import organisations_for_role

INVITATION_FIELDS = ("email", "full_name", "role", "organisation", "expires_at")

# --- shared by both kinds -----------------------------------------------------------------------


def _record(
    *,
    actor: User,
    action: str,
    invitation: InvitationBase,
    changes: dict[str, tuple[object, object]] | None = None,
) -> None:
    """Record ``action`` ("resend", "revoke", "accept") of either kind in the audit trail."""
    if isinstance(invitation, AccountInvitation):
        record_account_invitation(
            actor=actor,
            action=f"account_invitation.{action}",
            invitation=invitation,
            changes=changes,
        )
    elif isinstance(invitation, Invitation):
        trail.record(
            actor=actor,
            action=f"invitation.{action}",
            partnership=invitation.partnership,
            obj=invitation,
            changes=changes,
        )


@transaction.atomic
def invitation_resend(*, actor: User, invitation: InvitationBase) -> InvitationBase:
    """Send a fresh link (the old one stops working) and restart the validity period.
    Refused (``ValidationError``) once accepted or revoked."""
    expires_at = invitation.expires_at
    token = link_renew(invitation)
    _record(
        actor=actor,
        action="resend",
        invitation=invitation,
        changes={"expires_at": (expires_at, invitation.expires_at)},
    )
    invitation_mail_queue(invitation=invitation, token=token)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: InvitationBase) -> None:
    """Close an open invitation: its link stops working. Refused once accepted."""
    was_open = invitation.revoked_at is None
    link_close(invitation)
    if was_open:
        _record(actor=actor, action="revoke", invitation=invitation)


def invitation_from_link(*, kind: str, token: str) -> InvitationBase:
    """The open invitation of a link, or ``InvitationInvalid`` (unknown, used, revoked,
    expired)."""
    return link_open(kind=kind, token=token)


@transaction.atomic
def invitation_accept(
    *,
    kind: str,
    token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    language: str | None = None,
) -> tuple[InvitationBase, User]:
    """Accept the invitation of a link, as the logged-in ``user`` or by creating the account.

    A logged-in user must have the invited e-mail address. Without a user, an account is
    created with ``full_name``, ``password`` and ``language`` (by default the invitation's) —
    unless one exists for the address, in which case its owner must log in first. Then the
    kind grants what it invites to (a team role; the link of the account to the student or
    the contact) and the link is used up. Raises ``InvitationInvalid`` for a bad link and
    ``ValidationError`` otherwise; either way nothing is saved. Returns the invitation and
    the account.
    """
    invitation = link_open(kind=kind, token=token, lock=True)
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
        user = User.objects.create_user(
            invitation.email,
            password,
            full_name=full_name.strip(),
            language=language or invitation.language,
        )
    _GRANTS[invitation.kind](invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _record(
        actor=user,
        action="accept",
        invitation=invitation,
        changes=(
            {"account": (None, audit.json_value(user))}
            if invitation.kind == InvitationKind.ACCOUNT
            else {"accepted_at": (None, invitation.accepted_at)}
        ),
    )
    return invitation, user


# --- team invitations -----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation,
    language: str | None = None,
) -> Invitation:
    """Invite ``email`` into ``role`` on behalf of ``organisation`` and mail the link (in
    ``language`` unless the address has an account; by default the inviter's language)."""
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
        _record(actor=actor, action="revoke", invitation=open_invitation)
    invitation = Invitation(
        partnership=partnership,
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        role=role,
        invited_by=actor,
        language=invitation_language(actor=actor, chosen=language),
    )
    token = link_issue(invitation)
    invitation.save()
    trail.record(
        actor=actor,
        action="invitation.create",
        partnership=partnership,
        obj=invitation,
        changes=audit.created(audit.snapshot(invitation, INVITATION_FIELDS)),
    )
    invitation_mail_queue(invitation=invitation, token=token)
    return invitation


def _team_invitation_grant(*, invitation: Invitation, user: User) -> None:
    """The team role of an accepted invitation, and the grants that follow from it."""
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
    if invitation.role in COMPANY_WIDE_ROLES:  # their view spans every partnership of the company
        company_sync_grants(company_id=invitation.organisation_id)
    else:
        partnership_sync_grants(partnership=invitation.partnership)


# What accepting grants, per kind.
_GRANTS: dict[str, Callable[..., None]] = {
    InvitationKind.TEAM: _team_invitation_grant,
    InvitationKind.ACCOUNT: account_invitation_grant,
}
