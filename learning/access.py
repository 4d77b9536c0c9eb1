"""Access to the learning catalogue: who reads and who edits leerfiche sets.

The catalogue is below partnerships (docs/ARCHITECTURE.md), so these questions need no
partnership and this module imports only ``organisations``. The rules:

* a **published** version holds no personal data and is readable by every user who belongs to
  an organisation on the installation (students and parents read the leerfiches of their own
  traject through the plan, which ``partnerships.permissions`` answers);
* a **draft** is readable by the members of the owning organisation;
* the owner's **administrators** and the set's named **editors** (``SetEditor``) author drafts
  and publish versions; an administrator of a school, training centre or sector body may start
  a new set for that organisation.

"Not yours" and "does not exist" look the same (404); "yours, but you may not" is 403.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from learning.models import Leerfiche, LeerficheSet, SetEditor, SetVersion, VersionStatus
from organisations.models import Membership, Organisation, OrganisationKind

# Organisations that write leerfiches (a company translates them into bedrijfsfiches instead).
AUTHORING_KINDS = (
    OrganisationKind.SECTOR_BODY,
    OrganisationKind.TRAINING_CENTRE,
    OrganisationKind.SCHOOL,
)


def _member_of_any(user: User) -> bool:
    return bool(user.is_authenticated) and Membership.objects.filter(user=user).exists()


def has_membership(*, user: User) -> bool:
    """Whether the user belongs to an organisation (the catalogue's readers)."""
    return _member_of_any(user)


def organisations_authoring_for(*, user: User) -> QuerySet[Organisation]:
    """Organisations for which the user may start a new set (administrator, authoring kind)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_admin=True, kind__in=AUTHORING_KINDS
    )


def sets_editable_by(*, user: User) -> QuerySet[LeerficheSet]:
    if not user.is_authenticated:
        return LeerficheSet.objects.none()
    admin_of = Membership.objects.filter(user=user, is_admin=True).values("organisation_id")
    editor_of = SetEditor.objects.filter(
        user=user, leerfiche_set__owner__memberships__user=user
    ).values("leerfiche_set_id")
    return LeerficheSet.objects.filter(Q(owner_id__in=admin_of) | Q(pk__in=editor_of))


def may_edit_set(*, user: User, leerfiche_set: LeerficheSet) -> bool:
    return sets_editable_by(user=user).filter(pk=leerfiche_set.pk).exists()


def versions_readable_by(*, user: User) -> QuerySet[SetVersion]:
    """Published versions (for anyone in an organisation) and the drafts of the user's own."""
    if not _member_of_any(user):
        return SetVersion.objects.none()
    own = Membership.objects.filter(user=user).values("organisation_id")
    return SetVersion.objects.filter(
        Q(status=VersionStatus.PUBLISHED) | Q(leerfiche_set__owner_id__in=own)
    )


def sets_readable_by(*, user: User) -> QuerySet[LeerficheSet]:
    """Sets with at least one version the user may read."""
    return LeerficheSet.objects.filter(
        pk__in=versions_readable_by(user=user).values("leerfiche_set_id")
    )


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, ValidationError) as error:
        raise Http404 from error


def get_version_for_reader(*, user: User, public_id: uuid.UUID | str) -> SetVersion:
    """A version the user may read, or 404."""
    try:
        return (
            versions_readable_by(user=user)
            .select_related("leerfiche_set__opleiding")
            .get(public_id=_uuid(public_id))
        )
    except SetVersion.DoesNotExist as error:
        raise Http404 from error


def get_set_for_reader(*, user: User, public_id: uuid.UUID | str) -> LeerficheSet:
    try:
        return (
            sets_readable_by(user=user)
            .select_related("owner", "opleiding")
            .get(public_id=_uuid(public_id))
        )
    except LeerficheSet.DoesNotExist as error:
        raise Http404 from error


def get_set_for_editor(*, user: User, public_id: uuid.UUID | str) -> LeerficheSet:
    """A set the user may edit; 404 when the user may not even read it, 403 when only read."""
    leerfiche_set = get_set_for_reader(user=user, public_id=public_id)
    if not may_edit_set(user=user, leerfiche_set=leerfiche_set):
        raise PermissionDenied
    return leerfiche_set


def get_version_for_editor(*, user: User, public_id: uuid.UUID | str) -> SetVersion:
    """A version of a set the user may edit: 404 when the user may not read it, 403 when only
    read. The version may still be published: ``learning.services.versions.editable`` (called
    by every write) refuses it; views check ``is_published`` first to say so clearly."""
    version = get_version_for_reader(user=user, public_id=public_id)
    if not may_edit_set(user=user, leerfiche_set=version.leerfiche_set):
        raise PermissionDenied
    return version


def editor_candidates(*, leerfiche_set: LeerficheSet) -> QuerySet[User]:
    """Members of the owning organisation who may be named editor (not administrators, who
    edit anyway, and not the editors already named)."""
    return (
        User.objects.filter(
            memberships__organisation_id=leerfiche_set.owner_id, memberships__is_admin=False
        )
        .exclude(pk__in=SetEditor.objects.filter(leerfiche_set=leerfiche_set).values("user_id"))
        .order_by("full_name", "email")
    )


def get_leerfiche_for_reader(*, user: User, public_id: uuid.UUID | str) -> Leerfiche:
    """A leerfiche of a version the user may read (with its theme, version and set), or 404."""
    try:
        return (
            Leerfiche.objects.filter(version__in=versions_readable_by(user=user))
            .select_related(
                "theme", "version__leerfiche_set__owner", "version__leerfiche_set__opleiding"
            )
            .get(public_id=_uuid(public_id))
        )
    except Leerfiche.DoesNotExist as error:
        raise Http404 from error


def may_manage_editors(*, user: User, leerfiche_set: LeerficheSet) -> bool:
    """The owner's administrators name the set's editors."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=leerfiche_set.owner_id, is_admin=True
        ).exists()
    )
