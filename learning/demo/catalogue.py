"""Demo data of learning: the catalogue (registered with ``duaal.demo``).

``learning.catalogue``: the sector body of the demo cast owns the two leerfiche sets of
``learning/seeds/`` (Lassen-Constructie duaal, Elektromechanische technieken duaal), imported
with ``learning.interchange`` and published as version 1. Idempotent: a set the sector body
already has is left as it is (a second seed adds nothing).
"""

from __future__ import annotations

import json
from pathlib import Path

from duaal import demo
from learning import interchange
from learning.models import LeerficheSet
from learning.services import versions
from organisations.models import Organisation

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = ("lassen-constructie.json", "elektromechanische-technieken.json")
SECTOR_BODY = "Sectoraal Partnerschap Technologische Industrie"


def seed_data(filename: str) -> dict:
    """The parsed content of one seed file."""
    return json.loads((SEEDS / filename).read_text(encoding="utf-8"))


@demo.register("learning.catalogue", after=("organisations.cast",))
def seed_catalogue(*, password: str) -> demo.DemoReport:
    owner = Organisation.objects.get(name=SECTOR_BODY)
    created = 0
    for filename in SEED_FILES:
        data = seed_data(filename)
        if LeerficheSet.objects.filter(owner=owner, name=data["set"]["name"]).exists():
            continue
        version = interchange.import_version(data, owner=owner)
        versions.publish(version=version, change_note=data["version"]["change_note"])
        created += 1
    sets = LeerficheSet.objects.filter(owner=owner).count()
    return demo.DemoReport(
        summary=f"{sets} published leerfiche sets of {owner.name} ({created} new)"
    )
