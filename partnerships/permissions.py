"""Access checks for organisations: fetch and authorise in one call.

"Not yours" and "does not exist" look the same (404); "yours, but your role may not" is 403.
Model-wide permissions and superuser flags never open tenant data here.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from partnerships.models import (
    Membership,
    Partnership,
    PartnershipGroupObjectPermission,
    PartnershipUserObjectPermission,
    Traject,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)


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


# --- Partnerships and trajects: object permissions (django-guardian's direct-FK tables) -----
# Reads go straight to the permission tables: guardian's own checkers answer "yes" to every
# superuser, and the access model says a platform flag never opens tenant data.


def _visible(model_user_perms, model_group_perms, user: User, codename: str) -> Q:
    """Q matching objects on which ``user`` holds ``codename`` directly or through a group.

    Two uncorrelated ID subqueries: the database computes each set once (hash semi-join)
    instead of probing per row, which keeps the filtered list as fast as the unfiltered one
    (see `make bench`).
    """
    direct = model_user_perms.objects.filter(user_id=user.pk, permission__codename=codename)
    via_group = model_group_perms.objects.filter(group__user=user.pk, permission__codename=codename)
    return Q(pk__in=direct.values("content_object_id")) | Q(
        pk__in=via_group.values("content_object_id")
    )


def trajects_visible_to(*, user: User) -> QuerySet[Traject]:
    """Trajects ``user`` may see, filtered in the database (two EXISTS subqueries)."""
    if not user.is_authenticated:
        return Traject.objects.none()
    return Traject.objects.filter(
        _visible(TrajectUserObjectPermission, TrajectGroupObjectPermission, user, "view_traject")
    )


def partnerships_visible_to(*, user: User) -> QuerySet[Partnership]:
    """Partnerships ``user`` may see (members of the team with at least one RACI letter)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        _visible(
            PartnershipUserObjectPermission,
            PartnershipGroupObjectPermission,
            user,
            "view_partnership",
        )
    )


def partnerships_with_permission(*, user: User, codename: str) -> QuerySet[Partnership]:
    """Partnerships on which ``user`` holds ``codename`` (directly or through a role group)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        _visible(PartnershipUserObjectPermission, PartnershipGroupObjectPermission, user, codename)
    )


def traject_permissions(*, user: User, traject: Traject) -> set[str]:
    """Codenames ``user`` holds on ``traject`` (one query)."""
    direct = TrajectUserObjectPermission.objects.filter(
        user_id=user.pk, content_object=traject
    ).values("permission__codename")
    via_group = TrajectGroupObjectPermission.objects.filter(
        group__user=user.pk, content_object=traject
    ).values("permission__codename")
    return {row["permission__codename"] for row in direct.union(via_group)}


def partnership_permissions(*, user: User, partnership: Partnership) -> set[str]:
    """Codenames ``user`` holds on ``partnership`` (one query)."""
    direct = PartnershipUserObjectPermission.objects.filter(
        user_id=user.pk, content_object=partnership
    ).values("permission__codename")
    via_group = PartnershipGroupObjectPermission.objects.filter(
        group__user=user.pk, content_object=partnership
    ).values("permission__codename")
    return {row["permission__codename"] for row in direct.union(via_group)}


def _parse_uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def get_traject_for_user(
    *, user: User, traject_id: uuid.UUID | str, perm: str | None = None
) -> Traject:
    """The traject if ``user`` may see it, else 404; 403 when ``perm`` is given and not held.

    The returned object carries ``user_perms``: the set of codenames the user holds on it.
    """
    if not user.is_authenticated:
        raise Http404
    traject = (
        trajects_visible_to(user=user)
        .select_related(
            "student",
            "student__school_class",
            "partnership",
            "partnership__school",
            "partnership__opleiding",
        )
        .filter(public_id=_parse_uuid(traject_id))
        .first()
    )
    if traject is None:
        raise Http404
    traject.user_perms = traject_permissions(user=user, traject=traject)
    if perm is not None and perm not in traject.user_perms:
        raise PermissionDenied
    return traject


def get_partnership_for_user(
    *, user: User, partnership_id: uuid.UUID | str, perm: str | None = None
) -> Partnership:
    """The partnership if ``user`` may see it, else 404; 403 when ``perm`` is not held."""
    if not user.is_authenticated:
        raise Http404
    partnership = (
        partnerships_visible_to(user=user)
        .select_related("school", "training_centre", "opleiding")
        .filter(public_id=_parse_uuid(partnership_id))
        .first()
    )
    if partnership is None:
        raise Http404
    partnership.user_perms = partnership_permissions(user=user, partnership=partnership)
    if perm is not None and perm not in partnership.user_perms:
        raise PermissionDenied
    return partnership


def may_manage_team_side(*, user: User, partnership: Partnership, organisation_id: int) -> bool:
    """Whether a ``manage_team`` holder may add, invite or remove people of ``organisation_id``.

    School-side people run the partnership and manage the whole team; anyone else manages only
    the people of their own organisation (a company coordinator cannot remove a teacher).
    """
    member_of = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    return partnership.school_id in member_of or organisation_id in member_of


# --- Questions of the engine plug-ins (partnerships/reminders.py, documents.py, agenda.py) ---
# Kept apart from the helpers above: the reminder, document and agenda engines ask these
# through the partnerships plug-ins, never directly.

# Who follows the reminders of a partnership: the people who run its team or approve for it.
REMINDER_OVERVIEW_PERMISSIONS = ("manage_team", "approve_partnership")


def partnerships_overseen_by(*, user: User) -> QuerySet[Partnership]:
    """Partnerships whose reminders ``user`` follows (``REMINDER_OVERVIEW_PERMISSIONS``)."""
    allowed = Q()
    for codename in REMINDER_OVERVIEW_PERMISSIONS:
        allowed |= Q(pk__in=partnerships_with_permission(user=user, codename=codename).values("pk"))
    return Partnership.objects.filter(allowed)


def oversees_partnership(*, partnership: Partnership) -> bool:
    """Whether the holder of ``partnership.user_perms`` (``get_partnership_for_user``) follows
    its reminders."""
    return bool(set(partnership.user_perms) & set(REMINDER_OVERVIEW_PERMISSIONS))


def role_sees_placement(
    *, role: str, organisation_id: int, company_id: int, supervises: bool
) -> bool:
    """Whether a team member in ``role`` of ``organisation_id`` sees the student of a
    placement in ``company_id`` (``supervises``: the member is its mentor or begeleider).

    The scope rule of the access model (ARCHITECTURE.md item 3) with the role sets the grants
    service uses, for code that picks recipients among RACI holders without a traject grant
    query per person: a mail about a student goes only to people who may see that student.
    """
    from partnerships.services.grants import (
        COMPANY_WIDE_ROLES,
        PARTNERSHIP_WIDE_ROLES,
        SUPERVISOR_ROLES,
    )

    if role in PARTNERSHIP_WIDE_ROLES:
        return True
    if role in COMPANY_WIDE_ROLES:
        return organisation_id == company_id
    return role in SUPERVISOR_ROLES and supervises
