"""The demo cast of ARCHITECTURE.md: fictional organisations, people, partnerships, students.

Tests and the demo seed (``partnerships.demo``) both read this module, so the cast is defined
once. Later features extend the demo data; they never rename the cast.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: str
    domain: str
    instellingsnummer: str = ""
    ondernemingsnummer: str = ""
    paritair_comite: str = ""


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str  # what the README lists
    organisation: str | None  # key of the organisation of which the person is a member
    is_admin: bool = False
    job_title: str = ""


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "school_a",
        "Technisch Instituut Sint-Jozef",
        "school",
        "sintjozef.demo",
        instellingsnummer="999101",
    ),
    DemoOrganisation(
        "school_b",
        "GO! Technisch Atheneum De Ring",
        "school",
        "dering.demo",
        instellingsnummer="999202",
    ),
    DemoOrganisation(
        "company_x",
        "Metaalbouw Vandenberghe",
        "company",
        "vandenberghe.demo",
        ondernemingsnummer="0461728314",
        paritair_comite="111",
    ),
    DemoOrganisation(
        "company_z",
        "Koeltechniek Daems",
        "company",
        "daems.demo",
        ondernemingsnummer="0735412626",
        paritair_comite="111",
    ),
    DemoOrganisation(
        "training_centre",
        "Opleidingscentrum Techniek Limburg",
        "training_centre",
        "octl.demo",
        ondernemingsnummer="0812563456",
    ),
    DemoOrganisation(
        "sector",
        "Sectoraal Partnerschap Technologische Industrie",
        "sector_body",
        "sector.demo",
        ondernemingsnummer="0549281702",
    ),
)

PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "tb@sintjozef.demo",
        "An Peeters",
        "trajectbegeleider A1 + A2",
        "school_a",
        job_title="Trajectbegeleider duaal",
    ),
    DemoPerson(
        "coord@sintjozef.demo",
        "Koen Wouters",
        "coördinator duaal school A1 + A2",
        "school_a",
        is_admin=True,
        job_title="Coördinator duaal",
    ),
    DemoPerson(
        "lk@sintjozef.demo",
        "Sofie Claes",
        "leerkracht duaal A1",
        "school_a",
        job_title="Leerkracht duaal",
    ),
    DemoPerson(
        "directie@sintjozef.demo",
        "Marc Goossens",
        "directie school A",
        "school_a",
        is_admin=True,
        job_title="Directeur",
    ),
    DemoPerson(
        "tb@dering.demo",
        "Els Jacobs",
        "trajectbegeleider B1",
        "school_b",
        job_title="Trajectbegeleider duaal",
    ),
    DemoPerson(
        "directie@dering.demo",
        "Luc Mertens",
        "directie school B",
        "school_b",
        is_admin=True,
        job_title="Directeur",
    ),
    DemoPerson(
        "mentor@vandenberghe.demo",
        "Patrick Hermans",
        "mentor of Lotte Janssens (A1)",
        "company_x",
        job_title="Mentor",
    ),
    DemoPerson(
        "mentor2@vandenberghe.demo",
        "Tom Lambrechts",
        "mentor of Mohamed El Amrani (A1) and Jonas Maes (B1)",
        "company_x",
        job_title="Mentor",
    ),
    DemoPerson(
        "coord@vandenberghe.demo",
        "Nathalie Vandenberghe",
        "coördinator company X",
        "company_x",
        is_admin=True,
        job_title="Coördinator duaal",
    ),
    DemoPerson(
        "directie@vandenberghe.demo",
        "Geert Vandenberghe",
        "directie company X",
        "company_x",
        is_admin=True,
        job_title="Zaakvoerder",
    ),
    DemoPerson(
        "mentor@daems.demo",
        "Jan Smets",
        "mentor of Emma Willems (A2)",
        "company_z",
        job_title="Mentor",
    ),
    DemoPerson(
        "coord@daems.demo",
        "Ilse Daems",
        "coördinator company Z",
        "company_z",
        is_admin=True,
        job_title="Coördinator duaal",
    ),
    DemoPerson(
        "oc@octl.demo",
        "Karel Vermeulen",
        "training centre in A1",
        "training_centre",
        is_admin=True,
        job_title="Opleidingsverantwoordelijke",
    ),
    DemoPerson(
        "consulent@sector.demo",
        "Inge De Smet",
        "sector consultant (recognition)",
        "sector",
        job_title="Consulent erkenningen",
    ),
    # Students and parents are bound to a traject (next issue), not members of an organisation.
    DemoPerson(
        "leerling1@sintjozef.demo", "Lotte Janssens", "Lotte Janssens, minor, A1 at company X", None
    ),
    DemoPerson(
        "leerling2@sintjozef.demo", "Mohamed El Amrani", "Mohamed El Amrani, A1 at company X", None
    ),
    DemoPerson("leerling3@sintjozef.demo", "Emma Willems", "Emma Willems, A2 at company Z", None),
    DemoPerson("leerling1@dering.demo", "Jonas Maes", "Jonas Maes, B1 at company X", None),
    DemoPerson("ouder1@sintjozef.demo", "Katrien Janssens", "parent of Lotte Janssens", None),
)


# --- Partnerships, students and placements (issue 3) ---------------------------------------

VESTIGINGEN = {
    # organisation key -> (vestigingsnummer, name, street, postcode, city)
    "company_x": (
        "2234567125",
        "Metaalbouw Vandenberghe – Genk",
        "Industrieweg 12",
        "3600",
        "Genk",
    ),
    "company_z": (
        "2345678249",
        "Koeltechniek Daems – Hasselt",
        "Kempische Steenweg 210",
        "3500",
        "Hasselt",
    ),
}

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
