"""Reference data: the duale opleidingen of the technology industry (brochure 3.6)."""

from __future__ import annotations

# code, name, level, usual workplace hours per week, learning network
# (the contract type follows from a student's hours: the contracts app derives it)
OPLEIDINGEN = [
    (
        "elektromechanische-technieken",
        "Elektromechanische technieken duaal",
        "3de graad TSO",
        10,
        "EMd",
    ),
    (
        "onderhoudsmechanica",
        "Onderhoudsmechanica duaal",
        "3de graad (D)BSO / leertijd",
        20,
        "EMd",
    ),
    (
        "lassen-constructie",
        "Lassen-Constructie duaal",
        "3de graad (D)BSO / leertijd",
        20,
        "LASd",
    ),
    ("lasser-monteerder", "Lasser-Monteerder duaal", "7de jaar BSO", 20, "LASd"),
    (
        "mechanische-vormgevingstechnieken",
        "Mechanische vormgevingstechnieken duaal",
        "3de graad TSO",
        14,
        "MV(T)d",
    ),
    (
        "mechanische-vormgeving",
        "Mechanische vormgeving duaal",
        "3de graad BSO",
        20,
        "MV(T)d",
    ),
]


def ensure_opleidingen(opleiding_model=None) -> None:  # noqa: ANN001
    """Create or update the reference opleidingen (idempotent; used by a migration and seed_demo)."""
    if opleiding_model is None:
        from learning.models import Opleiding as opleiding_model
    for code, name, level, hours, network in OPLEIDINGEN:
        opleiding_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "workplace_hours_per_week": hours,
                "learning_network": network,
            },
        )


# The standaardtraject behind each opleiding and the beroepskwalificaties it is based on, where
# the brochure names them (2.4: EMTd rests on the beroepskwalificatie elektromecanicien). The
# minimum number of workplace hours each standaardtraject sets (brochure 2.4) is not given in
# the brochure: it stays empty until a coordinator fills it in.
STANDAARDTRAJECTEN = {
    "elektromechanische-technieken": (
        "Standaardtraject Elektromechanische technieken duaal",
        ["Elektromecanicien"],
    ),
    "lassen-constructie": ("Standaardtraject Lassen-Constructie duaal", []),
    "onderhoudsmechanica": ("Standaardtraject Onderhoudsmechanica duaal", []),
    "lasser-monteerder": ("Standaardtraject Lasser-Monteerder duaal", []),
    "mechanische-vormgevingstechnieken": (
        "Standaardtraject Mechanische vormgevingstechnieken duaal",
        [],
    ),
    "mechanische-vormgeving": ("Standaardtraject Mechanische vormgeving duaal", []),
}


def ensure_standaardtrajecten(opleiding_model=None, bk_model=None) -> None:  # noqa: ANN001
    """Name each opleiding's standaardtraject and its known beroepskwalificaties (idempotent)."""
    if opleiding_model is None or bk_model is None:
        from learning.models import Beroepskwalificatie as bk_model
        from learning.models import Opleiding as opleiding_model
    for code, (standaardtraject, kwalificaties) in STANDAARDTRAJECTEN.items():
        opleiding = opleiding_model.objects.filter(code=code).first()
        if opleiding is None:
            continue
        if not opleiding.standaardtraject:
            opleiding.standaardtraject = standaardtraject
            opleiding.save(update_fields=["standaardtraject"])
        for order, name in enumerate(kwalificaties):
            bk_model.objects.get_or_create(
                opleiding=opleiding, name=name, defaults={"order": order}
            )
