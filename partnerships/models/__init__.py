from partnerships.models.accounts import AccountInvitation
from partnerships.models.imports import StudentImport, StudentImportStatus
from partnerships.models.mentors import MentorLoadRule
from partnerships.models.partnerships import (
    Invitation,
    Partnership,
    PartnershipCompany,
    PartnershipRoleGroup,
    RaciCell,
    TeamMember,
    TeamRole,
)
from partnerships.models.permissions import (
    PartnershipGroupObjectPermission,
    PartnershipUserObjectPermission,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)
from partnerships.models.students import (
    ENDED_TRAJECT_STATUSES,
    KlassenraadAdvice,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    StudentContact,
    Traject,
    TrajectStatus,
    Weekday,
    WeekdayPlace,
)

__all__ = [
    "ENDED_TRAJECT_STATUSES",
    "AccountInvitation",
    "Invitation",
    "KlassenraadAdvice",
    "MentorLoadRule",
    "Partnership",
    "PartnershipCompany",
    "PartnershipGroupObjectPermission",
    "PartnershipRoleGroup",
    "PartnershipUserObjectPermission",
    "Placement",
    "PlacementSupervisor",
    "RaciCell",
    "SchoolClass",
    "Student",
    "StudentContact",
    "StudentImport",
    "StudentImportStatus",
    "TeamMember",
    "TeamRole",
    "Traject",
    "TrajectGroupObjectPermission",
    "TrajectStatus",
    "TrajectUserObjectPermission",
    "Weekday",
    "WeekdayPlace",
]
