"""Reads of the catalogue pages: opleidingen, leerfiche sets, versions and leerfiches.

A fixed number of queries per page whatever the number of leerfiches, items or criteria
(prefetches and subquery counts, never a query per row). Who may read what is
``learning.access``'s answer; these functions take what it returned.

Layering: the catalogue imports no domain app but ``organisations``.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from learning import access
from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetEditor,
    SetVersion,
    Theme,
)


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` (already filtered on ``OuterRef``)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("leerfiche_id").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def leerfiches_with_counts() -> QuerySet[Leerfiche]:
    """Leerfiches with ``leerdoel_count`` and ``criterion_count`` (two subqueries)."""
    return Leerfiche.objects.annotate(
        leerdoel_count=_count(
            LeerficheItem.objects.filter(leerfiche=OuterRef("pk"), kind=ItemKind.LEERDOEL)
        ),
        criterion_count=_count(Criterion.objects.filter(leerfiche=OuterRef("pk"))),
    ).order_by("order", "pk")


def catalogue_opleidingen() -> list[Opleiding]:
    """The active opleidingen with their beroepskwalificaties (two queries)."""
    return list(Opleiding.objects.filter(active=True).prefetch_related("beroepskwalificaties"))


def catalogue_sets(*, user: User) -> list[LeerficheSet]:
    """The sets ``user`` may read, each with ``readable_versions`` (newest first): the
    published ones, and the draft for members of the owner (three queries)."""
    return list(
        access.sets_readable_by(user=user)
        .select_related("owner", "opleiding")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=access.versions_readable_by(user=user).order_by("-number"),
                to_attr="readable_versions",
            )
        )
    )


def set_versions(*, user: User, leerfiche_set: LeerficheSet) -> list[SetVersion]:
    """The versions of the set ``user`` may read, newest first."""
    return list(
        access.versions_readable_by(user=user)
        .filter(leerfiche_set=leerfiche_set)
        .select_related("published_by")
        .annotate(leerfiche_count=Count("leerfiches"))
        .order_by("-number")
    )


def set_editors(*, leerfiche_set: LeerficheSet) -> list[SetEditor]:
    return list(
        SetEditor.objects.filter(leerfiche_set=leerfiche_set)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def version_themes(*, version: SetVersion) -> list[Theme]:
    """The themes of ``version`` in order, each with its leerfiches (with counts), in two
    queries whatever the size of the version."""
    return list(
        Theme.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("leerfiches", queryset=leerfiches_with_counts()))
    )


def with_content(leerfiches: list[Leerfiche]) -> list[Leerfiche]:
    """Prefetch what ``learning/includes/leerfiche_body.html`` renders (items and criteria in
    order): two queries for any number of leerfiches."""
    prefetch_related_objects(
        leerfiches,
        Prefetch("items", queryset=LeerficheItem.objects.order_by("kind", "order", "pk")),
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")),
    )
    return leerfiches
