"""The one service that turns team, placements and RACI matrix into object permissions.

``partnership_sync_grants`` recomputes every grant of a partnership and writes only the
difference, so it is idempotent and cheap to call after any change. Every service that changes
a team, a traject, a placement, a student's account or the matrix calls it in its transaction:
the next request sees the new rights, and a removal revokes at once.

Storage (ARCHITECTURE.md item 5): partnership-wide roles (school side, training centre) hold
their grants through a per-partnership role group; roles whose view depends on the traject
(company side, mentors, students, parents) hold per-user rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

from duaal.homes import invalidate_navigation
from partnerships import raci
from partnerships.models import (
    Partnership,
    PartnershipGroupObjectPermission,
    PartnershipRoleGroup,
    PartnershipUserObjectPermission,
    Placement,
    PlacementSupervisor,
    StudentContact,
    TeamMember,
    TeamRole,
    Traject,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)
from partnerships.models.partnerships import SCHOOL_ROLES, TRAINING_CENTRE_ROLES

# Roles that see every traject of the partnership: their grants go through a role group.
PARTNERSHIP_WIDE_ROLES = sorted(SCHOOL_ROLES | TRAINING_CENTRE_ROLES)
# Company roles that see the trajects placed in their own company.
COMPANY_WIDE_ROLES = {TeamRole.COORDINATOR_BEDRIJF, TeamRole.DIRECTIE_BEDRIJF}
# Roles that see only the trajects they supervise.
SUPERVISOR_ROLES = {TeamRole.MENTOR, TeamRole.BEGELEIDER}


def _permission_ids() -> tuple[dict[str, int], dict[str, int]]:
    partnership_ct = ContentType.objects.get_for_model(Partnership)
    traject_ct = ContentType.objects.get_for_model(Traject)
    partnership_perms: dict[str, int] = {}
    traject_perms: dict[str, int] = {}
    for pk, codename, ct_id in Permission.objects.filter(
        content_type__in=[partnership_ct, traject_ct]
    ).values_list("pk", "codename", "content_type_id"):
        (partnership_perms if ct_id == partnership_ct.pk else traject_perms)[codename] = pk
    return partnership_perms, traject_perms


def _role_groups(partnership: Partnership) -> dict[str, Group]:
    existing = {
        rg.role: rg.group
        for rg in PartnershipRoleGroup.objects.filter(partnership=partnership).select_related(
            "group"
        )
    }
    for role in PARTNERSHIP_WIDE_ROLES:
        if role not in existing:
            group = Group.objects.create(name=f"partnership-{partnership.public_id}-{role}")
            PartnershipRoleGroup.objects.create(partnership=partnership, role=role, group=group)
            existing[role] = group
    return existing


GROUP_ROW = ("group_id", "permission_id", "content_object_id")
USER_ROW = ("user_id", "permission_id", "content_object_id")


def _apply(rows: QuerySet, fields: tuple[str, ...], desired: AbstractSet[tuple[int, ...]]) -> None:
    """Make ``rows`` (this partnership's rows of one table) equal ``desired``.

    ``desired`` holds tuples of the values of ``fields``; rows not desired are deleted,
    missing ones created.
    """
    existing = {row[:-1]: row[-1] for row in rows.values_list(*fields, "pk")}
    extra = [pk for key, pk in existing.items() if key not in desired]
    if extra:
        rows.model.objects.filter(pk__in=extra).delete()
    missing = desired - existing.keys()
    if missing:
        rows.model.objects.bulk_create(
            [rows.model(**dict(zip(fields, key, strict=True))) for key in missing]
        )
    if extra or missing:
        invalidate_navigation()  # the menu's answers come from these rows


def _traject_scope(
    *,
    user_id: int,
    role: str,
    organisation_id: int,
    traject_ids: list[int],
    placed_in: dict[int, set[int]],
    supervised: dict[tuple[int, str], set[int]],
) -> set[int]:
    """The trajects of the partnership whose grants a team role reaches (access model item 3)."""
    if role in PARTNERSHIP_WIDE_ROLES:
        return set(traject_ids)
    if role in COMPANY_WIDE_ROLES:
        return set(placed_in.get(organisation_id, set()))
    if role in SUPERVISOR_ROLES:
        # A mentor's rights reach the students they mentor, a begeleider's those they guide.
        return set(supervised.get((user_id, role), set()))
    return set()  # preventieadviseur: the partnership, not the students' files


def _placements_and_supervisions(
    partnership: Partnership,
) -> tuple[dict[int, set[int]], dict[tuple[int, str], set[int]]]:
    placed_in: dict[int, set[int]] = defaultdict(set)  # company id -> traject ids
    for traject_id, company_id in Placement.objects.filter(
        traject__partnership=partnership
    ).values_list("traject_id", "company_id"):
        placed_in[company_id].add(traject_id)
    supervised: dict[tuple[int, str], set[int]] = defaultdict(set)  # (user id, kind) -> trajects
    for traject_id, user_id, kind in PlacementSupervisor.objects.filter(
        placement__traject__partnership=partnership
    ).values_list("placement__traject_id", "user_id", "kind"):
        supervised[(user_id, kind)].add(traject_id)
    return placed_in, supervised


@dataclass(frozen=True)
class RemovalAccess:
    """What one team role's removal takes from its person in one partnership."""

    trajects_lost: int  # trajects of the partnership they no longer see
    loses_partnership: bool  # they no longer see the partnership at all


def access_lost_on_removal(
    *, partnership: Partnership, members: list[TeamMember]
) -> dict[int, RemovalAccess]:
    """{member pk: RemovalAccess} for removing each of ``members`` (one role each) alone.

    What ``partnership_sync_grants`` would revoke: the person keeps what their other roles
    (here, or as company coordinator/directie elsewhere) and their own or their child's traject
    still give. A fixed number of queries, whatever the size of the team.
    """
    cells = {
        (task, role): letter
        for task, role, letter in partnership.raci_cells.values_list("task", "role", "letter")
    }
    grants = {role: raci.role_grants(cells, role) for role in TeamRole.values}
    user_ids = {m.user_id for m in members}
    company_ids = list(partnership.companies.values_list("company_id", flat=True))
    # (member pk or None for a company-wide role elsewhere, user id, role, organisation id)
    entries: list[tuple[int | None, int, str, int]] = list(
        TeamMember.objects.filter(partnership=partnership, user_id__in=user_ids).values_list(
            "pk", "user_id", "role", "organisation_id"
        )
    )
    entries += [
        (None, *row)
        for row in TeamMember.objects.filter(
            role__in=COMPANY_WIDE_ROLES, organisation_id__in=company_ids, user_id__in=user_ids
        )
        .exclude(partnership=partnership)
        .values_list("user_id", "role", "organisation_id")
        .distinct()
    ]
    traject_ids = list(Traject.objects.filter(partnership=partnership).values_list("pk", flat=True))
    placed_in, supervised = _placements_and_supervisions(partnership)
    family: dict[int, set[int]] = defaultdict(set)
    if grants[TeamRole.LEERLING][1]:
        for traject_id, user_id in Traject.objects.filter(
            partnership=partnership, student__user_id__in=user_ids
        ).values_list("pk", "student__user_id"):
            family[user_id].add(traject_id)
    if grants[TeamRole.OUDER][1]:
        for traject_id, user_id in StudentContact.objects.filter(
            student__trajects__partnership=partnership, user_id__in=user_ids
        ).values_list("student__trajects__pk", "user_id"):
            family[user_id].add(traject_id)

    def sees(user_id: int, role: str, organisation_id: int) -> tuple[bool, set[int]]:
        partnership_grants, traject_grants = grants[role]
        scope = _traject_scope(
            user_id=user_id,
            role=role,
            organisation_id=organisation_id,
            traject_ids=traject_ids,
            placed_in=placed_in,
            supervised=supervised,
        )
        return bool(partnership_grants), scope if traject_grants else set()

    result = {}
    for member in members:
        _own_view, own_scope = sees(member.user_id, member.role, member.organisation_id)
        keeps_partnership, kept = False, set(family.get(member.user_id, set()))
        for pk, user_id, role, organisation_id in entries:
            if user_id != member.user_id or pk == member.pk:
                continue
            view, scope = sees(user_id, role, organisation_id)
            keeps_partnership = keeps_partnership or view
            kept |= scope
        result[member.pk] = RemovalAccess(
            trajects_lost=len(own_scope - kept), loses_partnership=not keeps_partnership
        )
    return result


@transaction.atomic
def partnership_sync_grants(*, partnership: Partnership) -> None:
    """Recompute all object permissions of ``partnership``; write only the difference."""
    partnership_perm_ids, traject_perm_ids = _permission_ids()
    cells = {
        (task, role): letter
        for task, role, letter in partnership.raci_cells.values_list("task", "role", "letter")
    }
    grants = {role: raci.role_grants(cells, role) for role in TeamRole.values}

    def p_ids(role: str) -> set[int]:
        return {partnership_perm_ids[c] for c in grants[role][0]}

    def t_ids(role: str) -> set[int]:
        return {traject_perm_ids[c] for c in grants[role][1]}

    team = list(
        TeamMember.objects.filter(partnership=partnership).values_list(
            "user_id", "role", "organisation_id"
        )
    )
    # A company's coordinator and directie see the trajects placed in their company in every
    # partnership (ARCHITECTURE.md item 3), also where they are not on the team themselves.
    company_ids = list(partnership.companies.values_list("company_id", flat=True))
    team += list(
        TeamMember.objects.filter(role__in=COMPANY_WIDE_ROLES, organisation_id__in=company_ids)
        .exclude(partnership=partnership)
        .values_list("user_id", "role", "organisation_id")
        .distinct()
    )
    team = list(dict.fromkeys(team))
    traject_ids = list(Traject.objects.filter(partnership=partnership).values_list("pk", flat=True))
    placed_in, supervised = _placements_and_supervisions(partnership)

    # --- role groups: partnership-wide roles -------------------------------------------------
    groups = _role_groups(partnership)
    group_ids = {group.pk for group in groups.values()}
    desired_members = {
        (user_id, groups[role].pk) for user_id, role, _org in team if role in PARTNERSHIP_WIDE_ROLES
    }
    _apply(
        Group.user_set.through.objects.filter(group_id__in=group_ids),
        ("user_id", "group_id"),
        desired_members,
    )

    desired_gp = {
        (groups[role].pk, perm, partnership.pk)
        for role in PARTNERSHIP_WIDE_ROLES
        for perm in p_ids(role)
    }
    desired_gt = {
        (groups[role].pk, perm, traject_id)
        for role in PARTNERSHIP_WIDE_ROLES
        for perm in t_ids(role)
        for traject_id in traject_ids
    }

    # --- per-user rows: company roles, supervisors, students, parents -----------------------
    desired_up: set[tuple[int, int, int]] = set()
    desired_ut: set[tuple[int, int, int]] = set()
    for user_id, role, organisation_id in team:
        if role in PARTNERSHIP_WIDE_ROLES:
            continue
        desired_up |= {(user_id, perm, partnership.pk) for perm in p_ids(role)}
        scope = _traject_scope(
            user_id=user_id,
            role=role,
            organisation_id=organisation_id,
            traject_ids=traject_ids,
            placed_in=placed_in,
            supervised=supervised,
        )
        desired_ut |= {(user_id, perm, traject_id) for perm in t_ids(role) for traject_id in scope}

    for traject_id, user_id in Traject.objects.filter(
        partnership=partnership, student__user__isnull=False
    ).values_list("pk", "student__user_id"):
        desired_ut |= {(user_id, perm, traject_id) for perm in t_ids(TeamRole.LEERLING)}
    for traject_id, user_id in StudentContact.objects.filter(
        student__trajects__partnership=partnership, user__isnull=False
    ).values_list("student__trajects__pk", "user_id"):
        desired_ut |= {(user_id, perm, traject_id) for perm in t_ids(TeamRole.OUDER)}

    # --- write the difference -----------------------------------------------------------------
    _apply(
        PartnershipGroupObjectPermission.objects.filter(content_object=partnership),
        GROUP_ROW,
        desired_gp,
    )
    _apply(
        TrajectGroupObjectPermission.objects.filter(content_object__partnership=partnership),
        GROUP_ROW,
        desired_gt,
    )
    _apply(
        PartnershipUserObjectPermission.objects.filter(content_object=partnership),
        USER_ROW,
        desired_up,
    )
    _apply(
        TrajectUserObjectPermission.objects.filter(content_object__partnership=partnership),
        USER_ROW,
        desired_ut,
    )


def company_sync_grants(*, company_id: int) -> None:
    """Re-sync every partnership the company takes part in (its coordinators' view spans them)."""
    for partnership in Partnership.objects.filter(companies__company_id=company_id).distinct():
        partnership_sync_grants(partnership=partnership)


def partnerships_sync_grants_for_user(*, user_id: int) -> None:
    """Re-sync every partnership in which ``user_id`` has or had any grant (e.g. account changes)."""
    ids = set(TeamMember.objects.filter(user_id=user_id).values_list("partnership_id", flat=True))
    ids |= set(
        TrajectUserObjectPermission.objects.filter(user_id=user_id).values_list(
            "content_object__partnership_id", flat=True
        )
    )
    for partnership in Partnership.objects.filter(pk__in=ids):
        partnership_sync_grants(partnership=partnership)
