"""Reads of organisations and memberships."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from accounts.models import User
from duaal.homes import kept_per_person
from organisations.models import Membership, Organisation


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """The user's memberships with their organisations, in one query, ordered by name."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def kept_memberships_of(*, user: User) -> list[Membership]:
    """``memberships_of`` as a list, kept like the menu with a shared cache (the organisation
    switcher shows it on every page). For display only, never for an access decision."""
    return kept_per_person("memberships", user.pk, lambda: list(memberships_of(user=user)))


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    """Members of ``organisation`` with their users; admins first."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_admin", "user__full_name")
    )


def organisations_with_member_counts(*, user: User) -> QuerySet[Organisation]:
    """The organisations ``user`` belongs to, annotated with their number of members."""
    # Filter through a subquery: filtering on the same relation as the Count would make the
    # count see only the user's own membership.
    return (
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=user).values("organisation_id")
        )
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
