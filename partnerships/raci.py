"""The RACI template of the brochure's appendix 4, and what each letter allows.

The matrix is the permission policy: every task lists the permissions its Responsible and
Accountable roles need. R grants the task's write permissions, A the same plus approval,
C view and comment, I view (and notifications, in a later issue). Holding any letter gives a
role the view of the trajects in its scope (ARCHITECTURE.md, access model item 3).

Where the appendix names several Accountables for one task (one per party) we keep exactly
one A — the school-side coordinator — and make the company-side one Consulted; see
docs/decisions/0003-raci-and-grants.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from partnerships.models.partnerships import TeamRole as Role

# Permission codenames. "partnership.x" is a Partnership permission, plain "x" a Traject one.
VIEW_PARTNERSHIP = "view_partnership"
VIEW_TRAJECT = "view_traject"
COMMENT_TRAJECT = "comment_traject"
APPROVE_TRAJECT = "approve_traject"
COMMENT_PARTNERSHIP = "comment_partnership"
APPROVE_PARTNERSHIP = "approve_partnership"


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
        partnership_permissions=frozenset({"create_trajects"}),
        accountable_traject_permissions=frozenset({"delete_traject"}),
    ),
    RaciTask(
        "informeren_mentoren",
        "toeleiden",
        _("Informeren toekomstige begeleiders en mentoren"),
        {CB: "R", DB: "A", CS: "C", DS: "I"},
        partnership_permissions=frozenset({"manage_team"}),
    ),
    RaciTask(
        "screening",
        "toeleiden",
        _("Screening"),
        {TB: "R", M: "R", CS: "A", CB: "C", LK: "C", DS: "I", DB: "I", OU: "I", LL: "I"},
        traject_permissions=frozenset({"change_traject"}),
    ),
    RaciTask(
        "contracten",
        "administratie",
        _("Opmaken contracten"),
        {CS: "R", DS: "A", CB: "C", LL: "I", OU: "I"},
        # Setting up the partnership (companies, team, matrix) is administrative preparation.
        partnership_permissions=frozenset({"manage_team", "change_partnership", "change_raci"}),
        traject_permissions=frozenset({"manage_placements"}),
    ),
    RaciTask(
        "verzekering",
        "administratie",
        _("Verzekering"),
        {CS: "R", DS: "A", CB: "C", LL: "I", OU: "I"},
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
        {CB: "R", DB: "A", PA: "C", CS: "I"},
    ),
    RaciTask(
        "jaarplanning",
        "ontwerpen",
        _("Jaarplanning"),
        {TB: "R", DS: "A", CS: "C", CB: "C", OC: "C", M: "C", LL: "I", OU: "I", DB: "I"},
        partnership_permissions=frozenset({"change_partnership", "change_raci"}),
        traject_permissions=frozenset({"manage_placements"}),
    ),
    RaciTask(
        "leerinhouden",
        "ontwerpen",
        _("Leerinhouden en -ervaringen in het bedrijf / de school bepalen en structureren"),
        {LK: "R", DS: "A", M: "C", OC: "C", TB: "C", CS: "I", CB: "I", DB: "I"},
    ),
    RaciTask(
        "lesvoorbereiding",
        "ontwerpen",
        _(
            "Lesvoorbereiding, evaluatiecriteria en -methodiek en lesmateriaal voorzien (incl. PBM's)"
        ),
        {LK: "R", M: "R", OC: "R", CS: "A", CB: "C", B: "C", DS: "I"},
    ),
    RaciTask(
        "coachen",
        "coachen",
        _("Begeleiden en coachen leerproces, remediëren"),
        {LK: "R", B: "R", OC: "R", CS: "A", CB: "C", M: "C", DS: "I", DB: "I"},
        traject_permissions=frozenset({"coach_traject"}),
    ),
    RaciTask(
        "evalueren",
        "coachen",
        _("Evalueren en feedback geven"),
        {LK: "R", M: "R", CS: "A", CB: "C", OC: "C", B: "C", TB: "C", DS: "I", DB: "I"},
        traject_permissions=frozenset({"evaluate_traject"}),
    ),
    RaciTask(
        "onthaal",
        "coachen",
        _("Onthaal en aandacht voor welzijn leerling op werkvloer"),
        {M: "R", CB: "A", TB: "C", B: "C", CS: "I"},
        traject_permissions=frozenset({"coach_traject"}),
    ),
    RaciTask(
        "medisch",
        "coachen",
        _("Organiseren medisch onderzoek"),
        {CS: "R", DS: "A", LL: "C", CB: "I", TB: "I"},
    ),
    RaciTask(
        "klassenraad",
        "monitoren",
        _("Klassenraad"),
        {LK: "R", DS: "A", M: "C", OC: "C", TB: "C", LL: "I", OU: "I", CB: "I", CS: "I"},
        traject_permissions=frozenset({"change_klassenraad"}),
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

    A role without any letter gets nothing, not even the view.
    """
    partnership: set[str] = set()
    traject: set[str] = set()
    for task in TASKS:
        letter = cells.get((task.code, role))
        if letter:
            p, t = letter_grants(task, letter)
            partnership |= p
            traject |= t
    return partnership, traject


def validate_task_letters(letters: dict[str, str]) -> list[str]:
    """Problems with one task's letters {role: letter}: exactly one A, at least one R."""
    problems = []
    accountable = [role for role, letter in letters.items() if "A" in letter]
    responsible = [role for role, letter in letters.items() if "R" in letter]
    if len(accountable) != 1:
        problems.append("accountable")
    if not responsible:
        problems.append("responsible")
    return problems
