"""Writes of organisations and memberships."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from duaal import audit
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
        audit.record(
            actor=actor,
            action="organisation.update",
            organisation=organisation,
            obj=organisation,
            changes=audit.diff(
                audit.snapshot(stored, fields), audit.snapshot(organisation, fields)
            ),
        )
    return organisation


@transaction.atomic
def membership_ensure(
    *,
    user: User,
    organisation: Organisation,
    is_admin: bool = False,
    job_title: str = "",
    actor: User | None = None,
) -> Membership:
    """Idempotently make ``user`` a member of ``organisation`` with this admin flag and title.

    ``actor`` is who did it (None: the system, e.g. ``seed_demo``); a change is audited.
    """
    wanted = {"is_admin": is_admin, "job_title": job_title}
    membership = (
        Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    )
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, **wanted)
        changes = audit.created({"user": audit.json_value(user), **wanted})
        action = "membership.create"
    else:
        before = audit.snapshot(membership, wanted)
        for name, value in wanted.items():
            setattr(membership, name, value)
        changes = audit.diff(before, audit.snapshot(membership, wanted))
        if not changes:
            return membership
        membership.save(update_fields=[name for name in wanted if name in changes])
        action = "membership.update"
    audit.record(
        actor=actor,
        action=action,
        organisation=organisation,
        obj=membership,
        object_label=str(user),
        changes=changes,
    )
    return membership
