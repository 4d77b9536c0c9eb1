"""Access to an organisation's own data: its members, and among them its administrators.

Organisation-internal data (members, settings) is visible to members only. "Not a member" and
"does not exist" look the same (404); "a member, but not an administrator" is 403.
``partnerships.permissions`` re-exports these checks, so higher apps ask one module.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from organisations.models import Membership


def _membership(*, user: User, organisation_public_id: uuid.UUID | str) -> Membership:
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("organisation").get(
            user=user, organisation__public_id=organisation_public_id
        )
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_membership_for_member(*, user: User, organisation_public_id: uuid.UUID | str) -> Membership:
    """The user's membership of the organisation; 404 when the user is not a member."""
    return _membership(user=user, organisation_public_id=organisation_public_id)


def get_membership_for_admin(*, user: User, organisation_public_id: uuid.UUID | str) -> Membership:
    """Like ``get_membership_for_member``; 403 when the member is not an administrator."""
    membership = _membership(user=user, organisation_public_id=organisation_public_id)
    if not membership.is_admin:
        raise PermissionDenied
    return membership
