"""The one access module: may this user see or do X to this partnership or traject.

Fetch and authorise in one call.

"Not yours" and "does not exist" look the same (404); "yours, but your role may not" is 403.
Model-wide permissions and superuser flags never open tenant data here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404

from accounts.models import User
from duaal.compiled import bound_subquery, fetch_column, fetch_rows
from organisations.access import (  # re-exported: organisation-level checks
    get_membership_for_admin,  # noqa: F401
    get_membership_for_member,
)
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships.codenames import (  # noqa: F401 - re-exported: ask this module
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
    PARTNERSHIP_PERMISSIONS,
    PREPARE_LESSONS,
    TRAJECT_PERMISSIONS,
    VIEW_INTERNAL,
    VIEW_PARTNERSHIP,
    VIEW_TRAJECT,
    WELFARE,
)
from partnerships.models import (
    Partnership,
    PartnershipGroupObjectPermission,
    PartnershipUserObjectPermission,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    StudentContact,
    TeamMember,
    TeamRole,
    Traject,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)
from partnerships.models.partnerships import (
    COMPANY_ROLES,
    SCHOOL_ROLES,
    TRAINING_CENTRE_ROLES,
)

# --- Partnerships and trajects: object permissions (django-guardian's direct-FK tables) -----
# Reads go straight to the permission tables: guardian's own checkers answer "yes" to every
# superuser, and the access model says a platform flag never opens tenant data.


def _visible(
    model_user_perms: type[TrajectUserObjectPermission] | type[PartnershipUserObjectPermission],
    model_group_perms: type[TrajectGroupObjectPermission] | type[PartnershipGroupObjectPermission],
    user: User,
    codename: str | tuple[str, ...],
) -> Q:
    """Q matching objects on which ``user`` holds ``codename`` (any of them, for a tuple)
    directly or through a group.

    One uncorrelated ID subquery, the ``UNION ALL`` of the direct and the group grants: the
    database computes the set once and fetches the rows by primary key, instead of reading
    every row of the table to test ``id IN (direct) OR id IN (via group)`` (an ``OR`` of two
    subqueries cannot use the primary key's index). Same rows, see `make bench`.
    """
    lookup = "permission__codename" + ("__in" if isinstance(codename, tuple) else "")

    def build(user_pk: int) -> QuerySet[Any, Any]:
        direct = model_user_perms.objects.filter(user_id=user_pk, **{lookup: codename})
        via_group = model_group_perms.objects.filter(group__user=user_pk, **{lookup: codename})
        return direct.values("content_object_id").union(
            via_group.values("content_object_id"), all=True
        )

    # The same SQL for everyone: compiled once per process, bound to the user's id.
    key = ("visible", model_user_perms, model_group_perms, codename)
    return Q(pk__in=bound_subquery(key, build, user.pk))


def trajects_visible_to(*, user: User) -> QuerySet[Traject]:
    """Trajects ``user`` may see, filtered in the database (two EXISTS subqueries)."""
    if not user.is_authenticated:
        return Traject.objects.none()
    return Traject.objects.filter(
        _visible(TrajectUserObjectPermission, TrajectGroupObjectPermission, user, VIEW_TRAJECT)
    )


def partnerships_visible_to(*, user: User) -> QuerySet[Partnership]:
    """Partnerships ``user`` may see (members of the team with at least one RACI letter)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        _visible(
            PartnershipUserObjectPermission,
            PartnershipGroupObjectPermission,
            user,
            VIEW_PARTNERSHIP,
        )
    )


def partnerships_with_permission(*, user: User, codename: str) -> QuerySet[Partnership]:
    """Partnerships on which ``user`` holds ``codename`` (directly or through a role group)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        _visible(PartnershipUserObjectPermission, PartnershipGroupObjectPermission, user, codename)
    )


def traject_permissions(*, user: User, traject: Traject) -> set[str]:
    """Codenames ``user`` holds on ``traject`` (one query, compiled once per process)."""
    return set(fetch_column("traject_permissions", _held_on_traject, user.pk, traject.pk))


def _held_on_traject(user_pk: int, traject_pk: int) -> QuerySet[Any, Any]:
    direct = TrajectUserObjectPermission.objects.filter(
        user_id=user_pk, content_object_id=traject_pk
    ).values("permission__codename")
    via_group = TrajectGroupObjectPermission.objects.filter(
        group__user=user_pk, content_object_id=traject_pk
    ).values("permission__codename")
    return direct.union(via_group)


def partnership_permissions(*, user: User, partnership: Partnership) -> set[str]:
    """Codenames ``user`` holds on ``partnership`` (one query, compiled once per process)."""
    return set(
        fetch_column("partnership_permissions", _held_on_partnership, user.pk, partnership.pk)
    )


def _held_on_partnership(user_pk: int, partnership_pk: int) -> QuerySet[Any, Any]:
    direct = PartnershipUserObjectPermission.objects.filter(
        user_id=user_pk, content_object_id=partnership_pk
    ).values("permission__codename")
    via_group = PartnershipGroupObjectPermission.objects.filter(
        group__user=user_pk, content_object_id=partnership_pk
    ).values("permission__codename")
    return direct.union(via_group)


def _parse_uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


Perm = str | tuple[str, ...] | None


def _require(held: set[str], perm: Perm) -> None:
    """403 unless ``held`` holds ``perm`` (one codename, or any of a tuple of codenames)."""
    if perm is None:
        return
    wanted = (perm,) if isinstance(perm, str) else perm
    if not held.intersection(wanted):
        raise PermissionDenied


def _traject_grants(
    *, user: User, public_id: uuid.UUID, with_partnership: bool = False
) -> tuple[int | None, set[str], set[str]]:
    """(the primary key, the codenames ``user`` holds, the codenames they hold on its
    partnership when ``with_partnership``, else an empty set) of the traject ``public_id``,
    directly or through a group, in one query (compiled once per process); the key is None
    when they hold nothing on the traject or it does not exist. Holding ``VIEW_TRAJECT`` is
    what ``trajects_visible_to`` asks."""
    build = _grants_with_partnership if with_partnership else _grants_on_traject
    pk: int | None = None
    held: set[str] = set()
    on_partnership: set[str] = set()
    for scope, object_id, codename in fetch_rows(
        ("traject_grants", with_partnership), build, user.pk, public_id
    ):
        if scope == "traject":
            pk = object_id
            held.add(codename)
        else:
            on_partnership.add(codename)
    return pk, held, on_partnership


def _grant_rows(
    user_pk: int, public_id: uuid.UUID, *, with_partnership: bool
) -> QuerySet[Any, Any]:
    """(scope, object id, codename) of the grants of ``user_pk`` on the traject ``public_id``
    and, ``with_partnership``, on its partnership."""
    parts: list[QuerySet[Any, Any]] = [
        model.objects.filter(owner, content_object__public_id=public_id)
        .annotate(scope=Value("traject"))
        .values_list("scope", "content_object_id", "permission__codename")
        for model, owner in (
            (TrajectUserObjectPermission, Q(user_id=user_pk)),
            (TrajectGroupObjectPermission, Q(group__user=user_pk)),
        )
    ]
    if with_partnership:
        parts += [
            model.objects.filter(owner, content_object__trajects__public_id=public_id)
            .annotate(scope=Value("partnership"))
            .values_list("scope", "content_object_id", "permission__codename")
            for model, owner in (
                (PartnershipUserObjectPermission, Q(user_id=user_pk)),
                (PartnershipGroupObjectPermission, Q(group__user=user_pk)),
            )
        ]
    return parts[0].union(*parts[1:])


def _grants_on_traject(user_pk: int, public_id: uuid.UUID) -> QuerySet[Any, Any]:
    return _grant_rows(user_pk, public_id, with_partnership=False)


def _grants_with_partnership(user_pk: int, public_id: uuid.UUID) -> QuerySet[Any, Any]:
    return _grant_rows(user_pk, public_id, with_partnership=True)


def get_traject_for_user(
    *,
    user: User,
    public_id: uuid.UUID | str,
    perm: Perm = None,
    with_partnership_perms: bool = False,
) -> Traject:
    """The traject if ``user`` may see it, else 404; 403 when ``perm`` (a codename, or a tuple
    of which any one suffices) is given and not held.

    The returned object carries ``user_perms``: the set of codenames the user holds on it;
    with ``with_partnership_perms`` also ``partnership_perms``, those on its partnership (as
    ``partnership_permissions`` answers), asked in the same query. Two queries: the user's
    grants on the traject with that public id (seeing it is holding ``VIEW_TRAJECT``, as in
    ``trajects_visible_to``), then the traject by primary key.
    """
    if not user.is_authenticated:
        raise Http404
    pk, held, on_partnership = _traject_grants(
        user=user, public_id=_parse_uuid(public_id), with_partnership=with_partnership_perms
    )
    if pk is None or VIEW_TRAJECT not in held:
        raise Http404
    traject = (
        Traject.objects.select_related(
            "student",
            "student__school_class",
            "partnership",
            "partnership__school",
            "partnership__opleiding",
        )
        .filter(pk=pk)
        .first()
    )
    if traject is None:
        raise Http404
    traject.user_perms = held
    if with_partnership_perms:
        traject.partnership_perms = on_partnership
    _require(traject.user_perms, perm)
    return traject


def get_partnership_for_user(
    *, user: User, public_id: uuid.UUID | str, perm: Perm = None
) -> Partnership:
    """The partnership if ``user`` may see it, else 404; 403 when ``perm`` is not held."""
    if not user.is_authenticated:
        raise Http404
    partnership = (
        partnerships_visible_to(user=user)
        .select_related("school", "training_centre", "opleiding")
        .filter(public_id=_parse_uuid(public_id))
        .first()
    )
    if partnership is None:
        raise Http404
    partnership.user_perms = partnership_permissions(user=user, partnership=partnership)
    _require(partnership.user_perms, perm)
    return partnership


def get_traject_for_partnership_perm(
    *, user: User, public_id: uuid.UUID | str, perm: str
) -> Traject:
    """A traject ``user`` may see whose partnership grants ``perm`` (e.g. CREATE_TRAJECTS for
    the student's contacts and accounts); 404 when not visible, 403 without ``perm``."""
    traject = get_traject_for_user(user=user, public_id=public_id, with_partnership_perms=True)
    _require(traject.partnership_perms, perm)
    return traject


def get_partnership_for_enrolment(*, user: User, public_id: uuid.UUID | str) -> Partnership:
    """A partnership in which ``user`` enrols students: CREATE_TRAJECTS and a member of its
    school (the school's student list is the school's: a company-side holder of the right sees
    the partnership, but not the students who have no traject yet). 404 / 403."""
    partnership = get_partnership_for_user(user=user, public_id=public_id, perm=CREATE_TRAJECTS)
    if not Membership.objects.filter(user=user, organisation_id=partnership.school_id).exists():
        raise PermissionDenied
    return partnership


def may_manage_team_side(*, user: User, partnership: Partnership, organisation_id: int) -> bool:
    """Whether a ``manage_team`` holder may add, invite or remove people of ``organisation_id``.

    School-side people run the partnership and manage the whole team; anyone else manages only
    the people of their own organisation (a company coordinator cannot remove a teacher).
    """
    member_of = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    return partnership.school_id in member_of or organisation_id in member_of


def team_members_manageable_by(
    *, user: User, partnership: Partnership, organisation_ids: Iterable[int]
) -> set[int]:
    """Of ``organisation_ids`` (team members' organisations), those whose people ``user`` may
    add or remove: ``may_manage_team_side`` for many members in one query."""
    member_of = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    ids = set(organisation_ids)
    return ids if partnership.school_id in member_of else ids & member_of


# --- A school's students and a company's overview --------------------------------------------


def partnerships_of_school_with_permission(
    *, user: User, codename: str, school: Organisation | None = None
) -> QuerySet[Partnership]:
    """Partnerships on which ``user`` holds ``codename`` (optionally of one school), in SQL."""
    qs = partnerships_with_permission(user=user, codename=codename)
    if school is not None:
        qs = qs.filter(school=school)
    return qs.select_related("opleiding").order_by("-school_year", "name")


def can_manage_students(*, user: User, membership: Membership) -> bool:
    """Administrators of the school, and whoever may create trajects in one of its partnerships."""
    if membership.is_admin:
        return True
    return partnerships_of_school_with_permission(
        user=user, codename=CREATE_TRAJECTS, school=membership.organisation
    ).exists()


def schools_managed_by(*, user: User) -> QuerySet[Organisation]:
    """Schools whose students ``user`` manages (``can_manage_students``), in one query."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    member_of = Membership.objects.filter(user=user, organisation__kind=OrganisationKind.SCHOOL)
    creators = partnerships_with_permission(user=user, codename=CREATE_TRAJECTS)
    return Organisation.objects.filter(
        Q(pk__in=member_of.filter(is_admin=True).values("organisation_id"))
        | Q(pk__in=creators.values("school_id")),
        pk__in=member_of.values("organisation_id"),
    ).order_by("name")


def get_school_for_student_manager(*, user: User, organisation_id: uuid.UUID | str) -> Membership:
    """The user's membership of the school whose students they manage.

    404 when the user is not a member or the organisation is not a school; 403 for a member
    who is neither an administrator nor allowed to create trajects in its partnerships.
    """
    membership = get_membership_for_member(user=user, organisation_public_id=organisation_id)
    if membership.organisation.kind != OrganisationKind.SCHOOL:
        raise Http404
    if not can_manage_students(user=user, membership=membership):
        raise PermissionDenied
    return membership


def get_company_membership(*, user: User, organisation_id: uuid.UUID | str) -> Membership:
    """The user's membership of a company; 404 for non-members and other kinds of organisation."""
    membership = get_membership_for_member(user=user, organisation_public_id=organisation_id)
    if membership.organisation.kind != OrganisationKind.COMPANY:
        raise Http404
    return membership


# --- Who, among several people, may see a traject --------------------------------------------


def users_seeing_trajects(
    *, user_ids: Iterable[int], traject_ids: Iterable[int]
) -> set[tuple[int, int]]:
    """{(user id, traject id)} for each of ``user_ids`` who may see each of ``traject_ids``.

    Read from the permission tables in two queries, whatever the number of pairs: a reminder
    about a student goes only to people who may see that student (also when a partnership's
    matrix makes, say, a company coördinator responsible for contracts).
    """
    users, trajects = list(user_ids), list(traject_ids)
    if not users or not trajects:
        return set()
    direct = TrajectUserObjectPermission.objects.filter(
        user_id__in=users, content_object_id__in=trajects, permission__codename=VIEW_TRAJECT
    ).values_list("user_id", "content_object_id")
    via_group = TrajectGroupObjectPermission.objects.filter(
        group__user__in=users, content_object_id__in=trajects, permission__codename=VIEW_TRAJECT
    ).values_list("group__user", "content_object_id")
    return set(direct) | set(via_group)


def may_see_internal_text(*, user: User, traject: Traject) -> bool:
    """Whether ``user`` reads the team's internal text of ``traject`` (``partnerships.sharing``).

    Held by every team role that sees the traject (``VIEW_INTERNAL``), never by the student or
    the parents: they see their own traject without it. Uses ``traject.user_perms`` when the
    traject was fetched with ``get_traject_for_user``, else one query.
    """
    return _holds_on_traject(user=user, traject=traject, codename=VIEW_INTERNAL)


def _holds_on_traject(*, user: User, traject: Traject, codename: str) -> bool:
    """Whether ``user`` holds ``codename`` on ``traject``: from ``traject.user_perms`` when the
    traject was fetched for them, else one query."""
    if not user.is_authenticated:
        return False
    held = getattr(traject, "user_perms", None)
    if held is None:
        held = traject_permissions(user=user, traject=traject)
    return codename in held


def sees_traject_as_family(*, user: User, traject: Traject) -> bool:
    """Whether ``user`` is the traject's student or one of their parents or guardians.

    They see their own traject without its internal fields (``partnerships.audit``). The
    caller has already fetched ``traject`` as visible to ``user``; at most one query.
    """
    if not user.is_authenticated:
        return False
    if traject.student.user_id == user.pk:
        return True
    return StudentContact.objects.filter(student_id=traject.student_id, user_id=user.pk).exists()


# --- Questions of the engine plug-ins (partnerships/reminders.py, documents.py, agenda.py) ---
# Kept apart from the helpers above: the reminder engine asks these through the partnerships
# plug-in (its overview of /notifications/reminders/), never directly.

# Who follows the reminders of a partnership: the people who run its team or approve for it.
REMINDER_OVERVIEW_PERMISSIONS = (MANAGE_TEAM, APPROVE_PARTNERSHIP)


def partnerships_overseen_by(*, user: User) -> QuerySet[Partnership]:
    """Partnerships whose reminders ``user`` follows (``REMINDER_OVERVIEW_PERMISSIONS``):
    one ID subquery for all the codenames (asked on every home and notifications page)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        _visible(
            PartnershipUserObjectPermission,
            PartnershipGroupObjectPermission,
            user,
            REMINDER_OVERVIEW_PERMISSIONS,
        )
    )


def get_partnership_for_overseer(*, user: User, public_id: uuid.UUID | str) -> Partnership:
    """The partnership whose reminders ``user`` follows: 404 when not visible, 403 when
    visible but not followed."""
    return get_partnership_for_user(
        user=user, public_id=public_id, perm=REMINDER_OVERVIEW_PERMISSIONS
    )


# --- The opleidingsplan (learning/views/plans.py) ---------------------------------------------
# The RACI task "leerinhouden" grants DESIGN_PLAN to its R and A: they adopt a leerfiche version,
# edit the periods and the grid, and give a traject its own plan. Its C (and any holder of
# COMMENT_PARTNERSHIP) comments; every team role reads the plan and the comments
# (VIEW_PARTNERSHIP). The student and the parents read their own traject's plan (VIEW_TRAJECT),
# never the comments. A company's activiteitenlijst is written by its coördinator and mentors in
# the partnership, or by its administrators.

PLAN_COMMENT_PERMISSIONS = (COMMENT_PARTNERSHIP, DESIGN_PLAN)
OFFER_EDITOR_ROLES = ("coordinator_bedrijf", "mentor")


def may_design_plan(*, partnership: Partnership) -> bool:
    """On a partnership fetched with ``get_partnership_for_user``: may edit the plan."""
    return DESIGN_PLAN in partnership.user_perms


def may_comment_plan(*, partnership: Partnership) -> bool:
    return bool(partnership.user_perms.intersection(PLAN_COMMENT_PERMISSIONS))


def get_partnership_for_plan_editor(*, user: User, public_id: uuid.UUID | str) -> Partnership:
    """The partnership whose opleidingsplan ``user`` designs: 404 when not visible, 403
    without DESIGN_PLAN."""
    return get_partnership_for_user(user=user, public_id=public_id, perm=DESIGN_PLAN)


def get_partnership_for_plan_commenter(*, user: User, public_id: uuid.UUID | str) -> Partnership:
    return get_partnership_for_user(user=user, public_id=public_id, perm=PLAN_COMMENT_PERMISSIONS)


def get_traject_for_plan(*, user: User, public_id: uuid.UUID | str) -> Traject:
    """A traject whose plan ``user`` reads (anyone who sees the traject: the team, the student,
    the parents); 404 otherwise. Sets ``partnership_perms`` (the user's codenames on the
    traject's partnership: empty for the student and the parents)."""
    traject = get_traject_for_user(user=user, public_id=public_id)
    traject.partnership_perms = partnership_permissions(user=user, partnership=traject.partnership)
    return traject


def get_traject_for_plan_editor(*, user: User, public_id: uuid.UUID | str) -> Traject:
    """A traject whose own plan ``user`` may start, edit or drop: 404 when the traject is not
    visible, 403 without DESIGN_PLAN on its partnership."""
    traject = get_traject_for_plan(user=user, public_id=public_id)
    _require(traject.partnership_perms, DESIGN_PLAN)
    return traject


def may_read_plan_comments(*, partnership_perms: set[str]) -> bool:
    """The team reads the plan's comments; the student and the parents (who hold no
    partnership permission) never do."""
    return VIEW_PARTNERSHIP in partnership_perms


def offer_vestigingen_editable_by(*, user: User, partnership: Partnership) -> set[int]:
    """Ids of the partnership's company vestigingen whose activiteitenlijst ``user`` edits: the
    company's coördinator or mentor in this partnership, or an administrator of the company.
    Two queries."""
    if not user.is_authenticated:
        return set()
    rows = list(partnership.companies.values_list("company_id", "vestiging_id"))
    company_ids = {company_id for company_id, _vestiging in rows}
    admin_of = set(
        Membership.objects.filter(
            user=user, is_admin=True, organisation_id__in=company_ids
        ).values_list("organisation_id", flat=True)
    )
    in_team = set(
        TeamMember.objects.filter(
            partnership=partnership,
            user=user,
            role__in=OFFER_EDITOR_ROLES,
            organisation_id__in=company_ids,
        ).values_list("organisation_id", flat=True)
    )
    allowed = admin_of | in_team
    return {vestiging_id for company_id, vestiging_id in rows if company_id in allowed}


def get_vestiging_for_offer_editor(
    *, user: User, public_id: uuid.UUID | str, vestiging_id: uuid.UUID | str
) -> tuple[Partnership, Vestiging]:
    """The partnership and the company vestiging whose activiteitenlijst ``user`` edits there:
    404 when the partnership is not visible or the vestiging takes no part in it, 403 when the
    user does not write for that company."""
    partnership = get_partnership_for_user(user=user, public_id=public_id)
    link = (
        partnership.companies.select_related("vestiging__organisation")
        .filter(vestiging__public_id=_parse_uuid(vestiging_id))
        .first()
    )
    if link is None:
        raise Http404
    if link.vestiging_id not in offer_vestigingen_editable_by(user=user, partnership=partnership):
        raise PermissionDenied
    return partnership, link.vestiging


# --- Bedrijfsfiches (learning's plans: issue 9) ---------------------------------------------
# The bedrijfsfiche lives in ``learning`` (above partnerships); its models are imported inside
# the functions so this module loads without the learning app.
#
# * every team member who sees the partnership (VIEW_PARTNERSHIP) reads its bedrijfsfiches,
#   drafts included;
# * PREPARE_LESSONS (R or A on "lesvoorbereiding") writes and publishes them — the school side
#   (school, training centre) for every vestiging, a company's people for their own only;
# * whoever sees a traject (the student and the parents included) reads the PUBLISHED versions
#   of the bedrijfsfiches of the vestigingen where that traject has a placement.


def placements_visible_to(*, user: User) -> QuerySet:
    """The placements of the trajects ``user`` sees (the student and the parents included):
    where a higher app's per-company content (a bedrijfsfiche) is open to them."""
    return Placement.objects.filter(traject__in=trajects_visible_to(user=user).values("pk"))


def _member_organisations(user: User) -> set[int]:
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def may_edit_bedrijfsfiches(*, user: User, partnership: Partnership, vestiging_id: int) -> bool:
    """PREPARE_LESSONS on ``partnership``, and on the school side or of the vestiging's company.

    Uses ``partnership.user_perms`` when the partnership was fetched for ``user``.
    """
    if not user.is_authenticated:
        return False
    held = getattr(partnership, "user_perms", None)
    if held is None:
        held = partnership_permissions(user=user, partnership=partnership)
    if PREPARE_LESSONS not in held:
        return False
    member_of = _member_organisations(user)
    if partnership.school_id in member_of or (
        partnership.training_centre_id is not None and partnership.training_centre_id in member_of
    ):
        return True
    from organisations.models import Vestiging

    return Vestiging.objects.filter(pk=vestiging_id, organisation_id__in=member_of).exists()


def vestigingen_editable_by(*, user: User, partnership: Partnership) -> QuerySet:
    """The partnership's company vestigingen for which ``user`` writes bedrijfsfiches."""
    from organisations.models import Vestiging

    ids = partnership.companies.values("vestiging_id")
    if not may_prepare_lessons(user=user, partnership=partnership):
        return Vestiging.objects.none()
    member_of = _member_organisations(user)
    qs = Vestiging.objects.filter(pk__in=ids)
    if partnership.school_id in member_of or partnership.training_centre_id in member_of:
        return qs
    return qs.filter(organisation_id__in=member_of)


def may_prepare_lessons(*, user: User, partnership: Partnership) -> bool:
    held = getattr(partnership, "user_perms", None)
    if held is None:
        held = partnership_permissions(user=user, partnership=partnership)
    return PREPARE_LESSONS in held


def get_partnership_for_bedrijfsfiches(
    *, user: User, public_id: uuid.UUID | str, edit: bool = False
) -> Partnership:
    """The partnership whose bedrijfsfiches ``user`` reads (every team member); with ``edit``,
    403 without PREPARE_LESSONS. 404 when not visible."""
    return get_partnership_for_user(
        user=user, public_id=public_id, perm=PREPARE_LESSONS if edit else None
    )


# --- Evaluation (``evaluation/``) -------------------------------------------------------------
# Which column of an evaluation sheet a person writes: the sheets' LL (the student), M (mentor,
# begeleider or another company role holding "Evalueren en feedback geven"), LK (a school role
# holding it) and OC (the training centre holding it). Returned as the evaluation app's
# ``Evaluator`` values, so this module imports nothing of that app. Everyone else who sees the
# traject (parents, roles without the task) reads; everyone else gets 404.
EVALUATOR_SELF = "self"
EVALUATOR_MENTOR = "mentor"
EVALUATOR_TEACHER = "teacher"
EVALUATOR_TRAINING_CENTRE = "training_centre"


def trajects_evaluable_by(*, user: User) -> QuerySet[Traject]:
    """Trajects on which ``user`` holds ``EVALUATE`` (filtered in the database)."""
    if not user.is_authenticated:
        return Traject.objects.none()
    return Traject.objects.filter(
        _visible(TrajectUserObjectPermission, TrajectGroupObjectPermission, user, EVALUATE)
    )


def evaluator_roles(*, user: User, traject: Traject) -> set[str]:
    """The columns ``user`` may write on ``traject``'s sheets (empty: read only).

    The traject's own student writes the self-evaluation, nobody else does. The team's columns
    follow the RACI task "Evalueren en feedback geven" and the role: ``EVALUATE`` opens M for a
    placement's mentor or begeleider and the company roles, LK for the school roles. The
    training centre writes OC with ``EVALUATE`` or as consulted (C, "contribute": by default
    the appendix makes it C) — only on sessions it hosts (``evaluation.services.sheets``). At
    most three queries; uses ``traject.user_perms`` when the traject came from
    ``get_traject_for_user``.
    """
    if not user.is_authenticated:
        return set()
    if traject.student.user_id == user.pk:
        return {EVALUATOR_SELF}
    held = getattr(traject, "user_perms", None)
    if held is None:
        held = traject_permissions(user=user, traject=traject)
    evaluates = EVALUATE in held
    if not evaluates and COMMENT_TRAJECT not in held:
        return set()
    found: set[str] = set()
    if (
        evaluates
        and PlacementSupervisor.objects.filter(placement__traject=traject, user_id=user.pk).exists()
    ):
        found.add(EVALUATOR_MENTOR)
    for role in TeamMember.objects.filter(
        partnership_id=traject.partnership_id, user_id=user.pk
    ).values_list("role", flat=True):
        if role in COMPANY_ROLES and evaluates:
            found.add(EVALUATOR_MENTOR)
        elif role in SCHOOL_ROLES and evaluates:
            found.add(EVALUATOR_TEACHER)
        elif role in TRAINING_CENTRE_ROLES:
            found.add(EVALUATOR_TRAINING_CENTRE)
    return found


def trajects_evaluable_as_mentor_by(*, user: User) -> QuerySet[Traject]:
    """Trajects whose mentor column (M) ``user`` writes, filtered in the database: the rule of
    ``evaluator_roles`` as a set — ``EVALUATE`` held, and a supervisor of one of the traject's
    placements or a company role in its partnership (the mentor's home, the weekly check-in)."""
    if not user.is_authenticated:
        return Traject.objects.none()
    supervises = PlacementSupervisor.objects.filter(
        placement__traject_id=OuterRef("pk"), user_id=user.pk
    )
    company_role = TeamMember.objects.filter(
        partnership_id=OuterRef("partnership_id"), user_id=user.pk, role__in=COMPANY_ROLES
    )
    return (
        trajects_evaluable_by(user=user)
        .exclude(student__user_id=user.pk)
        .filter(Q(Exists(supervises)) | Q(Exists(company_role)))
    )


def get_traject_for_evaluation(
    *, user: User, public_id: uuid.UUID | str, write: bool = False
) -> Traject:
    """The traject with ``evaluator_roles`` set (the columns ``user`` writes): 404 when not
    visible; with ``write``, 403 when ``user`` may only read its evaluations."""
    traject = get_traject_for_user(user=user, public_id=public_id)
    traject.evaluator_roles = evaluator_roles(user=user, traject=traject)
    if write and not traject.evaluator_roles:
        raise PermissionDenied
    return traject


# --- Subject access (duaal.privacy) -----------------------------------------------------------


def get_student_for_export(
    *, user: User, public_id: uuid.UUID | str, today: date | None = None
) -> tuple[Student, bool]:
    """The student whose data ``user`` may export, and whether the team's internal text is
    included: the school's student managers (everything), the adult student themselves and
    the parents of a minor (without internal text). 404 when ``user`` does not see the
    student at all; 403 for a team member who sees them but manages no students of the
    school (a mentor, a leerkracht)."""
    from partnerships.selectors.trajects import is_minor

    if not user.is_authenticated:
        raise Http404
    student = (
        Student.objects.select_related("school", "school_class")
        .filter(public_id=_parse_uuid(public_id))
        .first()
    )
    if student is None:
        raise Http404
    if schools_managed_by(user=user).filter(pk=student.school_id).exists():
        return student, True
    minor = is_minor(birth_date=student.birth_date, today=today)
    if student.user_id == user.pk:
        if minor:
            raise PermissionDenied
        return student, False
    if StudentContact.objects.filter(student=student, user_id=user.pk).exists():
        if not minor:
            raise PermissionDenied
        return student, False
    if trajects_visible_to(user=user).filter(student=student).exists():
        raise PermissionDenied
    raise Http404


# --- Recognition (``recognition/``: issue 12) --------------------------------------------------
#
# A request is seen by the company's own people, by the school that filed it with a mandate
# and — once submitted — by the sector body it was routed to. The company's administrators
# (and the filing school's) manage it; the sector body's members decide it. None of this
# grants anything on trajects: a consultant sees companies and mentors, never students.


def recognitions_visible_to(*, user: User) -> QuerySet:
    """The recognition requests ``user`` may read."""
    from recognition.models import Recognition, RecognitionStatus

    if not user.is_authenticated:
        return Recognition.objects.none()
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    return Recognition.objects.filter(
        Q(company_id__in=member_of)
        | Q(filed_by_school_id__in=member_of)
        | (Q(sector_body_id__in=member_of) & ~Q(status=RecognitionStatus.CONCEPT))
    )


def may_file_recognition(
    *, user: User, company: Organisation, school: Organisation | None = None
) -> bool:
    """May ``user`` file a request for ``company``: an administrator of the company, or of
    ``school`` filing for it (the service then requires the mandate and sworn statement)."""
    if not user.is_authenticated or company.kind != OrganisationKind.COMPANY:
        return False
    acting_for = school if school is not None else company
    if school is not None and school.kind != OrganisationKind.SCHOOL:
        return False
    return Membership.objects.filter(user=user, organisation=acting_for, is_admin=True).exists()


def may_manage_recognition(*, user: User, recognition: object) -> bool:
    """Edit, submit or withdraw a request: the administrators of its company, or of the
    school that filed it."""
    from recognition.models import Recognition

    assert isinstance(recognition, Recognition)
    organisations = [recognition.company_id]
    if recognition.filed_by_school_id:
        organisations.append(recognition.filed_by_school_id)
    return Membership.objects.filter(
        user=user, organisation_id__in=organisations, is_admin=True
    ).exists()


def may_decide_recognition(*, user: User, recognition: object) -> bool:
    """Mark complete, plan the visit, decide: the members of the sector body it was routed to."""
    from recognition.models import Recognition, RecognitionStatus

    assert isinstance(recognition, Recognition)
    return (
        recognition.sector_body_id is not None
        and recognition.status != RecognitionStatus.CONCEPT
        and Membership.objects.filter(
            user=user, organisation_id=recognition.sector_body_id
        ).exists()
    )


def get_recognition_for_user(
    *, user: User, public_id: uuid.UUID | str, manage: bool = False, decide: bool = False
) -> object:
    """The request ``public_id`` if ``user`` sees it (else 404), and may manage or decide it
    when asked (else 403)."""
    recognition = (
        recognitions_visible_to(user=user)
        .select_related("company", "vestiging", "opleiding", "sector_body", "filed_by_school")
        .filter(public_id=_parse_uuid(public_id))
        .first()
    )
    if recognition is None:
        raise Http404
    if manage and not may_manage_recognition(user=user, recognition=recognition):
        raise PermissionDenied
    if decide and not may_decide_recognition(user=user, recognition=recognition):
        raise PermissionDenied
    return recognition


def mentor_profiles_visible_to(*, user: User) -> QuerySet[User]:
    """The mentors whose profile (eligibility, the extract's check) ``user`` may read: the
    mentors themselves, the administrators of a company they work at, and the members of a
    sector body handling a request that names them."""
    if not user.is_authenticated:
        return User.objects.none()
    admin_of = Membership.objects.filter(user=user, is_admin=True).values("organisation_id")
    visible = recognitions_visible_to(user=user).filter(
        sector_body_id__in=Membership.objects.filter(user=user).values("organisation_id")
    )
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(memberships__organisation_id__in=admin_of)
        | Q(recognitions__in=visible.values("pk"))
    ).distinct()


# --- Recognition — company side (``recognition/views/company.py``) ---------------------------
# The company's administrators and its coördinators duaal (a coordinator_bedrijf seat on behalf
# of the company) record their mentors' profiles; a mentor reads their own. The recognition
# requests of a company are listed for its members; a school lists the requests it filed.


def may_edit_mentor_profiles(*, user: User, company: Organisation) -> bool:
    """Record the mentor profiles (and the extract's check) of ``company``'s people: its
    administrators, and whoever holds a coördinator duaal bedrijf seat for it."""
    if not user.is_authenticated or company.kind != OrganisationKind.COMPANY:
        return False
    if not Membership.objects.filter(user=user, organisation=company).exists():
        return False
    return (
        Membership.objects.filter(user=user, organisation=company, is_admin=True).exists()
        or TeamMember.objects.filter(
            user=user, organisation=company, role=TeamRole.COORDINATOR_BEDRIJF
        ).exists()
    )


def get_mentor_profile_for_user(
    *, user: User, organisation_id: uuid.UUID | str, mentor_id: uuid.UUID | str, edit: bool
) -> tuple[Organisation, User, bool]:
    """(the company, the mentor, may ``user`` edit the profile) for the profile page.

    404 unless ``user`` is a member of the company and the mentor works there; the mentor
    reads their own profile (403 when ``edit``); other members get 403."""
    company = get_company_membership(user=user, organisation_id=organisation_id).organisation
    mentor = User.objects.filter(
        public_id=_parse_uuid(mentor_id), memberships__organisation=company
    ).first()
    if mentor is None:
        raise Http404
    may_edit = may_edit_mentor_profiles(user=user, company=company)
    if not may_edit and (edit or mentor.pk != user.pk):
        raise PermissionDenied
    return company, mentor, may_edit


def get_organisation_for_recognitions(
    *, user: User, organisation_id: uuid.UUID | str
) -> Membership:
    """The user's membership of a company (its requests) or a school (the requests it filed
    for companies); 404 for non-members and other kinds of organisation."""
    membership = get_membership_for_member(user=user, organisation_public_id=organisation_id)
    if membership.organisation.kind not in (OrganisationKind.COMPANY, OrganisationKind.SCHOOL):
        raise Http404
    return membership


def companies_school_may_file_for(*, school: Organisation) -> QuerySet[Organisation]:
    """The companies a school files a request for (with their mandate): its partner
    companies, those in one of its partnerships."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.COMPANY,
            company_partnerships__partnership__school=school,
        )
        .distinct()
        .order_by("name")
    )


def may_read_recognition_files(*, user: User, recognition: object) -> bool:
    """The mandate and the sworn statement: who manages the request, and the sector body
    deciding it (not every member of the company)."""
    return may_manage_recognition(user=user, recognition=recognition) or may_decide_recognition(
        user=user, recognition=recognition
    )


# --- Recognition — consultant side (``recognition/views/consultant.py``) ---------------------
# The sector consultant's inbox: the requests routed to a sector body the user is a member of,
# once submitted. Everything a consultant opens goes through ``get_recognition_for_user(...,
# decide=True)`` (404 when not routed to their body, 403 for the company's or school's people).


def recognition_inbox_of(*, user: User) -> QuerySet:
    """The requests routed to the sector bodies ``user`` is a member of (never a concept)."""
    from recognition.models import Recognition, RecognitionStatus

    if not user.is_authenticated:
        return Recognition.objects.none()
    bodies = Membership.objects.filter(
        user=user, organisation__kind=OrganisationKind.SECTOR_BODY
    ).values("organisation_id")
    return Recognition.objects.filter(sector_body_id__in=bodies).exclude(
        status=RecognitionStatus.CONCEPT
    )


def may_use_recognition_inbox(*, user: User) -> bool:
    """A member of a sector body: the inbox (and its home panel) is theirs; 403 for others."""
    return user.is_authenticated and (
        Membership.objects.filter(
            user=user, organisation__kind=OrganisationKind.SECTOR_BODY
        ).exists()
    )


def get_recognition_for_consultant(*, user: User, public_id: uuid.UUID | str) -> object:
    """A request of the consultant's inbox: 404 when ``user`` does not see it, 403 when they
    see it from the company's or the school's side."""
    return get_recognition_for_user(user=user, public_id=public_id, decide=True)


# --- Dashboards — the sector consultant's dashboard (``dashboards/views/sector.py``, issue 14) --
# The sector's figures (recognition pipeline, expiring recognitions, mentor training) are those
# of the requests routed to the sector bodies the user is a member of: ``recognition_inbox_of``.
# Nothing here reads a traject: the dashboard names no student.


def sector_bodies_of(*, user: User) -> list[Organisation]:
    """The sector bodies whose dashboard ``user`` sees: those they are a member of (one
    query); empty for everyone else (the dashboard then answers 403, like the inbox)."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.SECTOR_BODY, memberships__user=user
        ).order_by("name", "pk")
    )


# --- Contracts (``contracts/``, issue 11) ------------------------------------------------------
# A contract binds a traject to ONE company. Its readers, among those who see the traject:
# * the traject's school side: members of the partnership's school, and team members in a
#   school role (the school is a party to every contract of its trajects);
# * the contract's own company: its members and the team members of that company (its mentors
#   included) — never another company, not even one that sees the traject through its own
#   placement in a rotation;
# * the student and the parents (parties to it).
# The training centre and the sector see no contract. Managing a contract (drawing it up,
# sending, registering, starting, suspending, ending) is the RACI task "Opmaken contracten"
# (MANAGE_CONTRACT on the traject), for someone who may also read it. The contracts app applies
# these answers to its rows in ``contracts/access.py`` (decision 0014); this module imports
# nothing of it. Expressed on the fields ``traject`` and ``company`` of the row asked about.


def _organisations_acted_for(user: User) -> Q:
    """Organisation ids ``user`` belongs to: memberships and team seats (as an ``__in`` Q)."""
    return Q(pk__in=Membership.objects.filter(user=user.pk).values("organisation_id")) | Q(
        pk__in=TeamMember.objects.filter(user=user.pk).values("organisation_id")
    )


def _contract_parts(*, user: User, traject_field: str) -> tuple[Q, Q, QuerySet[Organisation, Any]]:
    """(the traject is visible, the user is on its school side or its family, the
    organisations the user acts for) — the pieces of "reads the contract"."""
    organisations = Organisation.objects.filter(_organisations_acted_for(user)).values("pk")
    prefix = f"{traject_field}__" if traject_field != "pk" else ""
    school_side = Q(**{f"{prefix}partnership__school__in": organisations}) | Q(
        **{
            f"{prefix}partnership__in": TeamMember.objects.filter(
                user=user.pk, role__in=SCHOOL_ROLES
            ).values("partnership_id")
        }
    )
    family = Q(
        **{
            f"{traject_field}__in": Traject.objects.filter(
                Q(student__user=user.pk)
                | Q(student__in=StudentContact.objects.filter(user=user.pk).values("student_id"))
            ).values("pk")
        }
    )
    visible = Q(**{f"{traject_field}__in": trajects_visible_to(user=user).values("pk")})
    return visible, school_side | family, organisations


def contract_readers_q(
    *, user: User, traject_field: str = "traject", company_field: str = "company"
) -> Q:
    """Q over rows with a traject and a company field: those whose contract ``user`` reads."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    visible, school_or_family, organisations = _contract_parts(
        user=user, traject_field=traject_field
    )
    return visible & (school_or_family | Q(**{f"{company_field}__in": organisations}))


def traject_contract_readers_q(
    *, user: User, traject: Traject, team: Iterable[TeamMember] | None = None
) -> Q:
    """Q over contract rows (fields ``traject`` and ``company``): the contracts of ``traject``
    that ``user`` reads — ``Q(traject=traject) & contract_readers_q(user=user)``, the same rows.

    When ``traject`` was fetched for ``user`` (``get_traject_for_user``: it carries
    ``user_perms``), its visibility, school, partnership and student are known, so only the
    user's own links are asked (uncorrelated subqueries on their memberships, team seats and
    family links; no join through the traject). Otherwise it is the general question.
    ``team``, when given, is the whole team of the traject's partnership as read in this
    request: a seat of ``user`` in a school role there makes them school side without asking.
    """
    held = getattr(traject, "user_perms", None)
    if held is None:
        return Q(traject=traject) & contract_readers_q(user=user)
    if not user.is_authenticated or VIEW_TRAJECT not in held:
        return Q(pk__in=[])
    on_traject = Q(traject_id=traject.pk)
    if traject.student.user_id == user.pk:
        return on_traject
    if team is not None and any(
        member.user_id == user.pk and member.role in SCHOOL_ROLES for member in team
    ):
        return on_traject
    school_id = traject.partnership.school_id
    school_side_or_family = (
        Q(Exists(Membership.objects.filter(user=user.pk, organisation_id=school_id)))
        | Q(
            Exists(
                TeamMember.objects.filter(user=user.pk).filter(
                    Q(organisation_id=school_id)
                    | Q(partnership_id=traject.partnership_id, role__in=SCHOOL_ROLES)
                )
            )
        )
        | Q(Exists(StudentContact.objects.filter(user=user.pk, student_id=traject.student_id)))
    )
    acted_for = (
        Membership.objects.filter(user=user.pk)
        .values("organisation_id")
        .union(TeamMember.objects.filter(user=user.pk).values("organisation_id"), all=True)
    )
    return on_traject & (school_side_or_family | Q(company_id__in=acted_for))


def may_read_contract(*, user: User, traject: Traject, company_id: int) -> bool:
    """Whether ``user`` reads the contract of ``traject`` with the company ``company_id``."""
    if not user.is_authenticated:
        return False
    visible, school_or_family, organisations = _contract_parts(user=user, traject_field="pk")
    rows = Traject.objects.filter(visible, pk=traject.pk)
    if organisations.filter(pk=company_id).exists():
        return rows.exists()
    return rows.filter(school_or_family).exists()


def may_manage_contracts(*, user: User, traject: Traject) -> bool:
    """MANAGE_CONTRACT ("Opmaken contracten") on ``traject``; uses ``traject.user_perms`` when
    the traject was fetched for ``user``."""
    return _holds_on_traject(user=user, traject=traject, codename=MANAGE_CONTRACT)


# Who signs a contract for which party (issue 11, signatures). Signing binds the party, so it
# is narrower than reading and than "Opmaken contracten" (which prepares the contract):
# * the company: its coördinator duaal or directie in the traject's partnership, on behalf of
#   THAT company (a team seat with ``organisation`` = the contract's company) — not a mentor,
#   and never another company of a rotation;
# * the school: the school's coördinator duaal or directie in that partnership;
# * the student: the student's own account; a parent or guardian: their own account, linked
#   to their ``StudentContact`` (an account invitation gives a parent without one an account).
# Always among those who read the contract. Party roles are the strings of
# ``contracts.models.PartyRole`` (this module imports nothing of contracts).
CONTRACT_SIGNATORY_ROLES = {
    "company": frozenset({TeamRole.COORDINATOR_BEDRIJF, TeamRole.DIRECTIE_BEDRIJF}),
    "school": frozenset({TeamRole.COORDINATOR_SCHOOL, TeamRole.DIRECTIE_SCHOOL}),
}


def may_sign_contract(
    *,
    user: User,
    traject: Traject,
    company_id: int,
    role: str,
    contact_id: int | None = None,
) -> bool:
    """Whether ``user`` signs for the party ``role`` (``contact_id``: which parent) of the
    contract of ``traject`` with the company ``company_id``."""
    if not user.is_authenticated or not may_read_contract(
        user=user, traject=traject, company_id=company_id
    ):
        return False
    if role in ("company", "school"):
        organisation_id = company_id if role == "company" else traject.partnership.school_id
        return TeamMember.objects.filter(
            user=user.pk,
            partnership=traject.partnership_id,
            organisation=organisation_id,
            role__in=sorted(CONTRACT_SIGNATORY_ROLES[role]),
        ).exists()
    if role == "student":
        return traject.student.user_id is not None and traject.student.user_id == user.pk
    if role == "parent" and contact_id is not None:
        return StudentContact.objects.filter(
            pk=contact_id, student=traject.student_id, user=user.pk
        ).exists()
    return False


def get_traject_for_contracts(
    *, user: User, public_id: uuid.UUID | str, manage: bool = False
) -> Traject:
    """The traject whose contracts ``user`` opens (its contract page): 404 when not visible;
    with ``manage``, 403 without MANAGE_CONTRACT. Which of its contracts they read is
    ``contract_readers_q``."""
    return get_traject_for_user(
        user=user, public_id=public_id, perm=MANAGE_CONTRACT if manage else None
    )


# --- The start checklist of a contract (``contracts/checklist.py``, issue 11) -----------------
# Reading a contract's checklist is reading the contract (above). Ticking an item (done with its
# proof, or reopening it) is for the partnership's school coördinator (coördinator duaal school
# of its school: every item) and for the coördinators of the organisation that owns the item
# (the school's or the contract's company's coördinator duaal: the items of their own
# organisation). Moving a due date is "Opmaken contracten" (MANAGE_CONTRACT); choosing another
# owner for an item in the whole partnership is changing its RACI matrix (CHANGE_RACI).

CHECKLIST_COORDINATORS = (TeamRole.COORDINATOR_SCHOOL, TeamRole.COORDINATOR_BEDRIJF)


def checklist_tick_scope(*, user: User, traject: Traject) -> tuple[bool, frozenset[int]]:
    """(ticks every item of the traject's contracts, organisations whose items ``user`` ticks)
    in one query."""
    if not user.is_authenticated:
        return False, frozenset()
    partnership = traject.partnership
    seats = TeamMember.objects.filter(
        partnership=partnership.pk, user=user.pk, role__in=CHECKLIST_COORDINATORS
    ).values_list("role", "organisation_id")
    everything = False
    organisations: set[int] = set()
    for role, organisation_id in seats:
        organisations.add(organisation_id)
        if role == TeamRole.COORDINATOR_SCHOOL and organisation_id == partnership.school_id:
            everything = True
    return everything, frozenset(organisations)


def may_tick_checklist_item(
    *, user: User, traject: Traject, owner_organisation_id: int | None
) -> bool:
    everything, organisations = checklist_tick_scope(user=user, traject=traject)
    return everything or owner_organisation_id in organisations


def coordinated_contracts_q(
    *, user: User, traject_field: str = "traject", company_field: str = "company"
) -> Q:
    """Q over contract rows ``user`` coordinates: the school coördinator's trajects (every
    company), a company coördinator's company's contracts — among those they read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    seats = TeamMember.objects.filter(user=user.pk)
    school = Q(
        **{
            f"{traject_field}__partnership__in": seats.filter(
                role=TeamRole.COORDINATOR_SCHOOL
            ).values("partnership_id")
        }
    )
    companies = Q(
        **{
            f"{company_field}__in": seats.filter(role=TeamRole.COORDINATOR_BEDRIJF).values(
                "organisation_id"
            ),
            f"{traject_field}__partnership__in": seats.filter(
                role=TeamRole.COORDINATOR_BEDRIJF
            ).values("partnership_id"),
        }
    )
    return (school | companies) & contract_readers_q(
        user=user, traject_field=traject_field, company_field=company_field
    )


def trajects_coordinated_by(*, user: User) -> QuerySet[Traject]:
    """The trajects whose open work a coördinator follows (the coordinator's action list,
    issue 14): a school coördinator's seat → every traject of that partnership; a company
    coördinator's seat → the trajects of that partnership with a placement at the seat's
    company (never another company's students). Always among the trajects ``user`` sees."""
    if not user.is_authenticated:
        return Traject.objects.none()
    school = Q(
        partnership__in=TeamMember.objects.filter(
            user=user.pk, role=TeamRole.COORDINATOR_SCHOOL
        ).values("partnership_id")
    )
    company_seat = TeamMember.objects.filter(
        user=user.pk,
        role=TeamRole.COORDINATOR_BEDRIJF,
        partnership_id=OuterRef("traject__partnership_id"),
        organisation_id=OuterRef("company_id"),
    )
    company = Q(
        Exists(Placement.objects.filter(traject=OuterRef("pk")).filter(Exists(company_seat)))
    )
    return trajects_visible_to(user=user).filter(school | company)


def checklist_tick_scopes(*, user: User) -> dict[int, tuple[bool, frozenset[int]]]:
    """``checklist_tick_scope`` for every partnership at once, in one query: {partnership id:
    (ticks every item, organisations whose items ``user`` ticks)}."""
    if not user.is_authenticated:
        return {}
    found: dict[int, tuple[bool, set[int]]] = {}
    for partnership_id, role, organisation_id, school_id in TeamMember.objects.filter(
        user=user.pk, role__in=CHECKLIST_COORDINATORS
    ).values_list("partnership_id", "role", "organisation_id", "partnership__school_id"):
        everything, organisations = found.setdefault(partnership_id, (False, set()))
        organisations.add(organisation_id)
        if role == TeamRole.COORDINATOR_SCHOOL and organisation_id == school_id:
            found[partnership_id] = (True, organisations)
    return {key: (every, frozenset(orgs)) for key, (every, orgs) in found.items()}


def coordinates_contracts(*, user: User) -> bool:
    """Whether ``user`` holds a coördinator seat that sees contracts (the starts list)."""
    return (
        user.is_authenticated
        and TeamMember.objects.filter(user=user.pk, role__in=CHECKLIST_COORDINATORS).exists()
    )


def roles_coordinate_contracts(roles: Iterable[str]) -> bool:
    """``coordinates_contracts`` answered from the person's team roles (``roles``: every role
    they hold in a team, read once per request by the home): no query of its own."""
    return any(role in CHECKLIST_COORDINATORS for role in roles)


def may_choose_checklist_owners(*, user: User, partnership: Partnership) -> bool:
    """Another owner for a checklist item in the whole partnership: CHANGE_RACI."""
    return user.is_authenticated and CHANGE_RACI in partnership_permissions(
        user=user, partnership=partnership
    )


# --- Recognition — school side (``recognition/views/school.py``: issue 12 items 6 and 7) -----
#
# * Partner search: the administrators of a school (its coördinator duaal, its directie) search
#   the findable companies; the results hold what the companies agreed to show (no student).
# * A company's listing (opt-in ``findable`` and the opleidingen that interest it): the
#   company's administrators (its coördinator duaal, its directie) edit it; a plain member
#   (a mentor) gets 403, anyone else 404.
# * Programmatie: the members of the school read its requests; its administrators make and
#   move them. Nobody outside the school sees them (404).


def schools_searching_partners(*, user: User) -> QuerySet[Organisation]:
    """The schools for which ``user`` may search partner companies: those they administer."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, memberships__user=user, memberships__is_admin=True
    ).order_by("name")


# --- The home's panels, answered from a person's memberships ---------------------------------
# Which recognition panels the home shows (``recognition/homes.py``) is asked of the person's
# memberships, read once per request (or kept like the menu: ``organisations.selectors.
# kept_memberships_of``). These only choose panels: the rows a panel shows, and every page it
# links to, are asked of the querysets of this module.


def memberships_use_recognition_inbox(memberships: Iterable[Membership]) -> bool:
    """``may_use_recognition_inbox`` answered from the person's ``memberships``."""
    return any(m.organisation.kind == OrganisationKind.SECTOR_BODY for m in memberships)


def memberships_manage_programmatie(memberships: Iterable[Membership]) -> bool:
    """Whether ``schools_managing_programmatie`` has a row, from the person's ``memberships``."""
    return any(m.is_admin and m.organisation.kind == OrganisationKind.SCHOOL for m in memberships)


def memberships_edit_company_listing(memberships: Iterable[Membership]) -> bool:
    """Whether ``companies_listing_editable_by`` has a row, from the person's ``memberships``."""
    return any(m.is_admin and m.organisation.kind == OrganisationKind.COMPANY for m in memberships)


def may_search_partners(*, user: User) -> bool:
    return schools_searching_partners(user=user).exists()


def companies_listing_editable_by(*, user: User) -> QuerySet[Organisation]:
    """The companies whose listing in the partner search ``user`` may set."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.COMPANY, memberships__user=user, memberships__is_admin=True
    ).order_by("name")


def get_company_for_listing(*, user: User, public_id: uuid.UUID | str) -> Organisation:
    """The company ``public_id`` if ``user`` administers it; 403 for a plain member, else 404."""
    company = (
        Organisation.objects.filter(
            kind=OrganisationKind.COMPANY, public_id=_parse_uuid(public_id), memberships__user=user
        )
        .distinct()
        .first()
        if user.is_authenticated
        else None
    )
    if company is None:
        raise Http404
    if not Membership.objects.filter(user=user, organisation=company, is_admin=True).exists():
        raise PermissionDenied
    return company


def programmatie_schools(*, user: User) -> QuerySet[Organisation]:
    """The schools whose programmatie requests ``user`` reads (any member)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, memberships__user=user
    ).order_by("name")


def programmaties_visible_to(*, user: User) -> QuerySet:
    from recognition.models import Programmatie

    return Programmatie.objects.filter(school__in=programmatie_schools(user=user).values("pk"))


def schools_managing_programmatie(*, user: User) -> QuerySet[Organisation]:
    """The schools for which ``user`` makes and moves programmatie requests: administrators."""
    return schools_searching_partners(user=user)


def may_manage_programmatie(*, user: User, programmatie: object) -> bool:
    from recognition.models import Programmatie

    assert isinstance(programmatie, Programmatie)
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=programmatie.school_id, is_admin=True
        ).exists()
    )


def get_programmatie_for_user(
    *, user: User, public_id: uuid.UUID | str, manage: bool = False
) -> Any:
    """The request ``public_id`` if ``user`` is a member of its school (else 404), and may
    manage it when asked (else 403)."""
    programmatie = (
        programmaties_visible_to(user=user)
        .select_related("school", "opleiding")
        .filter(public_id=_parse_uuid(public_id))
        .first()
    )
    if programmatie is None:
        raise Http404
    if manage and not may_manage_programmatie(user=user, programmatie=programmatie):
        raise PermissionDenied
    return programmatie


# --- The company director's dashboard (``dashboards/views/company.py``, issue 14) -----------
# A company's dashboard is for its directie: a team seat as directie bedrijf on behalf of that
# company (in any partnership), held by a member of the company. Someone who is not a member of
# the company gets 404 ("not yours"); a member without the seat (a mentor, a coördinator) 403.


def companies_directed_by(*, user: User) -> QuerySet[Organisation]:
    """The companies whose dashboard ``user`` opens (one query when evaluated)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    seat = TeamMember.objects.filter(
        user=user, organisation=OuterRef("pk"), role=TeamRole.DIRECTIE_BEDRIJF
    )
    return Organisation.objects.filter(
        Exists(seat), kind=OrganisationKind.COMPANY, memberships__user=user
    )


def get_company_for_director(*, user: User, organisation_id: uuid.UUID | str) -> Organisation:
    """The company whose dashboard ``user`` opens: 404 for non-members and other kinds of
    organisation, 403 for a member who is not its directie (one query)."""
    if not user.is_authenticated:
        raise Http404
    seat = TeamMember.objects.filter(
        user=user, organisation=OuterRef("pk"), role=TeamRole.DIRECTIE_BEDRIJF
    )
    company = (
        Organisation.objects.filter(
            public_id=_parse_uuid(organisation_id),
            kind=OrganisationKind.COMPANY,
            memberships__user=user,
        )
        .annotate(directs=Exists(seat))
        .first()
    )
    if company is None:
        raise Http404
    if not company.directs:
        raise PermissionDenied
    return company


# --- Dashboards (``dashboards/``: issue 14) --------------------------------------------------
#
# * The school director's dashboard of a partnership: its directie school and its coördinator
#   duaal school, while they can see the partnership (a RACI letter). Anyone else gets 404 (the
#   page is a list of the partnerships they have one of; an empty list is a 404 too). Its
#   drill-down to a student only where ``trajects_visible_to`` holds the traject.

SCHOOL_DASHBOARD_ROLES = (TeamRole.DIRECTIE_SCHOOL, TeamRole.COORDINATOR_SCHOOL)


def partnerships_with_school_dashboard(*, user: User) -> QuerySet[Partnership]:
    """Partnerships whose school dashboard ``user`` may see (one query when evaluated)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return partnerships_visible_to(user=user).filter(
        pk__in=TeamMember.objects.filter(user=user, role__in=SCHOOL_DASHBOARD_ROLES).values(
            "partnership_id"
        )
    )


# * The klassenraad report of a class in a school year (``dashboards/documents.py``): asked and
#   downloaded by whoever sits, on behalf of the class's school, as directie, coördinator duaal,
#   trajectbegeleider or leerkracht in a partnership of that year in which a student of the
#   class has a traject (and sees that partnership). The report lists only the trajects the
#   requester sees (``trajects_visible_to``). Someone of another organisation gets 404; a member
#   of the school without such a seat 403.

KLASSENRAAD_ROLES = (
    TeamRole.DIRECTIE_SCHOOL,
    TeamRole.COORDINATOR_SCHOOL,
    TeamRole.TRAJECTBEGELEIDER,
    TeamRole.LEERKRACHT,
)


def trajects_in_klassenraad_of(*, user: User) -> QuerySet[Traject]:
    """Trajects whose class's klassenraad report ``user`` may ask for (filter them on the class
    and the school year): in a partnership ``user`` sees and sits in, for its school, in one of
    ``KLASSENRAAD_ROLES``. Which of them the report then lists: ``trajects_visible_to``."""
    if not user.is_authenticated:
        return Traject.objects.none()
    seats = TeamMember.objects.filter(
        user=user, role__in=KLASSENRAAD_ROLES, organisation=F("partnership__school")
    )
    return Traject.objects.filter(
        partnership__in=partnerships_visible_to(user=user).filter(
            pk__in=seats.values("partnership_id")
        )
    )


def klassenraad_classes(*, user: User, school_year: int) -> QuerySet[SchoolClass]:
    """The classes whose klassenraad report of ``school_year`` ``user`` may ask for."""
    scope = trajects_in_klassenraad_of(user=user).filter(
        student__school_class=OuterRef("pk"), partnership__school_year=school_year
    )
    return SchoolClass.objects.filter(Exists(scope)).order_by("name", "pk")


def check_klassenraad_access(*, user: User, school_class: SchoolClass, school_year: int) -> None:
    """Nothing when ``user`` may ask for the class's report of ``school_year``; else 404 for
    whoever is not a member of the class's school, 403 for a member without the seat."""
    if not user.is_authenticated:
        raise Http404
    allowed = (
        trajects_in_klassenraad_of(user=user)
        .filter(student__school_class=school_class, partnership__school_year=school_year)
        .exists()
    )
    if allowed:
        return
    member = Membership.objects.filter(user=user, organisation_id=school_class.school_id).exists()
    if not member:
        raise Http404
    raise PermissionDenied
