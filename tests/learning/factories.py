"""Test data for learning: leerfiche sets of any size, written straight to the models.

For tests that need a set without caring about its content (the plan grid, coverage,
bedrijfsfiches, benchmarks). The seeded sets of ``learning/seeds/`` come from the demo.
"""

from __future__ import annotations

from django.utils import timezone

from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetVersion,
    Theme,
    VersionStatus,
)
from organisations.models import Organisation


def make_set_version(
    *,
    owner: Organisation,
    opleiding: Opleiding,
    name: str = "Testset",
    themes: int = 2,
    fiches_per_theme: int = 4,
    criteria_per_fiche: int = 3,
    published: bool = True,
) -> SetVersion:
    """A set with one version of ``themes × fiches_per_theme`` leerfiches (bulk-created)."""
    leerfiche_set, _created = LeerficheSet.objects.get_or_create(
        owner=owner, name=name, defaults={"opleiding": opleiding}
    )
    number = (
        leerfiche_set.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = SetVersion.objects.create(
        leerfiche_set=leerfiche_set,
        number=number,
        status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        published_at=timezone.now() if published else None,
    )
    theme_rows = Theme.objects.bulk_create(
        Theme(version=version, key=f"thema-{t + 1}", title=f"Thema {t + 1}", order=t)
        for t in range(themes)
    )
    fiches = Leerfiche.objects.bulk_create(
        Leerfiche(
            version=version,
            theme=theme,
            key=f"leerfiche-{t + 1}-{f + 1}",
            title=f"Leerfiche {t + 1}.{f + 1}",
            order=f,
            intro_kennen="De leerling kent …",
            intro_kunnen="De leerling kan …",
        )
        for t, theme in enumerate(theme_rows)
        for f in range(fiches_per_theme)
    )
    LeerficheItem.objects.bulk_create(
        LeerficheItem(leerfiche=fiche, kind=ItemKind.LEERDOEL, order=0, text="Een leerdoel")
        for fiche in fiches
    )
    Criterion.objects.bulk_create(
        Criterion(
            leerfiche=fiche, key=f"criterium-{c + 1}", order=c, text=f"Criterium {c + 1}", code="S"
        )
        for fiche in fiches
        for c in range(criteria_per_fiche)
    )
    return version
