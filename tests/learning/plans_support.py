"""Helpers of the opleidingsplan tests: a partnership of the demo cast with a plan adopted
through the services, whatever the demo itself adopted (the plans start clean here)."""

from __future__ import annotations

from learning.models import Opleidingsplan, Period, SetVersion
from learning.services import plans
from organisations.models import Organisation, OrganisationKind
from partnerships.models import Partnership
from tests.learning.factories import make_set_version


def partnership(key: str) -> Partnership:
    school = (
        "Technisch Instituut Sint-Jozef"
        if key in ("A1", "A2")
        else "GO! Technisch Atheneum De Ring"
    )
    name = "Elektromechanische technieken duaal" if key == "A2" else "Lassen-Constructie duaal"
    return Partnership.objects.select_related("opleiding", "training_centre").get(
        name=name, school__name=school
    )


def sector() -> Organisation:
    owner, _created = Organisation.objects.get_or_create(
        name="Sectorale testset", defaults={"kind": OrganisationKind.SECTOR_BODY}
    )
    return owner


def version_for(
    p: Partnership, *, fiches_per_theme: int = 3, themes: int = 2, name: str = ""
) -> SetVersion:
    return make_set_version(
        owner=sector(),
        opleiding=p.opleiding,
        name=name or f"Testset {p.opleiding.code}",
        themes=themes,
        fiches_per_theme=fiches_per_theme,
        criteria_per_fiche=1,
    )


def clean(p: Partnership) -> None:
    """No plan and no periods: the state before any adoption."""
    Opleidingsplan.objects.filter(partnership=p).delete()
    Period.objects.filter(partnership=p).delete()


def adopted(p: Partnership, **kwargs: int) -> Opleidingsplan:
    clean(p)
    return plans.adopt_version(partnership=p, set_version=version_for(p, **kwargs)).plan
