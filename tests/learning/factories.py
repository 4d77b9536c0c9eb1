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


# --- the demo sets' keys (/work/notes/toc9.md), for tests before the seeded content lands ----

SECTOR_BODY = "Sectoraal Partnerschap Technologische Industrie"
TOC: dict[str, tuple[str, list[tuple[str, str, list[tuple[str, str]]]]]] = {
    "lassen-constructie": (
        "Leerfiches Lassen-Constructie duaal",
        [
            (
                "voorbereiden",
                "Voorbereiden",
                [
                    ("plan-en-tekening-lezen", "Plan en tekening lezen"),
                    ("lasnaadvoorbereiding", "Lasnaadvoorbereiding en aftekenen"),
                ],
            ),
            (
                "lassen",
                "Lassen",
                [
                    ("geintegreerde-lasopdracht", "Geïntegreerde lasopdracht"),
                    ("hoeklas-pb", "Hoeklas PB (horizontaal-verticaal)"),
                    ("stompe-las-pa", "Stompe las PA met halfautomaat"),
                    ("elektrodelassen", "Booglassen met beklede elektrode (111)"),
                    ("tig-lassen", "TIG-lassen (141)"),
                ],
            ),
            (
                "constructie",
                "Constructie en afwerking",
                [
                    ("thermisch-snijden", "Thermisch snijden en zagen"),
                    ("samenstellen-en-hechten", "Constructiedelen samenstellen en hechten"),
                    ("visuele-lascontrole", "Visuele lascontrole"),
                ],
            ),
            (
                "veiligheid",
                "Veiligheid en kwaliteit",
                [("veilig-lassen", "Veilig werken: lasrook, PBM en brandpreventie")],
            ),
        ],
    ),
    "elektromechanische-technieken": (
        "Leerfiches Elektromechanische technieken duaal",
        [
            (
                "preventief-onderhoud",
                "Preventief onderhoud",
                [
                    ("smeren", "Smeren & automatische smeersystemen"),
                    ("conditiebewaking", "Inspectierondes en conditiebewaking"),
                    ("lagers", "Lagers monteren en demonteren"),
                    ("aandrijvingen", "Riem- en kettingaandrijvingen"),
                ],
            ),
            (
                "elektrische-installaties",
                "Elektrische installaties",
                [
                    ("schemas-lezen", "Elektrische schema's lezen"),
                    ("motorsturingen", "Motorsturingen aansluiten en testen"),
                    ("elektrische-metingen", "Elektrische metingen"),
                ],
            ),
            (
                "automatisatie",
                "Automatisatie",
                [
                    ("plc-basis", "PLC: basisprogrammering en foutzoeken"),
                    ("pneumatiek-hydrauliek", "Pneumatische en hydraulische schakelingen"),
                ],
            ),
            ("veiligheid", "Veiligheid", [("veilig-stellen", "Machines veilig stellen (LOTO)")]),
        ],
    ),
}


def ensure_demo_sets() -> dict[str, SetVersion]:
    """The sector body's published sets of the demo, by opleiding code: the seeded ones when
    the demo has them, else a minimal version with the keys and titles of toc9 (no items)."""
    owner = Organisation.objects.get(name=SECTOR_BODY)
    result = {}
    for code, (name, themes) in TOC.items():
        opleiding = Opleiding.objects.get(code=code)
        existing = (
            SetVersion.objects.filter(
                leerfiche_set__owner=owner,
                leerfiche_set__opleiding=opleiding,
                status=VersionStatus.PUBLISHED,
            )
            .order_by("-number")
            .first()
        )
        if existing is not None:
            result[code] = existing
            continue
        leerfiche_set = LeerficheSet.objects.create(owner=owner, opleiding=opleiding, name=name)
        version = SetVersion.objects.create(
            leerfiche_set=leerfiche_set,
            number=1,
            status=VersionStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        for t, (theme_key, theme_title, fiches) in enumerate(themes):
            theme = Theme.objects.create(version=version, key=theme_key, title=theme_title, order=t)
            for f, (key, title) in enumerate(fiches):
                fiche = Leerfiche.objects.create(
                    version=version, theme=theme, key=key, title=title, order=f
                )
                Criterion.objects.create(leerfiche=fiche, key="criterium-1", text="Criterium 1")
        result[code] = version
    return result
