"""The demo data of organisations (plug-in of the demo seed, ``duaal.demo``).

``organisations.cast``: the organisations and people of the demo cast of ARCHITECTURE.md,
with their memberships and the companies' vestigingen; ``seed_demo`` lists the people with the
password to log in with. Tests read the cast from here too, so it is defined once. Later
features extend the demo data; they never rename the cast.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from accounts.models import User
from duaal import demo
from organisations.models import Organisation, Vestiging
from organisations.services import membership_ensure


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: str
    domain: str
    instellingsnummer: str = ""
    ondernemingsnummer: str = ""
    paritair_comite: str = ""
    findable: bool = False  # companies: listed for schools they do not work with yet


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
        # Opted in: De Ring, which works only with Vandenberghe, can find Daems as a partner.
        findable=True,
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
    # contracts (issue 11): Noor starts at company X three weeks after seeding; her OAO waits
    # for the company's and her mother's signatures (contracts/demo.py).
    DemoPerson(
        "leerling4@sintjozef.demo",
        "Noor Peeters",
        "Noor Peeters, minor, A1 at company X from three weeks after seeding",
        None,
    ),
    DemoPerson("ouder2@sintjozef.demo", "Sofie Peeters", "parent of Noor Peeters", None),
)


# organisation key -> (vestigingsnummer, name, street, postcode, city)
VESTIGINGEN = {
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


@demo.register("organisations.cast")
def cast_organisations_and_people(*, password: str) -> demo.DemoReport:
    """The cast's organisations, vestigingen, accounts (all with ``password``) and
    memberships; idempotent."""
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=spec.name,
            kind=spec.kind,
            defaults={
                "instellingsnummer": spec.instellingsnummer,
                "ondernemingsnummer": spec.ondernemingsnummer,
                "paritair_comite": spec.paritair_comite,
                "email_domain": spec.domain,
                "findable": spec.findable,
            },
        )
        organisations[spec.key] = organisation
    for key, (number, name, street, postcode, city) in VESTIGINGEN.items():
        Vestiging.objects.update_or_create(
            vestigingsnummer=number,
            defaults={
                "organisation": organisations[key],
                "name": name,
                "street": street,
                "postcode": postcode,
                "city": city,
            },
        )

    # One hash for all: the same password, and a fast seed.
    password_hash = make_password(password)
    for person in PEOPLE:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User(email=person.email)
        user.full_name = person.full_name
        user.password = password_hash
        user.is_active = True
        user.save()
        if person.organisation:
            membership_ensure(
                user=user,
                organisation=organisations[person.organisation],
                is_admin=person.is_admin,
                job_title=person.job_title,
            )
    return demo.DemoReport(
        summary=f"Demo cast ready: {len(ORGANISATIONS)} organisations, {len(PEOPLE)} people.",
        accounts=[(person.email, person.role) for person in PEOPLE],
    )
