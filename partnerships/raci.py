"""The RACI template of the brochure's appendix 4, and what each letter allows.

The matrix is the permission policy: every task lists the permissions its Responsible and
Accountable roles need. R grants the task's write permissions, A the same plus approval,
C view and comment, I view (and notifications, in a later issue). Holding any letter gives a
role the view of the trajects in its scope (ARCHITECTURE.md, access model item 3).

Where the appendix names an Accountable per party (lesvoorbereiding, coachen, evalueren: the
school's and the company's coördinator duaal) both keep their A: a task needs at least one A
and at most one per side, and each A approves for its own side — the school side (school and
training centre) and the company side (that company's placements). See
docs/decisions/0003-raci-and-grants.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from partnerships.codenames import (
    APPROVE_PARTNERSHIP,
    APPROVE_TRAJECT,
    CHANGE_INTAKE,
    CHANGE_KLASSENRAAD,
    CHANGE_PARTNERSHIP,
    CHANGE_RACI,
    CHANGE_STATUS,
    COACH,
    COMMENT_PARTNERSHIP,
    COMMENT_TRAJECT,
    CREATE_TRAJECTS,
    DELETE_TRAJECT,
    DESIGN_PLAN,
    EVALUATE,
    MANAGE_CONTRACT,
    MANAGE_INSURANCE,
    MANAGE_MEDICAL,
    MANAGE_PLACEMENTS,
    MANAGE_SAFETY,
    MANAGE_TEAM,
    PREPARE_LESSONS,
    VIEW_INTERNAL,
    VIEW_PARTNERSHIP,
    VIEW_TRAJECT,
    WELFARE,
)
from partnerships.models.partnerships import TEAM_ROLES
from partnerships.models.partnerships import TeamRole as Role


@dataclass(frozen=True)
class RaciTask:
    code: str
    phase: str
    name: str
    defaults: dict[str, str]
    partnership_permissions: frozenset[str] = field(default_factory=frozenset)
    traject_permissions: frozenset[str] = field(default_factory=frozenset)
    # Traject permissions only the Accountable gets (e.g. deleting a student's file).
    accountable_traject_permissions: frozenset[str] = field(default_factory=frozenset)


PHASES: list[tuple[str, str]] = [
    ("toeleiden", _("Toeleiden")),
    ("administratie", _("Administratieve voorbereiding")),
    ("ontwerpen", _("Ontwerpen van het leerproces")),
    ("coachen", _("Coachen van het leerproces")),
    ("monitoren", _("Monitoren van het leerproces")),
]

TB, LK, CS, DS = (
    Role.TRAJECTBEGELEIDER,
    Role.LEERKRACHT,
    Role.COORDINATOR_SCHOOL,
    Role.DIRECTIE_SCHOOL,
)
M, B, CB, DB = Role.MENTOR, Role.BEGELEIDER, Role.COORDINATOR_BEDRIJF, Role.DIRECTIE_BEDRIJF
OC, PA, LL, OU = Role.OPLEIDINGSCENTRUM, Role.PREVENTIEADVISEUR, Role.LEERLING, Role.OUDER

TASKS: list[RaciTask] = [
    RaciTask(
        "informeren_rekruteren",
        "toeleiden",
        _("Informeren en rekruteren van leerlingen (intern en extern)"),
        {TB: "R", LK: "R", CS: "A", CB: "C", DS: "I"},
        partnership_permissions=frozenset({CREATE_TRAJECTS}),
        accountable_traject_permissions=frozenset({DELETE_TRAJECT}),
    ),
    RaciTask(
        "informeren_mentoren",
        "toeleiden",
        _("Informeren toekomstige begeleiders en mentoren"),
        {CB: "R", DB: "A", CS: "C", DS: "I"},
        partnership_permissions=frozenset({MANAGE_TEAM}),
    ),
    RaciTask(
        "screening",
        "toeleiden",
        _("Screening"),
        {TB: "R", M: "R", CS: "A", CB: "C", LK: "C", DS: "I", DB: "I", OU: "I", LL: "I"},
        # R and A record the intake; only the A decides the status (a mentor cannot stop a traject).
        traject_permissions=frozenset({CHANGE_INTAKE}),
        accountable_traject_permissions=frozenset({CHANGE_STATUS}),
    ),
    RaciTask(
        "contracten",
        "administratie",
        _("Opmaken contracten"),
        {CS: "R", DS: "A", CB: "C", LL: "I", OU: "I"},
        # Setting up the partnership (companies, team, matrix) is administrative preparation.
        partnership_permissions=frozenset({MANAGE_TEAM, CHANGE_PARTNERSHIP, CHANGE_RACI}),
        traject_permissions=frozenset({MANAGE_PLACEMENTS, MANAGE_CONTRACT}),
    ),
    RaciTask(
        "verzekering",
        "administratie",
        _("Verzekering"),
        {CS: "R", DS: "A", CB: "C", LL: "I", OU: "I"},
        traject_permissions=frozenset({MANAGE_INSURANCE}),
    ),
    RaciTask(
        "materiaal",
        "administratie",
        _("Overeenkomst sluiten in verband met het uitlenen van materiaal"),
        {CS: "R", DS: "A", CB: "C", LK: "C", LL: "I"},
    ),
    RaciTask(
        "werkpostfiche",
        "administratie",
        _("Opmaken werkpostfiche (risicoanalyse)"),
        {CB: "R", DB: "A", CS: "C", PA: "I"},
        traject_permissions=frozenset({MANAGE_SAFETY}),
    ),
    RaciTask(
        "jaarplanning",
        "ontwerpen",
        _("Jaarplanning"),
        {TB: "R", DS: "A", CS: "C", CB: "C", OC: "C", M: "C", LL: "I", OU: "I", DB: "I"},
        partnership_permissions=frozenset({CHANGE_PARTNERSHIP, CHANGE_RACI}),
        traject_permissions=frozenset({MANAGE_PLACEMENTS}),
    ),
    RaciTask(
        "leerinhouden",
        "ontwerpen",
        _("Leerinhouden en -ervaringen in het bedrijf / de school bepalen en structureren"),
        {LK: "R", DS: "A", M: "C", OC: "C", TB: "C", CS: "I", CB: "I", DB: "I"},
        partnership_permissions=frozenset({DESIGN_PLAN}),
    ),
    RaciTask(
        "lesvoorbereiding",
        "ontwerpen",
        _(
            "Lesvoorbereiding, evaluatiecriteria en -methodiek en lesmateriaal voorzien (incl. PBM's)"
        ),
        {LK: "R", M: "R", OC: "R", CS: "A", CB: "A", B: "C", DS: "I"},
        partnership_permissions=frozenset({PREPARE_LESSONS}),
    ),
    RaciTask(
        "coachen",
        "coachen",
        _("Begeleiden en coachen leerproces, remediëren"),
        {LK: "R", B: "R", OC: "R", CS: "A", CB: "A", M: "C", DS: "I", DB: "I"},
        traject_permissions=frozenset({COACH}),
    ),
    RaciTask(
        "evalueren",
        "coachen",
        _("Evalueren en feedback geven"),
        {LK: "R", M: "R", CS: "A", CB: "A", OC: "C", B: "C", TB: "C", DS: "I", DB: "I"},
        traject_permissions=frozenset({EVALUATE}),
    ),
    RaciTask(
        "onthaal",
        "coachen",
        _("Onthaal en aandacht voor welzijn leerling op werkvloer"),
        {M: "R", CB: "A", TB: "C", B: "C", CS: "I"},
        traject_permissions=frozenset({WELFARE}),
    ),
    RaciTask(
        "medisch",
        "coachen",
        _("Organiseren medisch onderzoek"),
        {CS: "R", DS: "A", LL: "C", CB: "I", TB: "I"},
        traject_permissions=frozenset({MANAGE_MEDICAL}),
    ),
    RaciTask(
        "klassenraad",
        "monitoren",
        _("Klassenraad"),
        {LK: "R", DS: "A", M: "C", OC: "C", TB: "C", LL: "I", OU: "I", CB: "I", CS: "I"},
        traject_permissions=frozenset({CHANGE_KLASSENRAAD}),
    ),
    RaciTask(
        "diploma",
        "monitoren",
        _("Uitreiken diploma"),
        {DS: "RA", LK: "C", CB: "I", CS: "I", M: "I", TB: "I", LL: "I", OU: "I"},
    ),
]

TASKS_BY_CODE: dict[str, RaciTask] = {task.code: task for task in TASKS}

# The matrix's columns, in the appendix's order: school, company, training centre, student side.
MATRIX_ROLES: list[Role] = [TB, LK, CS, DS, M, B, CB, DB, PA, OC, LL, OU]


def letter_grants(task: RaciTask, letter: str) -> tuple[set[str], set[str]]:
    """(partnership permissions, traject permissions) that ``letter`` on ``task`` grants."""
    partnership: set[str] = {VIEW_PARTNERSHIP}
    traject: set[str] = {VIEW_TRAJECT}
    if "R" in letter or "A" in letter:
        partnership |= task.partnership_permissions
        traject |= task.traject_permissions
    if "A" in letter:
        partnership.add(APPROVE_PARTNERSHIP)
        traject.add(APPROVE_TRAJECT)
        traject |= task.accountable_traject_permissions
    if letter == "C":
        partnership.add(COMMENT_PARTNERSHIP)
        traject.add(COMMENT_TRAJECT)
    return partnership, traject


def role_grants(cells: dict[tuple[str, str], str], role: str) -> tuple[set[str], set[str]]:
    """Union of the grants of every letter ``role`` holds in a matrix {(task, role): letter}.

    A role without any letter gets nothing, not even the view. A team role that sees the
    trajects also reads the team's internal text (``VIEW_INTERNAL``); the student and the
    parents never do, whatever their letters (``partnerships.sharing``).
    """
    partnership: set[str] = set()
    traject: set[str] = set()
    for task in TASKS:
        letter = cells.get((task.code, role))
        if letter:
            p, t = letter_grants(task, letter)
            partnership |= p
            traject |= t
    if traject and role in TEAM_ROLES:
        traject.add(VIEW_INTERNAL)
    return partnership, traject


# The two sides that approve, each for its own part of the partnership: the school side (school
# and training centre: every traject) and the company side (that company's placements). The
# student and the parents approve nothing.
SCHOOL_SIDE: frozenset[str] = frozenset({TB, LK, CS, DS, OC})
COMPANY_SIDE: frozenset[str] = frozenset({M, B, CB, DB, PA})


def side_of(role: str) -> frozenset[str] | None:
    """The side ``role`` approves for, or None for the student and the parents."""
    if role in SCHOOL_SIDE:
        return SCHOOL_SIDE
    if role in COMPANY_SIDE:
        return COMPANY_SIDE
    return None


def validate_task_letters(letters: dict[str, str]) -> list[str]:
    """Problems with one task's letters {role: letter}: at least one A and at most one per side
    (never the student's or the parents'), at least one R."""
    problems = []
    accountable = [role for role, letter in letters.items() if "A" in letter]
    responsible = [role for role, letter in letters.items() if "R" in letter]
    sides = [side_of(role) for role in accountable]
    if not accountable or None in sides or len(set(sides)) != len(sides):
        problems.append("accountable")
    if not responsible:
        problems.append("responsible")
    return problems
