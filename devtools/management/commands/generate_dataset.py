"""Build a large, realistic, deterministic tenant for benchmarks: ``generate_dataset``.

The same ``--students`` and ``--seed`` (and school year) give the same names and the same
structure: every random choice comes from one ``random.Random(seed)``, in a fixed order.
Everything is written with ``bulk_create``; the grants are then recomputed by the one grants
service, per partnership, exactly as the application does it.

Generated data is recognisable, so ``--reset`` can remove it without touching anything else:
users have e-mail addresses under ``.gen.invalid`` and organisation names start with
``[gen] ``.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from contracts.checklist import is_minor, item_specs
from contracts.models import (
    ChecklistItem,
    Contract,
    ContractParty,
    ContractState,
    PartyRole,
    Signature,
    SignatureMethod,
)
from dashboards.models import LeerficheSummary, PeriodSummary, TrajectSummary, WeekSummary
from evaluation.models import (
    CheckinBehaviour,
    Correction,
    CriterionScore,
    Evaluation,
    ItemAnswer,
    Session,
    WeeklyCheckin,
    Werkpunt,
)
from evaluation.skills import WEEKLY_SKILLS
from learning.models import (
    Activiteitenlijst,
    ActiviteitenlijstEntry,
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    Opleidingsplan,
    Period,
    PlanEntry,
    SetVersion,
    Theme,
    VersionStatus,
)
from learning.reference import ensure_opleidingen
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships.models import (
    Invitation,
    Partnership,
    PartnershipCompany,
    PartnershipGroupObjectPermission,
    PartnershipRoleGroup,
    PartnershipUserObjectPermission,
    Placement,
    PlacementSupervisor,
    RaciCell,
    SchoolClass,
    Student,
    StudentContact,
    TeamMember,
    TeamRole,
    Traject,
    TrajectGroupObjectPermission,
    TrajectStatus,
    TrajectUserObjectPermission,
)
from partnerships.models.partnerships import current_school_year
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.partnerships import raci_initialise
from recognition.models import ExtractStatus, MentorProfile, Recognition, RecognitionStatus

GENERATED_EMAIL_SUFFIX = ".gen.invalid"
# Bumped when the generator writes other data for the same options (a reused set is rebuilt).
DATASET_VERSION = 4  # 3: recognitions and mentor profiles (issue 12); 4: contracts (issue 14)
GENERATED_NAME_PREFIX = "[gen] "
MENTOR_MAX_STUDENTS = 3  # the technology industry's rule; every generated company is PC 111
BATCH = 2000
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
# Every generated leerfiche set: THEMES themes of FICHES_PER_THEME leerfiches (60 in all).
THEMES = 6
FICHES_PER_THEME = 10
CRITERIA_PER_FICHE = 3
SECTOR_BODY_NAME = "Sectoraal partnerschap"
COMPANY_TEAM_ROLES = (
    TeamRole.COORDINATOR_BEDRIJF,
    TeamRole.DIRECTIE_BEDRIJF,
    TeamRole.PREVENTIEADVISEUR,
)

FIRST_NAMES = (
    "Lotte", "Emma", "Marie", "Julie", "Lisa", "Sarah", "Laura", "Hanne", "Elise", "Nina",
    "Fien", "Noor", "Lore", "Femke", "Jana", "Amber", "Lien", "Ine", "Eline", "Charlotte",
    "Yasmine", "Sofie", "Anke", "Kaat", "Jonas", "Lars", "Wout", "Arne", "Thomas", "Pieter",
    "Bram", "Seppe", "Jens", "Robbe", "Milan", "Stijn", "Kobe", "Mathias", "Lukas", "Senne",
    "Tibo", "Bart", "Koen", "Dries", "Ruben", "Mohamed", "Yusuf", "Jef", "Nathan", "Warre",
)  # fmt: skip
LAST_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Hermans", "Aerts", "Pauwels", "Vermeulen",
    "Van den Broeck", "Smets", "Verhoeven", "Van Damme", "Lambrechts", "Claessens", "Desmet",
    "Cools", "Michiels", "Luyten", "Segers", "Verbeke", "Coppens", "Van de Velde",
    "Hendrickx", "Geerts", "Boeckx", "Lemmens", "Vos", "Bogaerts", "Thys", "Wuyts",
    "Schepers", "El Amrani", "Yilmaz",
)  # fmt: skip
CITIES = (
    ("Genk", "3600"), ("Hasselt", "3500"), ("Sint-Truiden", "3800"), ("Tongeren", "3700"),
    ("Maasmechelen", "3630"), ("Beringen", "3580"), ("Lommel", "3920"), ("Bilzen", "3740"),
    ("Mol", "2400"), ("Geel", "2440"), ("Turnhout", "2300"), ("Herentals", "2200"),
    ("Leuven", "3000"), ("Aarschot", "3200"), ("Mechelen", "2800"), ("Lier", "2500"),
    ("Aalst", "9300"), ("Gent", "9000"), ("Kortrijk", "8500"), ("Roeselare", "8800"),
    ("Brugge", "8000"), ("Ieper", "8900"), ("Oudenaarde", "9700"), ("Dendermonde", "9200"),
)  # fmt: skip
STREETS = (
    "Industrieweg", "Nijverheidsstraat", "Ambachtsweg", "Kanaalweg", "Stationsstraat",
    "Kerkstraat", "Molenstraat", "Zavelstraat", "Europalaan", "Havenlaan",
)  # fmt: skip
SAINTS = ("Jozef", "Jan", "Lodewijk", "Victor", "Michiel", "Vincentius", "Ursula", "Paulus")
SCHOOL_NAMES = (
    "Technisch Instituut Sint-{saint} {city}",
    "GO! Technisch Atheneum {city}",
    "VTI {city}",
    "Sint-{saint}college {city}",
    "Provinciaal Technisch Instituut {city}",
)
COMPANY_NAMES = (
    "Metaalbouw {last}",
    "{last} Staalconstructies",
    "Koeltechniek {last}",
    "Elektro {last}",
    "{last} Machinebouw",
    "Lasatelier {last}",
    "{last} Industrial Services",
    "Constructiewerken {last}",
    "{last} & Zonen",
    "Onderhoudstechniek {last}",
)


@dataclass
class _Org:
    """An organisation being planned, with the people and rows that hang off it."""

    kind: str
    name: str
    region: int
    city: tuple[str, str]
    instellingsnummer: str = ""
    ondernemingsnummer: str = ""
    domain: str = ""
    obj: Organisation | None = None
    vestigingen: list[Vestiging] = field(default_factory=list)
    staff: dict[str, list[User]] = field(default_factory=lambda: defaultdict(list))
    mentors: list[list] = field(default_factory=list)  # companies: [mentor, trajects guided]
    runs: list[_Run] = field(default_factory=list)  # schools: their partnerships
    uses: int = 0  # companies: partnerships taking part in


@dataclass
class _Run:
    """A partnership being planned: its school, companies, training centre and classes."""

    school: _Org
    partnership: Partnership
    companies: list[_Org]
    centre: _Org | None
    classes: list[SchoolClass] = field(default_factory=list)
    vestiging_of: dict[int, Vestiging] = field(default_factory=dict)  # by id() of the company


def _mod97(body: int) -> str:
    """Eight digits and their mod-97 check digits (KBO and vestiging numbers)."""
    return f"{body:08d}{97 - body % 97:02d}"


class Command(BaseCommand):
    help = (
        "Generate a deterministic, realistic data set (schools, companies, partnerships, "
        "teams, students, trajects, placements, grants) for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, required=True, help="number of students")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="school year (start year); default the current school year",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete previously generated data (and only that)",
        )
        parser.add_argument(
            "--evaluations",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="a whole school year of evaluations (sessions, self/mentor/teacher columns, "
            "criterion scores, weekly check-ins); --no-evaluations leaves them out",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="keep the data set already in the database when it was generated with the "
            "same --students, --seed, --year and --evaluations (else replace it)",
        )
        parser.add_argument(
            "--password",
            default=None,
            help="password of every generated account (default: unusable, log-in impossible)",
        )

    def handle(
        self,
        *args: Any,
        students: int,
        seed: int,
        year: int | None,
        reset: bool,
        password: str | None,
        evaluations: bool = True,
        reuse: bool = False,
        **options: Any,
    ) -> None:
        if students < 1:
            raise CommandError("--students must be at least 1.")
        year = year if year is not None else current_school_year()
        started = time.perf_counter()
        marker = fingerprint(students=students, seed=seed, year=year, evaluations=evaluations)
        if reuse and generated_fingerprint() == marker:
            self.stdout.write(f"Reusing the generated data set ({marker}).")
            return
        if generated_data_exists():
            if not (reset or reuse):
                raise CommandError(
                    "The database already holds generated data; run again with --reset to "
                    "replace it (only generated data is deleted)."
                )
            delete_generated_data()
            self.stdout.write(f"Deleted the previous generated data in {_since(started)}.")
            started = time.perf_counter()

        generator = _Generator(
            rng=random.Random(seed),  # noqa: S311 - reproducible test data, not secrets
            students=students,
            year=year,
            password_hash=make_password(password),
        )
        # Its own random stream: adding the plans left every earlier draw (names, structure)
        # as it was.
        learning = _LearningGenerator(
            rng=random.Random(f"learning-{seed}"),  # noqa: S311 - reproducible test data
            year=year,
            fingerprint=marker,
        )
        with transaction.atomic():
            built = time.perf_counter()
            generator.build()
            learning.build(generator.runs)
            if learning.sector is not None:
                route_to_sector(learning.sector, password_hash=generator.password_hash)
            _ContractGenerator(
                rng=random.Random(f"contracts-{seed}"),  # noqa: S311 - reproducible test data
                today=timezone.localdate(),
            ).build(generator)
            rows_done = time.perf_counter()
            for partnership in generator.partnerships:
                partnership_sync_grants(partnership=partnership)
            grants_done = time.perf_counter()
        evaluations_done = grants_done
        if evaluations:
            _EvaluationGenerator(
                rng=random.Random(f"evaluation-{seed}"),  # noqa: S311 - reproducible test data
                year=year,
            ).build(generator, learning)
            evaluations_done = time.perf_counter()
        # The rows were written behind the services' back (no events): the dashboards'
        # summaries are computed as after a bulk load (decision 0023).
        call_command("rebuild_dashboards", stdout=io.StringIO())
        summaries_done = time.perf_counter()
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather them a little later: without them
            # the planner guesses and the first benchmark runs measure bad plans.
            tables = [model._meta.db_table for model in WRITTEN_MODELS]
            tables.append(User.groups.through._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))

        finished = time.perf_counter()
        count = len(generator.partnerships)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated data set (seed {seed}, school year {year}-{year + 1}, "
                f"{connection.vendor}) in {finished - started:.1f} s"
            )
        )
        self.stdout.write(
            f"  rows with bulk_create {rows_done - built:.1f} s; "
            f"partnership_sync_grants for {count} partnerships {grants_done - rows_done:.1f} s "
            f"({(grants_done - rows_done) / max(1, count) * 1000:.0f} ms each)"
            + (f"; evaluations {evaluations_done - grants_done:.1f} s" if evaluations else "")
            + f"; dashboard summaries {summaries_done - evaluations_done:.1f} s"
            + (
                f"; ANALYZE {finished - summaries_done:.1f} s"
                if connection.vendor == "postgresql"
                else ""
            )
        )
        for label, rows in generated_counts().items():
            self.stdout.write(f"  {label:<32}{rows:>9}")


# The tables generate_dataset fills (directly or through the grants service).
WRITTEN_MODELS = (
    Organisation,
    Vestiging,
    User,
    Membership,
    Partnership,
    PartnershipCompany,
    RaciCell,
    TeamMember,
    SchoolClass,
    Student,
    StudentContact,
    Traject,
    Placement,
    PlacementSupervisor,
    Contract,
    ContractParty,
    Signature,
    ChecklistItem,
    Group,
    PartnershipRoleGroup,
    PartnershipUserObjectPermission,
    PartnershipGroupObjectPermission,
    TrajectUserObjectPermission,
    TrajectGroupObjectPermission,
    LeerficheSet,
    SetVersion,
    Theme,
    Leerfiche,
    LeerficheItem,
    Criterion,
    Period,
    Opleidingsplan,
    PlanEntry,
    Activiteitenlijst,
    ActiviteitenlijstEntry,
    Session,
    Evaluation,
    CriterionScore,
    WeeklyCheckin,
    CheckinBehaviour,
    TrajectSummary,
    LeerficheSummary,
    WeekSummary,
    PeriodSummary,
)


def _since(start: float) -> str:
    return f"{time.perf_counter() - start:.1f} s"


def generated_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(name__startswith=GENERATED_NAME_PREFIX)


def generated_users() -> QuerySet[User]:
    return User.objects.filter(email__endswith=GENERATED_EMAIL_SUFFIX)


def fingerprint(*, students: int, seed: int, year: int, evaluations: bool) -> str:
    """What the data set was generated with, kept as the generated set version's note."""
    return (
        f"generate_dataset --students {students} --seed {seed} --year {year} "
        f"--{'' if evaluations else 'no-'}evaluations (v{DATASET_VERSION})"
    )


def generated_fingerprint() -> str | None:
    """The fingerprint of the generated data set in the database, if any."""
    return (
        SetVersion.objects.filter(
            leerfiche_set__owner__name=GENERATED_NAME_PREFIX + SECTOR_BODY_NAME
        )
        .order_by("pk")
        .values_list("change_note", flat=True)
        .first()
    )


def generated_data_exists() -> bool:
    return generated_organisations().exists() or generated_users().exists()


def generated_counts() -> dict[str, int]:
    """Row counts of the generated data, for the summary."""
    organisations = generated_organisations()
    partnerships = Partnership.objects.filter(school__in=organisations)
    trajects = Traject.objects.filter(partnership__in=partnerships)
    return {
        "schools": organisations.filter(kind=OrganisationKind.SCHOOL).count(),
        "companies": organisations.filter(kind=OrganisationKind.COMPANY).count(),
        "training centres": organisations.filter(kind=OrganisationKind.TRAINING_CENTRE).count(),
        "vestigingen": Vestiging.objects.filter(organisation__in=organisations).count(),
        "users": generated_users().count(),
        "memberships": Membership.objects.filter(organisation__in=organisations).count(),
        "partnerships": partnerships.count(),
        "partnership companies": PartnershipCompany.objects.filter(
            partnership__in=partnerships
        ).count(),
        "team members": TeamMember.objects.filter(partnership__in=partnerships).count(),
        "RACI cells": RaciCell.objects.filter(partnership__in=partnerships).count(),
        "classes": SchoolClass.objects.filter(school__in=organisations).count(),
        "students": Student.objects.filter(school__in=organisations).count(),
        "parents/guardians": StudentContact.objects.filter(
            student__school__in=organisations
        ).count(),
        "trajects": trajects.count(),
        "placements": Placement.objects.filter(traject__in=trajects).count(),
        "contracts": Contract.objects.filter(traject__in=trajects).count(),
        "contract signatures": Signature.objects.filter(contract__traject__in=trajects).count(),
        "start checklist items": ChecklistItem.objects.filter(
            contract__traject__in=trajects
        ).count(),
        "recognitions": Recognition.objects.filter(company__in=organisations).count(),
        "mentor profiles": MentorProfile.objects.filter(user__in=generated_users()).count(),
        "mentors/begeleiders assigned": PlacementSupervisor.objects.filter(
            placement__traject__in=trajects
        ).count(),
        "traject user permission rows": TrajectUserObjectPermission.objects.filter(
            content_object__in=trajects
        ).count(),
        "traject group permission rows": TrajectGroupObjectPermission.objects.filter(
            content_object__in=trajects
        ).count(),
        "partnership permission rows": PartnershipUserObjectPermission.objects.filter(
            content_object__in=partnerships
        ).count()
        + PartnershipGroupObjectPermission.objects.filter(content_object__in=partnerships).count(),
        "leerfiche sets": LeerficheSet.objects.filter(owner__in=organisations).count(),
        "leerfiches": Leerfiche.objects.filter(
            version__leerfiche_set__owner__in=organisations
        ).count(),
        "evaluation criteria": Criterion.objects.filter(
            leerfiche__version__leerfiche_set__owner__in=organisations
        ).count(),
        "periods": Period.objects.filter(partnership__in=partnerships).count(),
        "opleidingsplannen": Opleidingsplan.objects.filter(partnership__in=partnerships).count(),
        "opleidingsplan entries": PlanEntry.objects.filter(
            plan__partnership__in=partnerships
        ).count(),
        "activiteitenlijst entries": ActiviteitenlijstEntry.objects.filter(
            activiteitenlijst__vestiging__organisation__in=organisations
        ).count(),
        "practice sessions": Session.objects.filter(traject__in=trajects).count(),
        "evaluation columns": Evaluation.objects.filter(session__traject__in=trajects).count(),
        "criterion scores": CriterionScore.objects.filter(
            evaluation__session__traject__in=trajects
        ).count(),
        "weekly check-ins": WeeklyCheckin.objects.filter(traject__in=trajects).count(),
        "dashboard week summaries": WeekSummary.objects.filter(traject__in=trajects).count(),
    }


@transaction.atomic
def delete_generated_data() -> None:
    """Delete every generated row (organisations ``[gen] …``, users ``…@….gen.invalid``).

    Big tables go first with set-based deletes; the final ``delete()`` calls still cascade
    through anything a later app hangs off these rows.
    """
    organisations = generated_organisations()
    partnerships = Partnership.objects.filter(school__in=organisations)
    trajects = Traject.objects.filter(partnership__in=partnerships)
    # The evaluations first (millions of rows: set-based deletes, no cascade collection).
    sessions = Session.objects.filter(traject__in=trajects)
    columns = Evaluation.objects.filter(session__in=sessions)
    for rows in (
        TrajectSummary.objects.filter(traject__in=trajects),
        LeerficheSummary.objects.filter(traject__in=trajects),
        WeekSummary.objects.filter(traject__in=trajects),
        PeriodSummary.objects.filter(traject__in=trajects),
        CriterionScore.objects.filter(evaluation__in=columns),
        ItemAnswer.objects.filter(evaluation__in=columns),
        Correction.objects.filter(evaluation__in=columns),
        columns,
        Werkpunt.objects.filter(traject__in=trajects),
        CheckinBehaviour.objects.filter(checkin__traject__in=trajects),
        WeeklyCheckin.objects.filter(traject__in=trajects),
        sessions,
        ChecklistItem.objects.filter(contract__traject__in=trajects),
        Signature.objects.filter(contract__traject__in=trajects),
        ContractParty.objects.filter(contract__traject__in=trajects),
        Contract.objects.filter(traject__in=trajects),
    ):
        rows._raw_delete(rows.db)
    # The plans first: their entries protect the leerfiches, the plans the set versions.
    PlanEntry.objects.filter(plan__partnership__in=partnerships).delete()
    Opleidingsplan.objects.filter(partnership__in=partnerships).delete()
    Period.objects.filter(partnership__in=partnerships).delete()
    ActiviteitenlijstEntry.objects.filter(
        activiteitenlijst__vestiging__organisation__in=organisations
    ).delete()
    Activiteitenlijst.objects.filter(vestiging__organisation__in=organisations).delete()
    sets = LeerficheSet.objects.filter(owner__in=organisations)
    versions = SetVersion.objects.filter(leerfiche_set__in=sets)
    Criterion.objects.filter(leerfiche__version__in=versions).delete()
    LeerficheItem.objects.filter(leerfiche__version__in=versions).delete()
    Leerfiche.objects.filter(version__in=versions).delete()
    Theme.objects.filter(version__in=versions).delete()
    versions.delete()
    sets.delete()
    TrajectUserObjectPermission.objects.filter(content_object__in=trajects).delete()
    TrajectGroupObjectPermission.objects.filter(content_object__in=trajects).delete()
    PartnershipUserObjectPermission.objects.filter(content_object__in=partnerships).delete()
    PartnershipGroupObjectPermission.objects.filter(content_object__in=partnerships).delete()
    # The role groups do not cascade from their partnership (the FK points the other way).
    Group.objects.filter(
        pk__in=PartnershipRoleGroup.objects.filter(partnership__in=partnerships).values("group_id")
    ).delete()
    PlacementSupervisor.objects.filter(placement__traject__in=trajects).delete()
    Placement.objects.filter(traject__in=trajects).delete()
    trajects.delete()
    for model in (TeamMember, RaciCell, PartnershipCompany, Invitation):
        model.objects.filter(partnership__in=partnerships).delete()
    partnerships.delete()
    StudentContact.objects.filter(student__school__in=organisations).delete()
    Student.objects.filter(school__in=organisations).delete()
    SchoolClass.objects.filter(school__in=organisations).delete()
    Membership.objects.filter(organisation__in=organisations).delete()
    Recognition.mentors.through.objects.filter(recognition__company__in=organisations).delete()
    Recognition.objects.filter(company__in=organisations).delete()
    Vestiging.objects.filter(organisation__in=organisations).delete()
    organisations.delete()
    generated_users().delete()


class _Generator:
    """Plans and writes one data set; every random draw goes through ``self.rng`` in order.

    Rows are planned as unsaved model instances pointing at each other, then written table by
    table with ``bulk_create``, which sets their primary keys (RETURNING) before the next
    table picks them up.
    """

    def __init__(self, *, rng: random.Random, students: int, year: int, password_hash: str) -> None:
        self.rng = rng
        self.n_students = students
        self.year = year
        self.password_hash = password_hash
        self.emails: set[str] = set()
        self.domains: set[str] = set()
        self.names: set[str] = set()
        self.users: list[User] = []
        self.memberships: list[Membership] = []
        self.partnerships: list[Partnership] = []
        self.team: dict[tuple[int, int, str], TeamMember] = {}
        self.students: list[Student] = []
        self.contacts: list[StudentContact] = []
        self.trajects: list[Traject] = []
        self.placements: list[Placement] = []
        self.supervisors: list[PlacementSupervisor] = []
        self.runs: list[_Run] = []

    def build(self) -> None:
        schools, centres, companies = self._organisations()
        self._staff_of(schools, centres, companies)
        runs = self._partnerships(schools, centres, companies)
        self.runs = runs
        self._teams(schools)
        for school, count in zip(schools, self._students_per_school(len(schools)), strict=True):
            self._students(school, count)
        self._write(runs)

    # --- identifiers, names, people -------------------------------------------------------

    def _unique_number(self, low: int, high: int, taken: set[str]) -> str:
        while True:
            number = _mod97(self.rng.randrange(low, high))
            if number not in taken:
                taken.add(number)
                return number

    def _person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _org(
        self, kind: str, name: str, region: int, city: tuple[str, str], **numbers: str
    ) -> _Org:
        candidate, n = name, 1
        while GENERATED_NAME_PREFIX + candidate in self.names:
            n += 1
            candidate = f"{name} {n}"
        self.names.add(GENERATED_NAME_PREFIX + candidate)
        base = slugify(candidate)[:40].strip("-")
        domain, n = base, 1
        while domain in self.domains:
            n += 1
            domain = f"{base}-{n}"
        self.domains.add(domain)
        return _Org(
            kind=kind,
            name=GENERATED_NAME_PREFIX + candidate,
            region=region,
            city=city,
            domain=domain + GENERATED_EMAIL_SUFFIX,
            **numbers,
        )

    def _user(self, first: str, last: str, domain: str) -> User:
        local = f"{slugify(first)}.{slugify(last)}"
        email, n = f"{local}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        user = User(email=email, full_name=f"{first} {last}", password=self.password_hash)
        self.users.append(user)
        return user

    def _staff(self, org: _Org, role: str, *, title: str, admin: bool = False) -> User:
        user = self._user(*self._person(), org.domain)
        org.staff[role].append(user)
        self.memberships.append(
            Membership(user=user, organisation=org.obj, is_admin=admin, job_title=title)
        )
        return user

    def _team(self, partnership: Partnership, user: User, role: str, org: _Org) -> None:
        key = (id(partnership), id(user), role)
        if key not in self.team:
            self.team[key] = TeamMember(
                partnership=partnership, user=user, role=role, organisation=org.obj
            )

    # --- organisations --------------------------------------------------------------------

    def _organisations(self) -> tuple[list[_Org], list[_Org], list[_Org]]:
        """Schools in regions of about five, a training centre per region, companies spread
        over the regions (about one per twelve students), each with one or two vestigingen."""
        rng = self.rng
        n_schools = max(1, round(self.n_students / 150))
        n_regions = math.ceil(n_schools / 5)
        n_companies = max(n_regions, round(self.n_students / 12))
        kbo_taken = set(
            Organisation.objects.values_list("ondernemingsnummer", flat=True).distinct()
        )
        nis_taken = set(Organisation.objects.values_list("instellingsnummer", flat=True).distinct())
        vestiging_taken = set(Vestiging.objects.values_list("vestigingsnummer", flat=True))
        self.names = set(Organisation.objects.values_list("name", flat=True))

        region_cities = [rng.sample(CITIES, 3) for _ in range(n_regions)]
        schools = []
        for i in range(n_schools):
            city = rng.choice(region_cities[i // 5])
            name = rng.choice(SCHOOL_NAMES).format(saint=rng.choice(SAINTS), city=city[0])
            number = ""
            while not number or number in nis_taken:
                number = str(rng.randrange(100_000, 1_000_000))
            nis_taken.add(number)
            schools.append(self._org("school", name, i // 5, city, instellingsnummer=number))
        centres = [
            self._org(
                "training_centre",
                f"Opleidingscentrum Techniek {cities[0][0]}",
                region,
                cities[0],
                ondernemingsnummer=self._unique_number(2_000_000, 20_000_000, kbo_taken),
            )
            for region, cities in enumerate(region_cities)
        ]
        companies = []
        for i in range(n_companies):
            region = i % n_regions
            name = rng.choice(COMPANY_NAMES).format(last=rng.choice(LAST_NAMES))
            companies.append(
                self._org(
                    "company",
                    name,
                    region,
                    rng.choice(region_cities[region]),
                    ondernemingsnummer=self._unique_number(2_000_000, 20_000_000, kbo_taken),
                )
            )

        organisations = schools + centres + companies
        created = Organisation.objects.bulk_create(
            [
                Organisation(
                    kind=org.kind,
                    name=org.name,
                    instellingsnummer=org.instellingsnummer,
                    ondernemingsnummer=org.ondernemingsnummer,
                    paritair_comite="111" if org.kind == "company" else "",
                    email_domain=org.domain,
                )
                for org in organisations
            ],
            batch_size=BATCH,
        )
        for org, obj in zip(organisations, created, strict=True):
            org.obj = obj

        for org in companies:
            for n in range(1 if rng.random() < 0.7 else 2):
                city, postcode = org.city if n == 0 else rng.choice(CITIES)
                org.vestigingen.append(
                    Vestiging(
                        organisation=org.obj,
                        vestigingsnummer=self._unique_number(
                            20_000_000, 90_000_000, vestiging_taken
                        ),
                        name=f"{org.name.removeprefix(GENERATED_NAME_PREFIX)} – {city}",
                        street=f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
                        postcode=postcode,
                        city=city,
                    )
                )
        Vestiging.objects.bulk_create(
            [v for org in companies for v in org.vestigingen], batch_size=BATCH
        )
        return schools, centres, companies

    def _staff_of(self, schools: list[_Org], centres: list[_Org], companies: list[_Org]) -> None:
        """The people every organisation has whatever its partnerships (mentors come later)."""
        for org in schools:
            self._staff(org, TeamRole.DIRECTIE_SCHOOL, title="Directeur", admin=True)
            self._staff(org, TeamRole.COORDINATOR_SCHOOL, title="Coördinator duaal", admin=True)
        for org in centres:
            for _ in range(2):
                self._staff(
                    org, TeamRole.OPLEIDINGSCENTRUM, title="Opleidingsverantwoordelijke", admin=True
                )
        for org in companies:
            self._staff(org, TeamRole.COORDINATOR_BEDRIJF, title="Coördinator duaal", admin=True)
            self._staff(org, TeamRole.DIRECTIE_BEDRIJF, title="Zaakvoerder", admin=True)
            if self.rng.random() < 0.5:
                self._staff(org, TeamRole.PREVENTIEADVISEUR, title="Preventieadviseur")
            if self.rng.random() < 0.3:
                self._staff(org, TeamRole.BEGELEIDER, title="Begeleider")

    # --- partnerships and teams -----------------------------------------------------------

    def _partnerships(
        self, schools: list[_Org], centres: list[_Org], companies: list[_Org]
    ) -> list[_Run]:
        """Each school runs three to six opleidingen, each with one to three companies of its
        region; half of them with the region's training centre."""
        rng = self.rng
        ensure_opleidingen()
        opleidingen = list(Opleiding.objects.filter(active=True).order_by("code"))
        pools: dict[int, list[_Org]] = defaultdict(list)
        for org in companies:
            pools[org.region].append(org)
        chosen = {
            id(school): sorted(
                rng.sample(opleidingen, min(len(opleidingen), rng.randint(3, 6))),
                key=lambda o: o.code,
            )
            for school in schools
        }
        left_in_region: dict[int, int] = defaultdict(int)
        for school in schools:
            left_in_region[school.region] += len(chosen[id(school)])

        runs: list[_Run] = []
        for school in schools:
            for opleiding in chosen[id(school)]:
                centre = centres[school.region] if rng.random() < 0.5 else None
                partnership = Partnership(
                    name=opleiding.name,
                    school=school.obj,
                    training_centre=centre.obj if centre else None,
                    opleiding=opleiding,
                    school_year=self.year,
                    status="running",
                )
                pool = pools[school.region]
                # Least used companies first, and more of them while some have none yet: every
                # company takes part, and some in partnerships of several schools.
                unused = sum(1 for company in pool if not company.uses)
                wanted = max(
                    rng.randint(1, 3), min(3, math.ceil(unused / left_in_region[school.region]))
                )
                left_in_region[school.region] -= 1
                ranked = sorted(pool, key=lambda company: (company.uses, rng.random()))
                run = _Run(school, partnership, ranked[:wanted], centre)
                for company in run.companies:
                    company.uses += 1
                school.runs.append(run)
                runs.append(run)
                self.partnerships.append(partnership)
        Partnership.objects.bulk_create(self.partnerships, batch_size=BATCH)
        for run in runs:
            run.vestiging_of = {id(c): rng.choice(c.vestigingen) for c in run.companies}
        PartnershipCompany.objects.bulk_create(
            [
                PartnershipCompany(
                    partnership=run.partnership,
                    company=company.obj,
                    vestiging=run.vestiging_of[id(company)],
                )
                for run in runs
                for company in run.companies
            ],
            batch_size=BATCH,
        )
        for partnership in self.partnerships:
            raci_initialise(partnership=partnership)
        return runs

    def _teams(self, schools: list[_Org]) -> None:
        """School side: coordinator and directie everywhere, a teacher per partnership, a
        trajectbegeleider per two; company side: coordinator, directie, preventieadviseur;
        the training centre's person. Mentors and begeleiders join with their placements."""
        for school in schools:
            tbs = [
                self._staff(school, TeamRole.TRAJECTBEGELEIDER, title="Trajectbegeleider duaal")
                for _ in range(math.ceil(len(school.runs) / 2))
            ]
            for index, run in enumerate(school.runs):
                teacher = self._staff(school, TeamRole.LEERKRACHT, title="Leerkracht duaal")
                self._team(run.partnership, tbs[index // 2], TeamRole.TRAJECTBEGELEIDER, school)
                self._team(run.partnership, teacher, TeamRole.LEERKRACHT, school)
                for role in (TeamRole.COORDINATOR_SCHOOL, TeamRole.DIRECTIE_SCHOOL):
                    self._team(run.partnership, school.staff[role][0], role, school)
                for company in run.companies:
                    for role in COMPANY_TEAM_ROLES:
                        for person in company.staff.get(role, []):
                            self._team(run.partnership, person, role, company)
                if run.centre is not None:
                    person = run.centre.staff[TeamRole.OPLEIDINGSCENTRUM][index % 2]
                    self._team(run.partnership, person, TeamRole.OPLEIDINGSCENTRUM, run.centre)

    # --- students, trajects, placements ---------------------------------------------------

    def _students_per_school(self, n_schools: int) -> list[int]:
        counts = [self.n_students // n_schools] * n_schools
        for i in range(self.n_students % n_schools):
            counts[i] += 1
        return counts

    def _classes(self, school: _Org) -> None:
        """One or two classes per partnership, named like '6 LCd' (grade, opleiding)."""
        names: set[str] = set()
        for run in school.runs:
            abbreviation = "".join(p[0] for p in run.partnership.opleiding.code.split("-"))
            for grade in sorted(self.rng.sample(["5", "6", "7"], self.rng.randint(1, 2))):
                name, n = f"{grade} {abbreviation.upper()}d", 1
                while name in names:
                    n += 1
                    name = f"{grade} {abbreviation.upper()}d{n}"
                names.add(name)
                run.classes.append(SchoolClass(school=school.obj, name=name))

    def _students(self, school: _Org, count: int) -> None:
        """Students with an account, a parent for most (with an account for two in three),
        one traject each; all but the intakes placed for the school year."""
        rng = self.rng
        self._classes(school)
        weights = [rng.uniform(0.5, 1.5) for _ in school.runs]
        for seq in range(count):
            run = rng.choices(school.runs, weights)[0]
            first, last = self._person()
            account = self._user(first, last, f"leerling.{school.domain}")
            student = Student(
                school=school.obj,
                first_name=first,
                last_name=last,
                birth_date=date(self.year - 17, 1, 1) + timedelta(days=rng.randrange(3 * 365)),
                school_class=rng.choice(run.classes),
                stamnummer=f"{school.instellingsnummer}-{seq + 1:05d}",
                email=account.email,
                user=account,
            )
            self.students.append(student)
            draw = rng.random()
            if draw < 0.6:
                parent_first = rng.choice(FIRST_NAMES)
                parent = (
                    self._user(parent_first, last, f"ouders.{school.domain}")
                    if draw < 0.4
                    else None
                )
                self.contacts.append(
                    StudentContact(
                        student=student,
                        full_name=f"{parent_first} {last}",
                        relation="parent",
                        email=parent.email if parent else "",
                        user=parent,
                    )
                )
            in_intake = rng.random() < 0.06
            traject = Traject(
                student=student,
                partnership=run.partnership,
                status=TrajectStatus.INTAKE if in_intake else TrajectStatus.RUNNING,
                intake_notes="Intakegesprek gevoerd met leerling en ouders.",
                klassenraad_advice=""
                if in_intake
                else rng.choice(["duaal_competent", "duaal_competent", "aanloopfase"]),
            )
            self.trajects.append(traject)
            if not in_intake:
                self._placements(run, traject)

    def _placements(self, run: _Run, traject: Traject) -> None:
        """The whole school year at one company, or (rotation) a half year at each of two."""
        rng = self.rng
        first_day, last_day = date(self.year, 9, 1), date(self.year + 1, 6, 30)
        turn = date(self.year + 1, 2, 1)
        if len(run.companies) >= 2 and rng.random() < 0.3:
            first, second = rng.sample(run.companies, 2)
            periods = [(first, first_day, turn - timedelta(days=1)), (second, turn, last_day)]
        else:
            start = first_day + timedelta(weeks=rng.choice([0, 0, 0, 2, 4, 8]))
            periods = [(rng.choice(run.companies), start, last_day)]
        company_days = 3 if run.partnership.opleiding.workplace_hours_per_week >= 20 else 2
        for company, start, end in periods:
            days = ["school"] * 5
            for index in rng.sample(range(5), company_days):
                days[index] = "company"
            if run.centre is not None and rng.random() < 0.3:
                days[days.index("school")] = "training_centre"
            placement = Placement(
                traject=traject,
                company=company.obj,
                vestiging=run.vestiging_of[id(company)],
                start_date=start,
                end_date=end,
                workplace_hours_per_week=Decimal(company_days * 15) / 2,
                **dict(zip(WEEKDAYS, days, strict=True)),
            )
            self.placements.append(placement)
            self._supervise(run, company, placement)

    def _supervise(self, run: _Run, company: _Org, placement: Placement) -> None:
        """A mentor of the company with room, else a new one. A mentor guides at most three
        trajects over the whole year, so never more than three at the same time, and the
        placement service would accept every assignment in any order."""
        entry = next((e for e in company.mentors if e[1] < MENTOR_MAX_STUDENTS), None)
        if entry is None:
            entry = [self._staff(company, TeamRole.MENTOR, title="Mentor"), 0]
            company.mentors.append(entry)
        entry[1] += 1
        supervisors = [(entry[0], TeamRole.MENTOR)]
        supervisors += [
            (b, TeamRole.BEGELEIDER) for b in company.staff.get(TeamRole.BEGELEIDER, [])
        ]
        for person, role in supervisors:
            self.supervisors.append(
                PlacementSupervisor(placement=placement, user=person, kind=role)
            )
            self._team(run.partnership, person, role, company)

    # --- writing --------------------------------------------------------------------------

    def _write(self, runs: list[_Run]) -> None:
        User.objects.bulk_create(self.users, batch_size=BATCH)
        Membership.objects.bulk_create(self.memberships, batch_size=BATCH)
        TeamMember.objects.bulk_create(list(self.team.values()), batch_size=BATCH)
        SchoolClass.objects.bulk_create([c for run in runs for c in run.classes], batch_size=BATCH)
        for model, rows in (
            (Student, self.students),
            (StudentContact, self.contacts),
            (Traject, self.trajects),
            (Placement, self.placements),
            (PlacementSupervisor, self.supervisors),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
        self._recognitions(runs)

    def _recognitions(self, runs: list[_Run]) -> None:
        """Every placement valid (issue 12): each vestiging recognised for the opleidingen it
        takes students of, a year before the school year (so for the whole year), naming the
        mentors placed there; every mentor with an eligible profile, trained in time. No random
        draws: the rest of the data set stays as it was."""
        decided = date(self.year - 1, 9, 1)
        complete = decided - timedelta(days=10)
        submitted = complete - timedelta(days=7)
        mentors_of: dict[tuple[int, int], set[int]] = defaultdict(set)
        placement_of = {id(p): p for p in self.placements}
        for supervisor in self.supervisors:
            if supervisor.kind != TeamRole.MENTOR:
                continue
            placement = placement_of[id(supervisor.placement)]
            key = (placement.vestiging.pk, placement.traject.partnership.opleiding_id)
            mentors_of[key].add(supervisor.user.pk)
        for run in runs:
            for company in run.companies:
                mentors_of.setdefault(
                    (run.vestiging_of[id(company)].pk, run.partnership.opleiding_id), set()
                )
        vestigingen = {v.pk: v for run in runs for org in run.companies for v in org.vestigingen}
        recognitions = [
            Recognition(
                company_id=vestigingen[vestiging_id].organisation_id,
                vestiging_id=vestiging_id,
                opleiding_id=opleiding_id,
                ondernemingsnummer=vestigingen[vestiging_id].organisation.ondernemingsnummer,
                vestigingsnummer=vestigingen[vestiging_id].vestigingsnummer,
                status=RecognitionStatus.RECOGNISED,
                submitted_on=submitted,
                complete_on=complete,
                decision_due=complete + timedelta(days=14),
                decided_on=decided,
                valid_until=date(self.year + 4, 8, 31),
            )
            for vestiging_id, opleiding_id in sorted(mentors_of)
        ]
        Recognition.objects.bulk_create(recognitions, batch_size=BATCH)
        Recognition.mentors.through.objects.bulk_create(
            [
                Recognition.mentors.through(recognition_id=recognition.pk, user_id=user_id)
                for recognition in recognitions
                for user_id in sorted(
                    mentors_of[(recognition.vestiging_id, recognition.opleiding_id)]
                )
            ],
            batch_size=BATCH,
        )
        mentor_ids = sorted({user_id for ids in mentors_of.values() for user_id in ids})
        MentorProfile.objects.bulk_create(
            [
                MentorProfile(
                    user_id=user_id,
                    birth_date=date(1965 + user_id % 30, 1 + user_id % 12, 1 + user_id % 28),
                    experience_years=5 + user_id % 25,
                    extract_status=ExtractStatus.CLEAN,
                    extract_issued_on=submitted - timedelta(days=30),
                    extract_checked_on=complete,
                    introduction_session_on=decided + timedelta(days=60),
                    deepening_session_on=decided + timedelta(days=75),
                )
                for user_id in mentor_ids
            ],
            batch_size=BATCH,
        )


def route_to_sector(sector: Organisation, *, password_hash: str) -> None:
    """The generated recognitions are the generated sector body's to handle, and it has one
    consultant (``consulent@sector….gen.invalid``): the sector dashboard's subject (issue 14)."""
    Recognition.objects.filter(company__in=generated_organisations()).update(sector_body=sector)
    consultant = User.objects.create(
        email=f"consulent@{sector.email_domain}",
        full_name="Consulent Sector",
        password=password_hash,
    )
    Membership.objects.create(user=consultant, organisation=sector, job_title="Consulent")


class _ContractGenerator:
    """The contracts of the placed trajects (issue 14's dashboards count them): one OAO or SOAO
    per traject and company, with its parties, signatures and start checklist, in the states a
    school year shows on ``today``: started placements mostly running (a few registered, not
    yet registered, suspended or ended early; some with a blocking checklist item still open),
    placements still to start in concept, out for signing or signed. Written with
    ``bulk_create`` (no signals: the checklist rows are made here, as ``sync_checklist`` would)."""

    def __init__(self, *, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.number = 0

    def _state(self, start: date) -> str:
        roll = self.rng.random()
        if start > self.today:
            return (
                ContractState.CONCEPT
                if roll < 0.4
                else ContractState.TO_SIGN
                if roll < 0.8
                else ContractState.SIGNED
            )
        for state, upto in (
            (ContractState.TO_SIGN, 0.02),
            (ContractState.SIGNED, 0.05),
            (ContractState.REGISTERED, 0.08),
            (ContractState.SUSPENDED, 0.10),
            (ContractState.ENDED_EARLY, 0.12),
        ):
            if roll < upto:
                return state
        return ContractState.RUNNING

    def build(self, generator: _Generator) -> None:
        contacts: dict[int, list[StudentContact]] = defaultdict(list)
        for contact in generator.contacts:
            contacts[id(contact.student)].append(contact)
        by_traject: dict[int, list[Placement]] = defaultdict(list)
        for placement in generator.placements:
            by_traject[id(placement.traject)].append(placement)
        contracts: list[Contract] = []
        planned: list[tuple[Contract, list[ContractParty]]] = []
        for traject in generator.trajects:
            for placement in by_traject.get(id(traject), []):
                contract = self._contract(traject, placement)
                contracts.append(contract)
                planned.append((contract, self._parties(contract, contacts)))
        Contract.objects.bulk_create(contracts, batch_size=BATCH)
        parties = [party for _, rows in planned for party in rows]
        for contract, rows in planned:
            for party in rows:
                party.contract = contract
        ContractParty.objects.bulk_create(parties, batch_size=BATCH)
        signatures: list[Signature] = []
        items: list[ChecklistItem] = []
        for contract, rows in planned:
            signatures += self._signatures(contract, rows)
            items += self._checklist(contract)
        Signature.objects.bulk_create(signatures, batch_size=BATCH)
        ChecklistItem.objects.bulk_create(items, batch_size=BATCH)

    def _contract(self, traject: Traject, placement: Placement) -> Contract:
        oao = placement.workplace_hours_per_week >= 20
        state = self._state(placement.start_date)
        registered = state in {
            ContractState.REGISTERED,
            ContractState.RUNNING,
            ContractState.SUSPENDED,
            ContractState.ENDED_EARLY,
        }
        self.number += 1
        contract = Contract(
            traject=traject,
            company=placement.company,
            vestiging=placement.vestiging,
            contract_type="OAO" if oao else "SOAO",
            state=state,
            start_date=placement.start_date,
            end_date=placement.end_date,
            workplace_hours_per_week=placement.workplace_hours_per_week,
            leervergoeding_category=self.rng.choice([1, 1, 2, 3]) if oao else None,
            registration_reference=f"WD-{traject.partnership.school_year}-{self.number:06d}"
            if registered
            else "",
            registered_on=placement.start_date - timedelta(days=self.rng.randint(3, 14))
            if registered
            else None,
        )
        if state == ContractState.SUSPENDED:
            contract.suspended_on = self.today - timedelta(days=self.rng.randint(1, 40))
            contract.suspension_reason = "Langdurige ziekte van de leerling."
        if state == ContractState.ENDED_EARLY:
            contract.ended_on = self.today - timedelta(days=self.rng.randint(1, 40))
            contract.end_reason = "De leerling stapt over naar een andere opleiding."
        return contract

    def _parties(
        self, contract: Contract, contacts: dict[int, list[StudentContact]]
    ) -> list[ContractParty]:
        traject = contract.traject
        student = traject.student
        rows = [
            ContractParty(
                role=PartyRole.COMPANY, organisation=contract.company, name=contract.company.name
            ),
            ContractParty(
                role=PartyRole.SCHOOL,
                organisation=traject.partnership.school,
                name=traject.partnership.school.name,
            ),
            ContractParty(role=PartyRole.STUDENT, name=f"{student.first_name} {student.last_name}"),
        ]
        if is_minor(student.birth_date, contract.start_date):
            rows += [
                ContractParty(role=PartyRole.PARENT, contact=contact, name=contact.full_name)
                for contact in contacts.get(id(student), [])
            ]
        return rows

    def _signatures(self, contract: Contract, parties: list[ContractParty]) -> list[Signature]:
        if contract.state == ContractState.CONCEPT:
            return []
        signing = parties
        if contract.state == ContractState.TO_SIGN:
            signing = parties[: self.rng.randint(0, len(parties) - 1)]
        first = min(contract.start_date, self.today) - timedelta(days=30)
        return [
            Signature(
                contract=contract,
                party=party,
                method=SignatureMethod.ONLINE,
                typed_name=party.name,
                signed_at=timezone.make_aware(
                    datetime.combine(
                        first + timedelta(days=self.rng.randint(0, 20)), dt_time(18, index)
                    )
                ),
                pdf_sha256=f"{contract.pk:064x}",
                contract_version=1,
            )
            for index, party in enumerate(signing)
        ]

    def _checklist(self, contract: Contract) -> list[ChecklistItem]:
        started = contract.state in {
            ContractState.REGISTERED,
            ContractState.RUNNING,
            ContractState.SUSPENDED,
            ContractState.ENDED_EARLY,
        }
        signed = started or contract.state == ContractState.SIGNED
        # One started contract in twenty still misses a blocking item (a blocked start).
        open_blocking = started and self.rng.random() < 0.05
        items = []
        for spec in item_specs(contract):
            if spec.code == "signed":
                done = signed
            elif spec.code == "registered":
                done = started
            else:  # the others: done once started, some of them before
                done = started or self.rng.random() < 0.4
            if open_blocking and spec.blocking and spec.code not in {"signed", "registered"}:
                done, open_blocking = False, False
            item = ChecklistItem(contract=contract, code=spec.code, blocking=spec.blocking)
            item.due_on = spec.due_on
            if done:
                item.done_on = min(spec.due_on, self.today)
                item.automatic = spec.code in {"signed", "registered"}
                item.done_by_name = (
                    "Alle partijen"
                    if spec.code == "signed"
                    else "De school"
                    if spec.code == "registered"
                    else "Coördinator"
                )
                if spec.code == "registered":
                    item.reference = contract.registration_reference
            items.append(item)
        return items


class _LearningGenerator:
    """Leerfiche sets and opleidingsplannen for the generated partnerships.

    A sector body publishes one set of ``THEMES × FICHES_PER_THEME`` leerfiches per opleiding;
    every partnership adopts its opleiding's set, gets three trimesters and a plan: each
    leerfiche at school, most at one of the companies, some at the training centre or in
    gesimuleerd leren, a few nowhere (gaps). Each company vestiging fills in its
    activiteitenlijst (mostly yes, some partly, a few no). Bulk-created, deterministic.
    """

    def __init__(self, *, rng: random.Random, year: int, fingerprint: str = "") -> None:
        self.rng = rng
        self.year = year
        self.fingerprint = fingerprint
        # {partnership id: leerfiches planned at a company, in plan order}
        self.company_fiches: dict[int, list[Leerfiche]] = {}
        self.sector: Organisation | None = None

    def build(self, runs: list[_Run]) -> None:
        if not runs:
            return
        sector = Organisation.objects.create(
            kind=OrganisationKind.SECTOR_BODY,
            name=GENERATED_NAME_PREFIX + SECTOR_BODY_NAME,
            email_domain="sector" + GENERATED_EMAIL_SUFFIX,
        )
        opleidingen = sorted(
            {run.partnership.opleiding_id: run.partnership.opleiding for run in runs}.values(),
            key=lambda o: o.code,
        )
        fiches = self._sets(sector, opleidingen)
        self._plans(runs, fiches)
        self.sector = sector

    def _sets(
        self, sector: Organisation, opleidingen: list[Opleiding]
    ) -> dict[int, tuple[SetVersion, list[Leerfiche]]]:
        now = timezone.now()
        sets = LeerficheSet.objects.bulk_create(
            [
                LeerficheSet(owner=sector, opleiding=o, name=f"Leerfiches {o.name}")
                for o in opleidingen
            ]
        )
        versions = SetVersion.objects.bulk_create(
            [
                SetVersion(
                    leerfiche_set=s,
                    number=1,
                    status=VersionStatus.PUBLISHED,
                    published_at=now,
                    change_note=self.fingerprint,
                )
                for s in sets
            ]
        )
        themes = Theme.objects.bulk_create(
            [
                Theme(version=v, key=f"thema-{t + 1}", title=f"Thema {t + 1}", order=t)
                for v in versions
                for t in range(THEMES)
            ],
            batch_size=BATCH,
        )
        fiches = Leerfiche.objects.bulk_create(
            [
                Leerfiche(
                    version=theme.version,
                    theme=theme,
                    key=f"leerfiche-{theme.order + 1}-{f + 1}",
                    title=f"Leerfiche {theme.order + 1}.{f + 1}",
                    order=f,
                    intro_kennen="De leerling kent de theorie.",
                    intro_kunnen="De leerling kan de opdracht zelfstandig uitvoeren.",
                )
                for theme in themes
                for f in range(FICHES_PER_THEME)
            ],
            batch_size=BATCH,
        )
        LeerficheItem.objects.bulk_create(
            [
                LeerficheItem(leerfiche=fiche, kind=ItemKind.LEERDOEL, order=0, text="Leerdoel")
                for fiche in fiches
            ],
            batch_size=BATCH,
        )
        Criterion.objects.bulk_create(
            [
                Criterion(
                    leerfiche=fiche, key=f"criterium-{c + 1}", order=c, text=f"Criterium {c + 1}"
                )
                for fiche in fiches
                for c in range(CRITERIA_PER_FICHE)
            ],
            batch_size=BATCH,
        )
        by_version: dict[int, list[Leerfiche]] = defaultdict(list)
        for fiche in fiches:
            by_version[fiche.version_id].append(fiche)
        return {
            version.leerfiche_set.opleiding_id: (version, by_version[version.pk])
            for version in versions
        }

    def _plans(
        self, runs: list[_Run], fiches: dict[int, tuple[SetVersion, list[Leerfiche]]]
    ) -> None:
        rng = self.rng
        y = self.year
        bounds = (
            (date(y, 9, 1), date(y, 12, 23)),
            (date(y + 1, 1, 4), date(y + 1, 3, 31)),
            (date(y + 1, 4, 1), date(y + 1, 6, 30)),
        )
        periods = Period.objects.bulk_create(
            [
                Period(
                    partnership=run.partnership,
                    order=n + 1,
                    name=f"Trimester {n + 1}",
                    start_date=start,
                    end_date=end,
                )
                for run in runs
                for n, (start, end) in enumerate(bounds)
            ],
            batch_size=BATCH,
        )
        plans = Opleidingsplan.objects.bulk_create(
            [
                Opleidingsplan(
                    partnership=run.partnership,
                    set_version=fiches[run.partnership.opleiding_id][0],
                )
                for run in runs
            ],
            batch_size=BATCH,
        )
        entries: list[PlanEntry] = []
        lists: dict[tuple[int, int], Activiteitenlijst] = {}
        for index, (run, plan) in enumerate(zip(runs, plans, strict=True)):
            trimesters = periods[3 * index : 3 * index + 3]
            vestigingen = [run.vestiging_of[id(company)] for company in run.companies]
            for vestiging in vestigingen:
                key = (vestiging.pk, run.partnership.opleiding_id)
                if key not in lists:
                    lists[key] = Activiteitenlijst(
                        vestiging=vestiging, opleiding=run.partnership.opleiding
                    )
            for n, fiche in enumerate(fiches[run.partnership.opleiding_id][1]):
                if rng.random() < 0.03:
                    continue  # a leerfiche nobody teaches
                first = n * 3 // len(fiches[run.partnership.opleiding_id][1])
                entries.append(self._entry(plan, fiche, trimesters[first], "school"))
                if rng.random() < 0.85:
                    entries.append(
                        self._entry(
                            plan,
                            fiche,
                            trimesters[min(2, first + rng.randint(0, 1))],
                            "company",
                            rng.choice(vestigingen),
                        )
                    )
                if run.centre is not None and rng.random() < 0.2:
                    entries.append(
                        self._entry(plan, fiche, trimesters[rng.randrange(3)], "training_centre")
                    )
                if rng.random() < 0.1:
                    entries.append(
                        self._entry(plan, fiche, trimesters[rng.randrange(3)], "simulated")
                    )
        PlanEntry.objects.bulk_create(entries, batch_size=BATCH)
        order = {id(period): (period.order, 0) for period in periods}
        planned: dict[int, list[tuple[tuple[int, int], int, Leerfiche]]] = defaultdict(list)
        for entry in entries:
            if entry.place == "company":
                planned[entry.plan.partnership_id].append(
                    (order[id(entry.period)], entry.week_from, entry.leerfiche)
                )
        for partnership_id, found in planned.items():
            seen: dict[int, Leerfiche] = {}
            for _order, _week, fiche in sorted(found, key=lambda row: (row[0], row[1])):
                seen.setdefault(fiche.pk, fiche)
            self.company_fiches[partnership_id] = list(seen.values())
        activiteiten = Activiteitenlijst.objects.bulk_create(list(lists.values()), batch_size=BATCH)
        ActiviteitenlijstEntry.objects.bulk_create(
            [
                ActiviteitenlijstEntry(
                    activiteitenlijst=lijst,
                    leerfiche_key=fiche.key,
                    offer=rng.choices(["yes", "partly", "no"], [0.8, 0.12, 0.08])[0],
                )
                for lijst in activiteiten
                for fiche in fiches[lijst.opleiding_id][1]
            ],
            batch_size=BATCH,
        )

    def _entry(
        self,
        plan: Opleidingsplan,
        fiche: Leerfiche,
        period: Period,
        place: str,
        vestiging: Vestiging | None = None,
    ) -> PlanEntry:
        week_from = self.rng.randint(1, 8)
        return PlanEntry(
            plan=plan,
            leerfiche=fiche,
            period=period,
            place=place,
            vestiging=vestiging,
            week_from=week_from,
            week_to=week_from + self.rng.randint(1, 4),
        )


class _EvaluationGenerator:
    """A whole school year of evaluations for every placed traject (``--evaluations``).

    On each company day of the placement's weekly pattern (1 September to 30 June) the student
    practises two of the leerfiches the plan places at a company (moving through them week by
    week) and rates them (self column); the mentor rates the same sessions (mentor column) and
    does the weekly check-in (behaviour check, done); the leerkracht rates one session in ten.
    Marks go from O to V as a leerfiche is practised. About 1 200 criterion scores per placed
    student (≈ 6 million for 5 000 students). Written in batches with explicit primary keys:
    COPY on PostgreSQL, executemany on SQLite; never through the ORM's instances.
    """

    FICHES_PER_DAY = 2
    TEACHER_EVERY = 10
    CHUNK = 50_000

    def __init__(self, *, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        # COPY takes Python values; SQLite wants what Django stores (hex UUIDs, ISO text).
        self.raw = connection.vendor != "postgresql"

    def _uuid(self) -> Any:
        return uuid.uuid4().hex if self.raw else uuid.uuid4()

    def _moment(self, day: date, hour: int) -> Any:
        at = timezone.make_aware(datetime.combine(day, dt_time(hour)))
        return connection.ops.adapt_datetimefield_value(at) if self.raw else at

    def _day(self, day: date) -> Any:
        return day.isoformat() if self.raw else day

    def build(self, generator: _Generator, learning: _LearningGenerator) -> None:
        fiche_ids = {f.pk for fiches in learning.company_fiches.values() for f in fiches}
        criteria: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for fiche_id, pk, key in (
            Criterion.objects.filter(leerfiche_id__in=fiche_ids)
            .order_by("leerfiche_id", "order")
            .values_list("leerfiche_id", "pk", "key")
        ):
            criteria[fiche_id].append((pk, key))
        mentors: dict[int, int] = {}
        for supervisor in generator.supervisors:
            if supervisor.kind == TeamRole.MENTOR:
                mentors.setdefault(supervisor.placement.pk, supervisor.user.pk)
        teachers: dict[int, int] = {}
        for member in generator.team.values():
            if member.role == TeamRole.LEERKRACHT:
                teachers.setdefault(member.partnership.pk, member.user.pk)
        users = {student.pk: student.user_id for student in generator.students}

        ids = {model: self._next_id(model) for model in (Session, Evaluation, CriterionScore)}
        ids[WeeklyCheckin] = self._next_id(WeeklyCheckin)
        ids[CheckinBehaviour] = self._next_id(CheckinBehaviour)
        rows: dict[type, list[tuple]] = defaultdict(list)
        last_day = date(self.year + 1, 6, 30)
        for placement in generator.placements:
            traject = placement.traject
            fiches = learning.company_fiches.get(traject.partnership_id) or []
            mentor = mentors.get(placement.pk)
            if not fiches or mentor is None:
                continue
            student_user = users.get(traject.student_id)
            teacher = teachers.get(traject.partnership_id)
            pattern = [getattr(placement, day) == "company" for day in WEEKDAYS]
            practised: dict[int, int] = defaultdict(int)
            monday = placement.start_date - timedelta(days=placement.start_date.weekday())
            week = 0
            while monday <= min(placement.end_date, last_day):
                days = [
                    monday + timedelta(days=n)
                    for n in range(5)
                    if pattern[n]
                    and placement.start_date <= monday + timedelta(days=n)
                    and monday + timedelta(days=n) <= placement.end_date
                ]
                for day in days:
                    for k in range(self.FICHES_PER_DAY):
                        fiche = fiches[(week // 2 * self.FICHES_PER_DAY + k) % len(fiches)]
                        practised[fiche.pk] += 1
                        self._session(
                            rows,
                            ids,
                            traject,
                            fiche,
                            day,
                            criteria[fiche.pk],
                            progress=practised[fiche.pk] / 8,
                            authors=(student_user, mentor, teacher),
                        )
                if days:
                    self._checkin(rows, ids, traject.pk, monday, mentor, days[-1])
                week += 1
                monday += timedelta(days=7)
            if len(rows[CriterionScore]) >= self.CHUNK:
                self._flush(rows)
        self._flush(rows)
        self._reset_sequences()

    def _session(
        self,
        rows: dict[type, list[tuple]],
        ids: dict[type, int],
        traject: Traject,
        fiche: Leerfiche,
        day: date,
        criteria: list[tuple[int, str]],
        *,
        progress: float,
        authors: tuple[int | None, int, int | None],
    ) -> None:
        session_id = ids[Session]
        ids[Session] += 1
        at = self._moment(day, 16)
        student_user, mentor, teacher = authors
        rows[Session].append(
            (session_id, self._uuid(), traject.pk, fiche.pk, fiche.key, self._day(day), "company",
             "", "", "", "", "", 1, student_user, at, at)
        )  # fmt: skip
        columns = [("self", student_user, 0.1)]
        if session_id % 4:  # the mentor rates three sessions in four
            columns.append(("mentor", mentor, 0.0))
        if teacher is not None and session_id % self.TEACHER_EVERY == 0:
            columns.append(("teacher", teacher, -0.05))
        for evaluator, author, bias in columns:
            if author is None:
                continue
            evaluation_id = ids[Evaluation]
            ids[Evaluation] += 1
            rows[Evaluation].append(
                (evaluation_id, self._uuid(), session_id, evaluator, author, 1, at, at, at)
            )
            for criterion_id, key in criteria:
                mark = "V" if self.rng.random() < progress + bias else "O"
                rows[CriterionScore].append(
                    (ids[CriterionScore], evaluation_id, criterion_id, key, mark)
                )
                ids[CriterionScore] += 1

    def _checkin(
        self,
        rows: dict[type, list[tuple]],
        ids: dict[type, int],
        traject_id: int,
        monday: date,
        mentor: int,
        last: date,
    ) -> None:
        checkin_id = ids[WeeklyCheckin]
        ids[WeeklyCheckin] += 1
        at = self._moment(last, 17)
        rows[WeeklyCheckin].append(
            (checkin_id, self._uuid(), traject_id, self._day(monday), mentor, 1, at, at, at)
        )
        for skill in WEEKLY_SKILLS:
            rows[CheckinBehaviour].append(
                (ids[CheckinBehaviour], checkin_id, skill,
                 self.rng.choice(("meets", "meets", "meets", "above", "not_yet")))
            )  # fmt: skip
            ids[CheckinBehaviour] += 1

    COLUMNS: ClassVar[dict[type, tuple[str, ...]]] = {
        Session: (
            "id", "public_id", "traject_id", "leerfiche_id", "leerfiche_key", "date", "place",
            "omschrijving", "werktijden", "metal", "student_note", "sterke_punten", "version",
            "created_by_id", "created_at", "updated_at",
        ),
        Evaluation: (
            "id", "public_id", "session_id", "evaluator", "author_id", "version",
            "submitted_at", "created_at", "updated_at",
        ),
        CriterionScore: ("id", "evaluation_id", "criterion_id", "criterion_key", "mark"),
        WeeklyCheckin: (
            "id", "public_id", "traject_id", "week_start", "author_id", "version", "done_at",
            "created_at", "updated_at",
        ),
        CheckinBehaviour: ("id", "checkin_id", "skill_key", "rating"),
    }  # fmt: skip

    @staticmethod
    def _next_id(model: type) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def _flush(self, rows: dict[type, list[tuple]]) -> None:
        """Write what is collected, parents first, and forget it."""
        for model in (Session, Evaluation, CriterionScore, WeeklyCheckin, CheckinBehaviour):
            found = rows.pop(model, [])
            if found:
                _copy(model, self.COLUMNS[model], found)

    @staticmethod
    def _reset_sequences() -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in (Session, Evaluation, CriterionScore, WeeklyCheckin, CheckinBehaviour):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def _copy(model: type, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table: COPY on PostgreSQL,
    executemany elsewhere, in one transaction per call."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(rows), BATCH * 5):
            cursor.executemany(sql, rows[start : start + BATCH * 5])
