"""Integrity of data the database cannot cascade by itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from duaal.homes import invalidate_navigation
from organisations.models import Membership, Organisation
from partnerships.models import PartnershipRoleGroup, Student, StudentContact, Traject

# Sent by ``services.trajects.traject_update`` inside its transaction, before it records that a
# traject ends (completed or stopped early), with ``traject``, ``actor``, ``status``,
# ``ended_on`` and ``reason``. A higher app that must end its own rows with the traject (the
# contracts app ends the running contract) listens; each receiver returns a dict of changes
# ``{key: (old, new)}`` that the traject's ONE "Traject ended" audit entry lists, and records
# nothing itself. A receiver that raises ``ValidationError`` stops the ending.
traject_ending = Signal()

# Sent by ``services.trajects.placement_create``, ``placement_update`` and ``placement_delete``
# inside their transaction, after the change, with ``traject``, ``actor`` and ``company_ids``
# (the companies whose placements of the traject changed: for a move, the old and the new one),
# when what a placement says about the student's time at the company changed: its period,
# weekly pattern, hours, vestiging or company (not its mentors). A higher app whose rows follow
# the placements (the contracts app re-derives a contract's hours) listens; a receiver that
# raises ``ValidationError`` stops the change.
placements_changed = Signal()


@receiver(post_delete, sender=PartnershipRoleGroup)
def delete_role_group(sender, instance: PartnershipRoleGroup, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A partnership's role group dies with it (with its members and grants)."""
    Group.objects.filter(pk=instance.group_id).delete()


# The main menu's answers (``duaal.homes.nav_for``, kept per person when a shared cache is
# configured) come from grants, memberships and the students' names and contacts. The grants
# service bumps the menu's version when it writes grants (``services.grants._apply``); these
# receivers cover the rest, including the grants a deletion cascades to (a traject's, a
# user's with their memberships). No receiver on the grant tables themselves: it would turn
# their fast cascading deletes into row-by-row ones. The organisation switcher's memberships
# are kept the same way (``organisations.middleware``): they name the organisations.
MENU_SOURCES_SAVED = (Membership, Organisation, Student, StudentContact)
MENU_SOURCES_DELETED = (Membership, Student, StudentContact, Traject)


def _menu_source_changed(sender: Any, **kwargs: Any) -> None:
    invalidate_navigation()


for _model in MENU_SOURCES_SAVED:
    post_save.connect(_menu_source_changed, sender=_model, dispatch_uid=f"nav-save-{_model}")
for _model in MENU_SOURCES_DELETED:
    post_delete.connect(_menu_source_changed, sender=_model, dispatch_uid=f"nav-del-{_model}")
