"""Writes of organisations and memberships."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from organisations.models import Membership, Organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: User, data: dict[str, str]
) -> Organisation:
    """Save validated form data on ``organisation``; the caller has checked ``actor`` is an admin.

    Only the fields whose stored value differs are written (a ModelForm may already have
    copied the new values onto the instance, so compare with the database).
    """
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    fields = [name for name, value in data.items() if getattr(stored, name) != value]
    for name in fields:
        setattr(organisation, name, data[name])
    if fields:
        organisation.full_clean()
        organisation.save(update_fields=fields)
    return organisation


@transaction.atomic
def membership_ensure(
    *, user: User, organisation: Organisation, is_admin: bool = False, job_title: str = ""
) -> Membership:
    """Idempotently make ``user`` a member of ``organisation`` with this admin flag and title."""
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"is_admin": is_admin, "job_title": job_title},
    )
    return membership
