"""Grants follow roles (QUALITY.md): team, placement and matrix changes hold on the next
request, the grants service is idempotent, deletions leave no permission rows, and the stored
grants are exactly what the access model says — recomputed here independently of
``partnerships.services.grants`` from ARCHITECTURE.md item 3 and ``raci.role_grants``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organisations import demo as people
from organisations.models import Organisation
from partnerships import permissions, raci
from partnerships.demo import cast
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    PartnershipGroupObjectPermission,
    PartnershipRoleGroup,
    PartnershipUserObjectPermission,
    Placement,
    PlacementSupervisor,
    RaciCell,
    StudentContact,
    TeamMember,
    TeamRole,
    Traject,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.partnerships import (
    raci_set_letter,
    team_member_add,
    team_member_remove,
)
from partnerships.services.trajects import placement_create, placement_delete, traject_delete

pytestmark = pytest.mark.django_db

SCHOOL_SIDE = {
    TeamRole.TRAJECTBEGELEIDER,
    TeamRole.LEERKRACHT,
    TeamRole.COORDINATOR_SCHOOL,
    TeamRole.DIRECTIE_SCHOOL,
}
COMPANY_WIDE = {TeamRole.COORDINATOR_BEDRIJF, TeamRole.DIRECTIE_BEDRIJF}
SUPERVISING = {TeamRole.MENTOR, TeamRole.BEGELEIDER}

Grant = tuple[int, str, int]  # (user id, permission codename, object id)


# --- the access model, recomputed -------------------------------------------------------------


def expected_grants() -> tuple[set[Grant], set[Grant]]:
    """(partnership grants, traject grants) the access model gives, for the whole database.

    ARCHITECTURE.md item 3 decides the scope of each role, the partnership's matrix decides
    the permissions (``raci.role_grants``); how they are stored is not assumed.
    """
    on_partnerships: set[Grant] = set()
    on_trajects: set[Grant] = set()
    for partnership in Partnership.objects.all():
        cells = {
            (task, role): letter
            for task, role, letter in RaciCell.objects.filter(partnership=partnership).values_list(
                "task", "role", "letter"
            )
        }
        trajects = set(partnership.trajects.values_list("pk", flat=True))
        companies_of: dict[int, set[int]] = defaultdict(set)
        for traject_id, company_id in Placement.objects.filter(
            traject__partnership=partnership
        ).values_list("traject_id", "company_id"):
            companies_of[traject_id].add(company_id)
        assigned: dict[tuple[int, str], set[int]] = defaultdict(set)
        for traject_id, user_id, kind in PlacementSupervisor.objects.filter(
            placement__traject__partnership=partnership
        ).values_list("placement__traject_id", "user_id", "kind"):
            assigned[(user_id, kind)].add(traject_id)

        # A company's coordinator/directie (on any partnership's team) see the trajects placed
        # in their company in every partnership, every school (item 3).
        company_ids = set(partnership.companies.values_list("company_id", flat=True))
        people = set(
            TeamMember.objects.filter(partnership=partnership).values_list(
                "user_id", "role", "organisation_id"
            )
        ) | set(
            TeamMember.objects.filter(
                role__in=COMPANY_WIDE, organisation_id__in=company_ids
            ).values_list("user_id", "role", "organisation_id")
        )
        for user_id, role, organisation_id in people:
            partnership_perms, traject_perms = raci.role_grants(cells, role)
            on_partnerships |= {(user_id, perm, partnership.pk) for perm in partnership_perms}
            if role in SCHOOL_SIDE or role == TeamRole.OPLEIDINGSCENTRUM:
                scope = trajects
            elif role in COMPANY_WIDE:
                scope = {t for t in trajects if organisation_id in companies_of[t]}
            elif role in SUPERVISING:
                scope = assigned[(user_id, role)]
            else:  # preventieadviseur: the partnership only
                scope = set()
            on_trajects |= {(user_id, perm, t) for perm in traject_perms for t in scope}

        student_perms = raci.role_grants(cells, TeamRole.LEERLING)[1]
        for traject_id, user_id in Traject.objects.filter(
            partnership=partnership, student__user__isnull=False
        ).values_list("pk", "student__user_id"):
            on_trajects |= {(user_id, perm, traject_id) for perm in student_perms}
        parent_perms = raci.role_grants(cells, TeamRole.OUDER)[1]
        for traject in Traject.objects.filter(partnership=partnership):
            for user_id in StudentContact.objects.filter(
                student_id=traject.student_id, user__isnull=False
            ).values_list("user_id", flat=True):
                on_trajects |= {(user_id, perm, traject.pk) for perm in parent_perms}
    return on_partnerships, on_trajects


def stored_grants() -> tuple[set[Grant], set[Grant]]:
    """What the permission tables give each user, directly or through a group."""
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, user_id in User.groups.through.objects.values_list("group_id", "user_id"):
        members[group_id].add(user_id)
    result = []
    for user_model, group_model in (
        (PartnershipUserObjectPermission, PartnershipGroupObjectPermission),
        (TrajectUserObjectPermission, TrajectGroupObjectPermission),
    ):
        grants = set(
            user_model.objects.values_list("user_id", "permission__codename", "content_object_id")
        )
        for group_id, codename, object_id in group_model.objects.values_list(
            "group_id", "permission__codename", "content_object_id"
        ):
            grants |= {(user_id, codename, object_id) for user_id in members[group_id]}
        result.append(grants)
    return result[0], result[1]


def assert_grants_match_the_access_model() -> None:
    expected_p, expected_t = expected_grants()
    stored_p, stored_t = stored_grants()
    assert stored_p - expected_p == set(), "partnership grants nobody should have"
    assert expected_p - stored_p == set(), "partnership grants missing"
    assert stored_t - expected_t == set(), "traject grants nobody should have"
    assert expected_t - stored_t == set(), "traject grants missing"


def _team_and_company_staff(partnership_id: int) -> set[int]:
    """The team, plus the coordinators/directie of the partnership's companies (item 3)."""
    company_ids = PartnershipCompany.objects.filter(partnership_id=partnership_id).values(
        "company_id"
    )
    return set(
        TeamMember.objects.filter(partnership_id=partnership_id).values_list("user_id", flat=True)
    ) | set(
        TeamMember.objects.filter(
            role__in=COMPANY_WIDE, organisation_id__in=company_ids
        ).values_list("user_id", flat=True)
    )


def assert_no_orphaned_rows() -> None:
    """Every row belongs to someone the traject's or partnership's team explains."""
    for row in TrajectUserObjectPermission.objects.select_related("content_object__student"):
        traject = row.content_object
        related = _team_and_company_staff(traject.partnership_id)
        related |= set(
            PlacementSupervisor.objects.filter(placement__traject=traject).values_list(
                "user_id", flat=True
            )
        )
        related |= {traject.student.user_id}
        related |= set(
            StudentContact.objects.filter(student_id=traject.student_id).values_list(
                "user_id", flat=True
            )
        )
        assert row.user_id in related, (row.user_id, traject)
    for row in PartnershipUserObjectPermission.objects.all():
        assert row.user_id in _team_and_company_staff(row.content_object_id)
    role_group_of = dict(PartnershipRoleGroup.objects.values_list("group_id", "partnership_id"))
    for group_id, partnership_id in TrajectGroupObjectPermission.objects.values_list(
        "group_id", "content_object__partnership_id"
    ):
        assert role_group_of.get(group_id) == partnership_id
    for group_id, partnership_id in PartnershipGroupObjectPermission.objects.values_list(
        "group_id", "content_object_id"
    ):
        assert role_group_of.get(group_id) == partnership_id
    for role_group in PartnershipRoleGroup.objects.all():
        holders = set(
            TeamMember.objects.filter(
                partnership_id=role_group.partnership_id, role=role_group.role
            ).values_list("user_id", flat=True)
        )
        in_group = set(
            User.groups.through.objects.filter(group_id=role_group.group_id).values_list(
                "user_id", flat=True
            )
        )
        assert in_group == holders, role_group


def assert_consistent() -> None:
    assert_grants_match_the_access_model()
    assert_no_orphaned_rows()


# --- helpers --------------------------------------------------------------------------------


def _partnership(key: str) -> Partnership:
    spec = next(p for p in cast.PARTNERSHIPS if p.key == key)
    school = next(o.name for o in people.ORGANISATIONS if o.key == spec.school)
    return Partnership.objects.get(name=spec.name, school__name=school)


def _traject(first_name: str) -> Traject:
    return Traject.objects.select_related("partnership").get(student__first_name=first_name)


def _sees(user: User, first_name: str, perm: str | None = None) -> bool:
    """True when the fetch-and-authorise helper returns the traject; False on 404."""
    try:
        permissions.get_traject_for_user(
            user=user, public_id=_traject(first_name).public_id, perm=perm
        )
    except Http404:
        return False
    return True


def _member(email: str, key: str, role: str) -> TeamMember:
    return TeamMember.objects.get(user__email=email, partnership=_partnership(key), role=role)


# --- the demo as seeded ---------------------------------------------------------------------


def test_the_seeded_demo_holds_exactly_the_access_model(demo_cast):
    assert_consistent()
    # The check has teeth: the demo gives grants on every traject and partnership.
    stored_p, stored_t = stored_grants()
    assert {object_id for _u, _c, object_id in stored_t} == set(
        Traject.objects.values_list("pk", flat=True)
    )
    assert {object_id for _u, _c, object_id in stored_p} == set(
        Partnership.objects.values_list("pk", flat=True)
    )


# --- role changes ---------------------------------------------------------------------------


def test_removing_a_school_role_revokes_at_once(demo_cast):
    lk = demo_cast["lk@sintjozef.demo"]
    assert _sees(lk, "Lotte")

    team_member_remove(
        actor=demo_cast["coord@sintjozef.demo"],
        member=_member("lk@sintjozef.demo", "A1", TeamRole.LEERKRACHT),
    )

    assert not _sees(lk, "Lotte")
    assert not _sees(lk, "Mohamed")
    assert not permissions.partnerships_visible_to(user=lk).exists()
    assert_consistent()


def test_a_company_coordinator_sees_the_company_in_every_partnership(demo_cast):
    """Item 3: company coordinator/directie see the trajects placed in their company in every
    partnership, every school — so leaving B1's team does not hide Jonas (placed at X), but
    leaving the last team where they coordinate company X hides everything."""
    coordinator = demo_cast["coord@vandenberghe.demo"]
    # Nobody removes a company's last coördinator: the directie coordinates too.
    for key in ("A1", "B1"):
        team_member_add(
            actor=demo_cast["coord@sintjozef.demo" if key == "A1" else "tb@dering.demo"],
            partnership=_partnership(key),
            user=demo_cast["directie@vandenberghe.demo"],
            role=TeamRole.COORDINATOR_BEDRIJF,
            organisation=Organisation.objects.get(name="Metaalbouw Vandenberghe"),
        )
    team_member_remove(
        actor=demo_cast["tb@dering.demo"],
        member=_member("coord@vandenberghe.demo", "B1", TeamRole.COORDINATOR_BEDRIJF),
    )
    assert _sees(coordinator, "Jonas")
    assert _sees(coordinator, "Lotte")
    assert_consistent()

    team_member_remove(
        actor=demo_cast["coord@sintjozef.demo"],
        member=_member("coord@vandenberghe.demo", "A1", TeamRole.COORDINATOR_BEDRIJF),
    )
    assert not _sees(coordinator, "Jonas")
    assert not _sees(coordinator, "Lotte")
    assert not _sees(coordinator, "Mohamed")
    assert_consistent()


def test_removing_a_mentor_revokes_the_student_and_the_assignment(demo_cast):
    # Tom Lambrechts (mentor2) leaves A1, where he guides Mohamed; he stays Jonas' mentor in
    # B1. Patrick Hermans (Lotte, and Noor of the contracts demo) has room to take Mohamed.
    mentor = demo_cast["mentor2@vandenberghe.demo"]
    team_member_remove(
        actor=demo_cast["coord@sintjozef.demo"],
        member=_member("mentor2@vandenberghe.demo", "A1", TeamRole.MENTOR),
        # Mohamed's running placement would lose its only mentor: Patrick takes over.
        replacements={
            _traject("Mohamed").placements.get().pk: demo_cast["mentor@vandenberghe.demo"]
        },
    )

    assert not _sees(mentor, "Mohamed")
    assert _sees(mentor, "Jonas")
    assert not PlacementSupervisor.objects.filter(
        user=mentor, placement__traject__partnership=_partnership("A1")
    ).exists()
    assert_consistent()


# --- placement changes ----------------------------------------------------------------------


def test_deleting_and_recreating_a_placement_moves_the_company_side_view(demo_cast):
    lotte = _traject("Lotte")
    company_side = [
        demo_cast[email]
        for email in (
            "mentor@vandenberghe.demo",
            "coord@vandenberghe.demo",
            "directie@vandenberghe.demo",
        )
    ]
    placement = lotte.placements.get()
    company, vestiging = placement.company, placement.vestiging

    placement_delete(actor=demo_cast["coord@sintjozef.demo"], placement=placement)

    assert [_sees(user, "Lotte") for user in company_side] == [False, False, False]
    assert _sees(demo_cast["tb@sintjozef.demo"], "Lotte")  # the school side keeps the file
    assert _sees(demo_cast["coord@vandenberghe.demo"], "Mohamed")  # other placements stay
    assert_consistent()

    first, _last = lotte.partnership.school_year_bounds
    placement_create(
        actor=demo_cast["coord@sintjozef.demo"],
        traject=lotte,
        company=company,
        vestiging=vestiging,
        start_date=first,
        end_date=date(first.year + 1, 1, 31),
        weekly_pattern={"monday": "company"},
        workplace_hours_per_week=Decimal("20"),
        mentors=[demo_cast["mentor@vandenberghe.demo"]],
    )

    assert [_sees(user, "Lotte") for user in company_side] == [True, True, True]
    assert_consistent()


def test_a_company_outside_the_placement_never_sees_the_student(demo_cast):
    # Emma is placed at company Z: company X's people do not see her, whatever their role.
    for email in (
        "coord@vandenberghe.demo",
        "directie@vandenberghe.demo",
        "mentor2@vandenberghe.demo",
    ):
        assert not _sees(demo_cast[email], "Emma")


# --- matrix changes -------------------------------------------------------------------------


def test_a_letter_change_moves_a_permission_on_the_next_request(demo_cast):
    a1 = _partnership("A1")
    coord = demo_cast["coord@sintjozef.demo"]
    lk, tb = demo_cast["lk@sintjozef.demo"], demo_cast["tb@sintjozef.demo"]
    assert _sees(lk, "Lotte", perm="change_klassenraad")
    with pytest.raises(PermissionDenied):
        permissions.get_traject_for_user(
            user=tb, public_id=_traject("Lotte").public_id, perm="change_klassenraad"
        )

    # The task keeps one R throughout: first the trajectbegeleider becomes R, then the teacher C.
    raci_set_letter(
        actor=coord, partnership=a1, task="klassenraad", role=TeamRole.TRAJECTBEGELEIDER, letter="R"
    )
    raci_set_letter(
        actor=coord, partnership=a1, task="klassenraad", role=TeamRole.LEERKRACHT, letter="C"
    )

    assert _sees(tb, "Lotte", perm="change_klassenraad")
    with pytest.raises(PermissionDenied):
        permissions.get_traject_for_user(
            user=lk, public_id=_traject("Lotte").public_id, perm="change_klassenraad"
        )
    assert _sees(lk, "Lotte", perm="comment_traject")  # C: view and comment
    # A2 has its own matrix, unchanged: there the trajectbegeleider still may not.
    with pytest.raises(PermissionDenied):
        permissions.get_traject_for_user(
            user=tb, public_id=_traject("Emma").public_id, perm="change_klassenraad"
        )
    assert_consistent()


def test_a_role_without_any_letter_loses_the_view(demo_cast):
    a1 = _partnership("A1")
    coord = demo_cast["coord@sintjozef.demo"]
    oc = demo_cast["oc@octl.demo"]
    tasks = list(
        RaciCell.objects.filter(partnership=a1, role=TeamRole.OPLEIDINGSCENTRUM).values_list(
            "task", "letter"
        )
    )
    assert tasks  # the template gives the training centre letters

    for task, _letter in tasks:
        raci_set_letter(
            actor=coord, partnership=a1, task=task, role=TeamRole.OPLEIDINGSCENTRUM, letter=""
        )

    assert not _sees(oc, "Lotte")
    assert not permissions.partnerships_visible_to(user=oc).exists()
    assert_consistent()

    task, letter = tasks[0]
    raci_set_letter(
        actor=coord, partnership=a1, task=task, role=TeamRole.OPLEIDINGSCENTRUM, letter=letter
    )
    assert _sees(oc, "Lotte")
    assert_consistent()


# --- the service itself ---------------------------------------------------------------------


def _all_rows() -> tuple:
    return (
        set(
            PartnershipUserObjectPermission.objects.values_list(
                "pk", "user_id", "permission_id", "content_object_id"
            )
        ),
        set(
            PartnershipGroupObjectPermission.objects.values_list(
                "pk", "group_id", "permission_id", "content_object_id"
            )
        ),
        set(
            TrajectUserObjectPermission.objects.values_list(
                "pk", "user_id", "permission_id", "content_object_id"
            )
        ),
        set(
            TrajectGroupObjectPermission.objects.values_list(
                "pk", "group_id", "permission_id", "content_object_id"
            )
        ),
        set(User.groups.through.objects.values_list("pk", "user_id", "group_id")),
        set(Group.objects.values_list("pk", "name")),
        set(PartnershipRoleGroup.objects.values_list("pk", "partnership_id", "role", "group_id")),
    )


def test_sync_grants_is_idempotent(demo_cast):
    before = _all_rows()
    for partnership in Partnership.objects.all():
        with CaptureQueriesContext(connection) as captured:
            partnership_sync_grants(partnership=partnership)
        writes = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE"))
        ]
        assert writes == [], partnership
    assert _all_rows() == before


# --- deletions ------------------------------------------------------------------------------


def test_deleting_a_traject_leaves_no_permission_rows(demo_cast):
    lotte = _traject("Lotte")
    assert TrajectUserObjectPermission.objects.filter(content_object=lotte).exists()

    traject_delete(actor=demo_cast["directie@sintjozef.demo"], traject=lotte)

    assert not TrajectUserObjectPermission.objects.filter(content_object_id=lotte.pk).exists()
    assert not TrajectGroupObjectPermission.objects.filter(content_object_id=lotte.pk).exists()
    assert not _sees(demo_cast["leerling1@sintjozef.demo"], "Mohamed")
    assert_consistent()


def test_deleting_a_partnership_leaves_no_permission_rows(demo_cast):
    a1 = _partnership("A1")
    traject_ids = list(a1.trajects.values_list("pk", flat=True))
    assert traject_ids

    a1.delete()

    assert not PartnershipUserObjectPermission.objects.filter(content_object_id=a1.pk).exists()
    assert not PartnershipGroupObjectPermission.objects.filter(content_object_id=a1.pk).exists()
    assert not TrajectUserObjectPermission.objects.filter(
        content_object_id__in=traject_ids
    ).exists()
    assert not TrajectGroupObjectPermission.objects.filter(
        content_object_id__in=traject_ids
    ).exists()
    coordinator = demo_cast["coord@vandenberghe.demo"]
    assert set(
        permissions.trajects_visible_to(user=coordinator).values_list(
            "student__first_name", flat=True
        )
    ) == {"Jonas"}
    assert_consistent()


def test_deleting_a_partnership_leaves_no_role_groups(demo_cast):
    a1 = _partnership("A1")
    group_ids = list(
        PartnershipRoleGroup.objects.filter(partnership=a1).values_list("group_id", flat=True)
    )
    assert group_ids

    a1.delete()

    assert not Group.objects.filter(pk__in=group_ids).exists()
    assert not User.groups.through.objects.filter(group_id__in=group_ids).exists()


# --- one person, two roles -------------------------------------------------------------------


def test_a_mentor_assigned_as_begeleider_gets_the_begeleider_rights_there(demo_cast):
    """mentor2 is mentor in A1 (of Mohamed); on Lotte's new placement they are begeleider only:
    on Lotte they get what the matrix gives a begeleider, not a mentor's rights."""
    lotte = _traject("Lotte")
    placement = lotte.placements.get()
    company, vestiging = placement.company, placement.vestiging
    coord = demo_cast["coord@sintjozef.demo"]
    placement_delete(actor=coord, placement=placement)
    first, last = lotte.partnership.school_year_bounds
    placement_create(
        actor=coord,
        traject=lotte,
        company=company,
        vestiging=vestiging,
        start_date=first,
        end_date=last,
        weekly_pattern={"tuesday": "company"},
        workplace_hours_per_week=Decimal("8"),
        mentors=[demo_cast["mentor@vandenberghe.demo"]],
        begeleiders=[demo_cast["mentor2@vandenberghe.demo"]],
    )

    mentor2 = demo_cast["mentor2@vandenberghe.demo"]
    cells = {
        (task, role): letter
        for task, role, letter in RaciCell.objects.filter(
            partnership=lotte.partnership
        ).values_list("task", "role", "letter")
    }
    begeleider_rights = raci.role_grants(cells, TeamRole.BEGELEIDER)[1]
    assert "coach_traject" in begeleider_rights
    assert permissions.traject_permissions(user=mentor2, traject=lotte) == begeleider_rights
    assert_consistent()
