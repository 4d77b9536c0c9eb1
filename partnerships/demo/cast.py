"""The partnerships of the demo cast (ARCHITECTURE.md): partnerships A1, A2 and B1, their
teams, the classes and the students with their placements. Organisations and people are in
``organisations.demo``; keys like ``"school_a"`` and e-mail addresses refer to those.

Tests and the demo seed both read this module, so the cast is defined once. Later features
extend the demo data; they never rename the cast.
"""

from __future__ import annotations

from dataclasses import dataclass

CLASSES = {"school_a": ["6 LAS", "6 EMT", "7 LAM"], "school_b": ["6 LAS"]}


@dataclass(frozen=True)
class DemoPartnership:
    key: str
    name: str
    school: str
    opleiding: str  # Opleiding.code
    companies: tuple[str, ...]
    training_centre: str | None
    team: tuple[tuple[str, str], ...]  # (e-mail, TeamRole value)


PARTNERSHIPS: tuple[DemoPartnership, ...] = (
    DemoPartnership(
        "A1",
        "Lassen-Constructie duaal",
        "school_a",
        "lassen-constructie",
        ("company_x",),
        "training_centre",
        (
            ("tb@sintjozef.demo", "trajectbegeleider"),
            ("coord@sintjozef.demo", "coordinator_school"),
            ("lk@sintjozef.demo", "leerkracht"),
            ("directie@sintjozef.demo", "directie_school"),
            ("mentor@vandenberghe.demo", "mentor"),
            ("mentor2@vandenberghe.demo", "mentor"),
            ("coord@vandenberghe.demo", "coordinator_bedrijf"),
            ("directie@vandenberghe.demo", "directie_bedrijf"),
            ("oc@octl.demo", "opleidingscentrum"),
        ),
    ),
    DemoPartnership(
        "A2",
        "Elektromechanische technieken duaal",
        "school_a",
        "elektromechanische-technieken",
        ("company_z",),
        None,
        (
            ("tb@sintjozef.demo", "trajectbegeleider"),
            ("coord@sintjozef.demo", "coordinator_school"),
            ("directie@sintjozef.demo", "directie_school"),
            ("mentor@daems.demo", "mentor"),
            ("coord@daems.demo", "coordinator_bedrijf"),
        ),
    ),
    DemoPartnership(
        "B1",
        "Lassen-Constructie duaal",
        "school_b",
        "lassen-constructie",
        ("company_x",),
        None,
        (
            ("tb@dering.demo", "trajectbegeleider"),
            ("directie@dering.demo", "directie_school"),
            ("mentor2@vandenberghe.demo", "mentor"),
            ("coord@vandenberghe.demo", "coordinator_bedrijf"),
            ("directie@vandenberghe.demo", "directie_bedrijf"),
        ),
    ),
)


@dataclass(frozen=True)
class DemoStudent:
    first_name: str
    last_name: str
    birth_date: str  # ISO
    school: str
    school_class: str
    stamnummer: str
    account: str
    partnership: str
    company: str
    mentor: str
    pattern: tuple[str, str, str, str, str]  # Monday .. Friday
    workplace_hours: str
    parent: tuple[str, str] | None = None  # (full name, e-mail)


STUDENTS: tuple[DemoStudent, ...] = (
    DemoStudent(
        "Lotte",
        "Janssens",
        "2009-03-14",
        "school_a",
        "6 LAS",
        "SJ-2024-017",
        "leerling1@sintjozef.demo",
        "A1",
        "company_x",
        "mentor@vandenberghe.demo",
        ("school", "training_centre", "company", "company", "company"),
        "22.5",
        parent=("Katrien Janssens", "ouder1@sintjozef.demo"),
    ),
    DemoStudent(
        "Mohamed",
        "El Amrani",
        "2007-11-02",
        "school_a",
        "6 LAS",
        "SJ-2023-042",
        "leerling2@sintjozef.demo",
        "A1",
        "company_x",
        "mentor2@vandenberghe.demo",
        ("school", "school", "company", "company", "company"),
        "22.5",
    ),
    DemoStudent(
        "Emma",
        "Willems",
        "2008-06-21",
        "school_a",
        "6 EMT",
        "SJ-2024-031",
        "leerling3@sintjozef.demo",
        "A2",
        "company_z",
        "mentor@daems.demo",
        ("school", "school", "school", "company", "school"),
        "8",
    ),
    DemoStudent(
        "Jonas",
        "Maes",
        "2008-01-09",
        "school_b",
        "6 LAS",
        "DR-2024-005",
        "leerling1@dering.demo",
        "B1",
        "company_x",
        "mentor2@vandenberghe.demo",
        ("company", "company", "school", "company", "school"),
        "22.5",
    ),
)
