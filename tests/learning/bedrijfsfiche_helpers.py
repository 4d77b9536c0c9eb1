"""Test set-up of the bedrijfsfiches: an adopted plan for A1 when the demo has none.

The seeded leerfiche sets and A1's plan come from other parts of the demo; until they are
there, ``adopt_plan`` builds a published set version (``make_set_version``) whose first two
leerfiches carry the demo's keys, and A1's ``Opleidingsplan``.
"""

from __future__ import annotations

import io

from learning.models import Leerfiche, Opleidingsplan, SetVersion, VersionStatus
from learning.services import bedrijfsfiches as services
from organisations.models import Organisation, OrganisationKind
from partnerships.models import Partnership
from tests.learning.factories import make_set_version

DEMO_KEYS = {
    "geintegreerde-lasopdracht": "Geïntegreerde lasopdracht",
    "veilig-lassen": "Veilig werken: lasrook, PBM en brandpreventie",
}


def a1() -> Partnership:
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def adopt_plan(partnership: Partnership | None = None) -> SetVersion:
    """The set version ``partnership`` (default A1) adopted; when there is none, it adopts the
    demo's seeded set (published, with the demo's keys) or, without one, a test set built
    with ``make_set_version`` (owned by a test organisation, not the sector body)."""
    partnership = partnership or a1()
    existing = services.adopted_version(partnership=partnership)
    if existing is not None:
        return existing
    seeded = (
        SetVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            leerfiche_set__opleiding=partnership.opleiding,
            leerfiches__key__in=list(DEMO_KEYS),
        )
        .order_by("-published_at", "-pk")
        .first()
    )
    if seeded is not None:
        Opleidingsplan.objects.create(partnership=partnership, set_version=seeded)
        return seeded
    owner, _created = Organisation.objects.get_or_create(
        name="Testsector bedrijfsfiches", defaults={"kind": OrganisationKind.SECTOR_BODY}
    )
    version = make_set_version(
        owner=owner,
        opleiding=partnership.opleiding,
        name=f"Testset {partnership.opleiding.code}",
        themes=2,
        fiches_per_theme=2,
        criteria_per_fiche=3,
    )
    fiches = list(Leerfiche.objects.filter(version=version).order_by("theme__order", "order"))
    for fiche, (key, title) in zip(fiches, DEMO_KEYS.items(), strict=False):
        fiche.key, fiche.title = key, title
        fiche.save(update_fields=["key", "title"])
    Opleidingsplan.objects.create(partnership=partnership, set_version=version)
    return version


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    from PIL import Image

    mode = "RGBA" if fmt in {"PNG", "WEBP"} else "RGB"
    image = Image.new(mode, size, (200, 40, 40, 255) if mode == "RGBA" else (200, 40, 40))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()
