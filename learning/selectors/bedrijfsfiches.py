"""Reads of the bedrijfsfiches pages (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learning.models import (
    Bedrijfsfiche,
    BedrijfsficheVersion,
    Criterion,
    ItemKind,
    LeerficheItem,
    VersionStatus,
)
from partnerships.models import Partnership


@dataclass
class FicheRow:
    bedrijfsfiche: Bedrijfsfiche
    current: BedrijfsficheVersion  # the draft if there is one, else the latest version
    published: BedrijfsficheVersion | None  # the latest published version


@dataclass
class VestigingGroup:
    vestiging: Any
    rows: list[FicheRow] = field(default_factory=list)


def bedrijfsfiches_by_vestiging(*, partnership: Partnership) -> list[VestigingGroup]:
    """The partnership's bedrijfsfiches per vestiging, each with its current and latest
    published version (two queries)."""
    fiches = list(
        Bedrijfsfiche.objects.filter(partnership=partnership)
        .select_related("vestiging__organisation")
        .order_by("vestiging__name", "leerfiche_key")
    )
    versions: dict[int, list[BedrijfsficheVersion]] = {}
    for version in BedrijfsficheVersion.objects.filter(
        bedrijfsfiche__partnership=partnership
    ).order_by("-number"):
        versions.setdefault(version.bedrijfsfiche_id, []).append(version)
    groups: dict[int, VestigingGroup] = {}
    for fiche in fiches:
        own = versions.get(fiche.pk, [])
        if not own:
            continue
        draft = next((v for v in own if v.status == VersionStatus.DRAFT), None)
        published = next((v for v in own if v.status == VersionStatus.PUBLISHED), None)
        group = groups.setdefault(fiche.vestiging_id, VestigingGroup(vestiging=fiche.vestiging))
        group.rows.append(FicheRow(fiche, draft or own[0], published))
    for group in groups.values():
        group.rows.sort(key=lambda row: row.current.title.lower())
    return list(groups.values())


def leerfiche_parts(*, version: BedrijfsficheVersion) -> dict[str, Any]:
    """The leerfiche's leerdoelen and criteria, read-only (two queries)."""
    return {
        "leerdoelen": list(
            LeerficheItem.objects.filter(
                leerfiche_id=version.leerfiche_id, kind=ItemKind.LEERDOEL
            ).order_by("order", "pk")
        ),
        "criteria": list(
            Criterion.objects.filter(leerfiche_id=version.leerfiche_id).order_by("order", "pk")
        ),
    }


def steps(version: BedrijfsficheVersion) -> list[str]:
    """The werkvorm's steps: one per non-empty line."""
    return [line.strip() for line in version.werkvorm_steps.splitlines() if line.strip()]


def other_versions(*, version: BedrijfsficheVersion, drafts: bool) -> list[BedrijfsficheVersion]:
    qs = BedrijfsficheVersion.objects.filter(bedrijfsfiche_id=version.bedrijfsfiche_id)
    if not drafts:
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    return list(qs.order_by("-number").only("public_id", "number", "status", "published_at"))
