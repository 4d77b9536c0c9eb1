"""What a destructive action would do, said before it is done: the confirmation dialogs and
pages of removing a team member, deleting a placement and ending a traject.

Reads only; the rules themselves live in the services (``services.partnerships``,
``services.trajects``), which refuse what these plans announce as refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from partnerships import sharing
from partnerships.models import (
    Partnership,
    Placement,
    PlacementSupervisor,
    TeamMember,
    TeamRole,
    Traject,
    TrajectStatus,
)
from partnerships.selectors.mentors import replacement_mentors_for, sole_mentor_placements
from partnerships.services.grants import RemovalAccess, access_lost_on_removal


def period_label(placement: Placement) -> str:
    """ "1 sep – 30 jun" as the dialogs name a placement."""
    return _("%(first)s to %(last)s") % {
        "first": date_format(placement.start_date, "j M"),
        "last": date_format(placement.end_date, "j M Y"),
    }


def person_label(user: User) -> str:
    return user.full_name or user.email


@dataclass
class Takeover:
    """A placement that loses its only mentor, and who may take it over."""

    placement: Placement
    candidates: list[User]

    @property
    def label(self) -> str:
        return _("%(student)s at %(company)s (%(period)s)") % {
            "student": self.placement.traject.student.full_name,
            "company": self.placement.company,
            "period": period_label(self.placement),
        }


@dataclass
class RemovalPlan:
    member: TeamMember
    is_self: bool
    refusal: str = ""  # why the service will refuse (e.g. the last coördinator)
    takeovers: list[Takeover] = field(default_factory=list)
    consequences: list[str] = field(default_factory=list)

    @property
    def dialog_id(self) -> str:
        return f"remove-member-{self.member.pk}"

    @property
    def title(self) -> str:
        if self.is_self:
            return _("Leave the team as %(role)s?") % {
                "role": self.member.get_role_display().lower()
            }
        return _("Remove %(person)s from the team?") % {"person": person_label(self.member.user)}

    @property
    def can_confirm(self) -> bool:
        return not self.refusal and all(t.candidates for t in self.takeovers)


def _coordinator_counts(partnership: Partnership) -> dict[tuple[str, int | None], int]:
    counts: dict[tuple[str, int | None], int] = {}
    for role, organisation_id, n in (
        TeamMember.objects.filter(
            partnership=partnership,
            role__in=[TeamRole.COORDINATOR_SCHOOL, TeamRole.COORDINATOR_BEDRIJF],
        )
        .values("role", "organisation_id")
        .annotate(n=Count("pk"))
        .values_list("role", "organisation_id", "n")
    ):
        key = (role, None if role == TeamRole.COORDINATOR_SCHOOL else organisation_id)
        counts[key] = counts.get(key, 0) + n
    return counts


def removal_plans(
    *, partnership: Partnership, members: list[TeamMember], actor: User
) -> dict[int, RemovalPlan]:
    """{member pk: RemovalPlan} for each of ``members`` (with ``user`` and ``organisation``
    loaded), in a fixed number of queries however many mentors and placements there are."""
    access = access_lost_on_removal(partnership=partnership, members=members)
    coordinators = _coordinator_counts(partnership)
    mentors = [m for m in members if m.role == TeamRole.MENTOR]
    sole = (
        sole_mentor_placements(user_ids={m.user_id for m in mentors}, partnership_id=partnership.pk)
        if mentors
        else {}
    )
    plans = {}
    for member in members:
        plan = RemovalPlan(member=member, is_self=member.user_id == actor.pk)
        person = person_label(member.user)
        role = member.get_role_display().lower()
        if (
            member.role == TeamRole.COORDINATOR_SCHOOL
            and coordinators.get((member.role, None)) == 1
        ):
            plan.refusal = _(
                "%(person)s is the last coördinator duaal of the school in this partnership: "
                "add another coördinator first."
            ) % {"person": person}
        elif (
            member.role == TeamRole.COORDINATOR_BEDRIJF
            and coordinators.get((member.role, member.organisation_id)) == 1
        ):
            plan.refusal = _(
                "%(person)s is the last coördinator duaal of %(company)s in this partnership: "
                "add another coördinator of the company first."
            ) % {"person": person, "company": member.organisation}
        if member.role == TeamRole.MENTOR and not plan.refusal:
            plan.takeovers = [
                Takeover(placement=placement, candidates=[])
                for placement in sole.get(member.user_id, [])
            ]
        plans[member.pk] = plan
    candidates = replacement_mentors_for(
        takeovers=[
            (takeover.placement, plan.member.user_id)
            for plan in plans.values()
            for takeover in plan.takeovers
        ]
    )
    for plan in plans.values():
        for takeover in plan.takeovers:
            takeover.candidates = candidates[takeover.placement.pk]
        person = person_label(plan.member.user)
        role = plan.member.get_role_display().lower()
        access_of = access[plan.member.pk]
        plan.consequences = _consequences(plan=plan, person=person, role=role, access=access_of)
    return plans


def _consequences(*, plan: RemovalPlan, person: str, role: str, access: RemovalAccess) -> list[str]:
    said = []
    if plan.is_self:
        said.append(_("You are no longer %(role)s in this partnership.") % {"role": role})
    else:
        said.append(
            _("%(person)s is no longer %(role)s in this partnership.")
            % {"person": person, "role": role}
        )
    for takeover in plan.takeovers:
        placement = takeover.placement
        said.append(
            _(
                "The placement of %(student)s at %(company)s (%(period)s) loses its only "
                "mentor: choose who takes over."
            )
            % {
                "student": placement.traject.student.full_name,
                "company": placement.company,
                "period": period_label(placement),
            }
        )
        if not takeover.candidates:
            said.append(
                _(
                    "No other mentor of %(company)s in this team has room for %(student)s: "
                    "invite a mentor or change the placement first."
                )
                % {"company": placement.company, "student": placement.traject.student.first_name}
            )
    if access.trajects_lost:
        if plan.is_self:
            said.append(
                ngettext(
                    "You lose access to %(count)d traject.",
                    "You lose access to %(count)d trajects.",
                    access.trajects_lost,
                )
                % {"count": access.trajects_lost}
            )
        else:
            said.append(
                ngettext(
                    "%(person)s loses access to %(count)d traject.",
                    "%(person)s loses access to %(count)d trajects.",
                    access.trajects_lost,
                )
                % {"person": person, "count": access.trajects_lost}
            )
    if access.loses_partnership:
        if plan.is_self:
            said.append(
                _(
                    "You lose access to this partnership: only another coördinator can add you again."
                )
            )
        else:
            said.append(_("%(person)s no longer sees this partnership.") % {"person": person})
    return said


# --- placements --------------------------------------------------------------------------


def placement_delete_consequences(
    *,
    placement: Placement,
    traject: Traject | None = None,
    placements: list[Placement] | None = None,
) -> list[str]:
    """What deleting ``placement`` does, in sentences.

    With ``traject`` (the placement's) and ``placements`` (all of the traject's placements,
    ``placement`` among them, with their supervisors prefetched as
    ``selectors.trajects.traject_placements`` loads them) no query; otherwise up to four.
    """
    student = (traject if traject is not None else placement.traject).student
    said = [
        _(
            "The placement of %(student)s at %(company)s from %(period)s is deleted, with its weekly pattern."
        )
        % {
            "student": student.full_name,
            "company": placement.company,
            "period": period_label(placement),
        }
    ]
    if placements is None:
        supervisors = list(
            PlacementSupervisor.objects.filter(placement=placement)
            .select_related("user")
            .order_by("pk")
        )
        elsewhere = set(
            PlacementSupervisor.objects.filter(placement__traject_id=placement.traject_id)
            .exclude(placement=placement)
            .values_list("user_id", "kind")
        )
    else:
        supervisors = sorted(placement.supervisors.all(), key=lambda supervision: supervision.pk)
        elsewhere = {
            (supervision.user_id, supervision.kind)
            for other in placements
            if other.pk != placement.pk
            for supervision in other.supervisors.all()
        }
    for supervision in supervisors:
        if (supervision.user_id, supervision.kind) not in elsewhere:
            said.append(
                _("%(person)s (%(role)s) no longer sees the traject of %(student)s.")
                % {
                    "person": person_label(supervision.user),
                    "role": supervision.get_kind_display().lower(),
                    "student": student.first_name,
                }
            )
    return said


# --- trajects ----------------------------------------------------------------------------


def traject_end_consequences(*, traject: Traject, status: str) -> list[str]:
    """What ending ``traject`` with ``status`` does, in sentences (no query). Whether the
    student and the parents read the reason follows its declaration in ``sharing``."""
    student = traject.student
    said = [
        _("The status of the traject of %(name)s becomes “%(status)s”.")
        % {"name": student.full_name, "status": TrajectStatus(status).label},
        _(
            "Its mentors no longer count %(name)s among the students they guide; the reason is "
            "kept in the traject's history for the team."
        )
        % {"name": student.first_name},
    ]
    if sharing.audience("partnerships.traject", "end_reason") == sharing.INTERNAL:
        said.append(_("The student and the parents see the new status, not the reason."))
    else:
        said.append(_("The student and the parents see the new status and the reason."))
    return said


def traject_delete_consequences(*, traject: Traject, placements: list[Placement]) -> list[str]:
    """What deleting ``traject`` with its ``placements`` does, in sentences (no query)."""
    name = traject.student.full_name
    said = [_("The traject of %(name)s and everyone's access to it are removed.") % {"name": name}]
    if placements:
        said.append(
            ngettext(
                "Its %(count)d placement is deleted.",
                "Its %(count)d placements are deleted.",
                len(placements),
            )
            % {"count": len(placements)}
        )
    said.append(_("The student stays on the school's list; the history is kept."))
    return said
