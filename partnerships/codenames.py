"""Permission codenames, re-exported by ``partnerships.permissions`` (the module to ask).

Every permission a view, service or plug-in asks about is one of these constants; the RACI
template (``partnerships.raci``) maps each task to the ones its letters grant. Partnership
permissions are held on a Partnership, traject permissions on a Traject. Kept apart from the
access module so that the models can declare them without an import cycle.
"""

from __future__ import annotations

# Partnership permissions
VIEW_PARTNERSHIP = "view_partnership"
CHANGE_PARTNERSHIP = "change_partnership"
MANAGE_TEAM = "manage_team"
CHANGE_RACI = "change_raci"
CREATE_TRAJECTS = "create_trajects"
DESIGN_PLAN = "design_plan"  # Leerinhouden … bepalen en structureren: the opleidingsplan
PREPARE_LESSONS = "prepare_lessons"  # Lesvoorbereiding, evaluatiecriteria …: bedrijfsfiches
COMMENT_PARTNERSHIP = "comment_partnership"
APPROVE_PARTNERSHIP = "approve_partnership"

# Traject permissions
VIEW_TRAJECT = "view_traject"
CHANGE_INTAKE = "change_intake"  # intake conversation and beginsituatie (Screening R and A)
CHANGE_STATUS = "change_status"  # running, completed, stopped early (Screening A only)
DELETE_TRAJECT = "delete_traject"
MANAGE_PLACEMENTS = "manage_placements"
CHANGE_KLASSENRAAD = "change_klassenraad"
COACH = "coach_traject"
EVALUATE = "evaluate_traject"  # Evalueren en feedback geven
MANAGE_CONTRACT = "manage_contract"  # Opmaken contracten
MANAGE_INSURANCE = "manage_insurance"  # Verzekering
MANAGE_SAFETY = "manage_safety"  # Opmaken werkpostfiche (risicoanalyse)
MANAGE_MEDICAL = "manage_medical"  # Organiseren medisch onderzoek
WELFARE = "welfare"  # Onthaal en aandacht voor welzijn leerling op werkvloer
COMMENT_TRAJECT = "comment_traject"
APPROVE_TRAJECT = "approve_traject"
# Read the team's internal text (``partnerships.sharing``): every team role that sees the
# traject, never the student or the parents.
VIEW_INTERNAL = "view_internal"

# Custom permissions declared on the models (view/change/delete come with Django).
PARTNERSHIP_PERMISSIONS: dict[str, str] = {
    MANAGE_TEAM: "Invite and remove team members",
    CHANGE_RACI: "Change the RACI matrix",
    CREATE_TRAJECTS: "Add students and trajects",
    DESIGN_PLAN: "Design the opleidingsplan",
    PREPARE_LESSONS: "Prepare lessons and evaluation criteria (bedrijfsfiches)",
    COMMENT_PARTNERSHIP: "Comment (consulted)",
    APPROVE_PARTNERSHIP: "Approve (accountable)",
}
TRAJECT_PERMISSIONS: dict[str, str] = {
    CHANGE_INTAKE: "Change the intake and beginsituatie",
    CHANGE_STATUS: "Change the traject's status",
    MANAGE_PLACEMENTS: "Manage placements and mentors",
    CHANGE_KLASSENRAAD: "Record the klassenraad's advice",
    COACH: "Coach and remediate",
    EVALUATE: "Evaluate and give feedback",
    MANAGE_CONTRACT: "Draw up contracts",
    MANAGE_INSURANCE: "Arrange insurance",
    MANAGE_SAFETY: "Draw up the werkpostfiche (risk analysis)",
    MANAGE_MEDICAL: "Organise the medical examination",
    WELFARE: "Welcome the student and look after their welfare",
    COMMENT_TRAJECT: "Comment (consulted)",
    APPROVE_TRAJECT: "Approve (accountable)",
    VIEW_INTERNAL: "Read the team's internal notes",
}
