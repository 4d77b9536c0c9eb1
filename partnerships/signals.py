"""Integrity of data the database cannot cascade by itself."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from partnerships.models import PartnershipRoleGroup

# Sent by ``services.trajects.traject_update`` inside its transaction, before it records that a
# traject ends (completed or stopped early), with ``traject``, ``actor``, ``status``,
# ``ended_on`` and ``reason``. A higher app that must end its own rows with the traject (the
# contracts app ends the running contract) listens; each receiver returns a dict of changes
# ``{key: (old, new)}`` that the traject's ONE "Traject ended" audit entry lists, and records
# nothing itself. A receiver that raises ``ValidationError`` stops the ending.
traject_ending = Signal()


@receiver(post_delete, sender=PartnershipRoleGroup)
def delete_role_group(sender, instance: PartnershipRoleGroup, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A partnership's role group dies with it (with its members and grants)."""
    Group.objects.filter(pk=instance.group_id).delete()
