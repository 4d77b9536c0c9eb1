"""Integrity of data the database cannot cascade by itself."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete
from django.dispatch import receiver

from partnerships.models import PartnershipRoleGroup


@receiver(post_delete, sender=PartnershipRoleGroup)
def delete_role_group(sender, instance: PartnershipRoleGroup, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A partnership's role group dies with it (with its members and grants)."""
    Group.objects.filter(pk=instance.group_id).delete()
