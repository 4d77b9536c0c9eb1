"""Reference data: the duale opleidingen of the technology industry (brochure 3.6)."""

from __future__ import annotations

# code, name, level, workplace hours per week, contract type, learning network
OPLEIDINGEN = [
    (
        "elektromechanische-technieken",
        "Elektromechanische technieken duaal",
        "3de graad TSO",
        10,
        "SOAO",
        "EMd",
    ),
    (
        "onderhoudsmechanica",
        "Onderhoudsmechanica duaal",
        "3de graad (D)BSO / leertijd",
        20,
        "OAO",
        "EMd",
    ),
    (
        "lassen-constructie",
        "Lassen-Constructie duaal",
        "3de graad (D)BSO / leertijd",
        20,
        "OAO",
        "LASd",
    ),
    ("lasser-monteerder", "Lasser-Monteerder duaal", "7de jaar BSO", 20, "OAO", "LASd"),
    (
        "mechanische-vormgevingstechnieken",
        "Mechanische vormgevingstechnieken duaal",
        "3de graad TSO",
        14,
        "SOAO",
        "MV(T)d",
    ),
    (
        "mechanische-vormgeving",
        "Mechanische vormgeving duaal",
        "3de graad BSO",
        20,
        "OAO",
        "MV(T)d",
    ),
]


def ensure_opleidingen(opleiding_model=None) -> None:  # noqa: ANN001
    """Create or update the reference opleidingen (idempotent; used by a migration and seed_demo)."""
    if opleiding_model is None:
        from learning.models import Opleiding as opleiding_model
    for code, name, level, hours, contract, network in OPLEIDINGEN:
        opleiding_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "workplace_hours_per_week": hours,
                "contract_type": contract,
                "learning_network": network,
            },
        )
