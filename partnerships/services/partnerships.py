"""Writes of partnerships, their companies, their duaal team and their RACI matrix.

Every function validates before it writes, raises ``ValidationError`` with a message for the
user (nothing is saved then), re-syncs the partnership's grants in the same transaction and
writes the change to the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from learning.models import Opleiding
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships import audit as trail
from partnerships import raci
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    Placement,
    PlacementSupervisor,
    RaciCell,
    TeamMember,
    TeamRole,
)
from partnerships.models.partnerships import (
    COMPANY_ROLES,
    SCHOOL_ROLES,
    TEAM_ROLES,
    TRAINING_CENTRE_ROLES,
)
from partnerships.selectors.mentors import placements_only_mentored_by
from partnerships.services.grants import (
    COMPANY_WIDE_ROLES,
    company_sync_grants,
    partnership_sync_grants,
)
from partnerships.services.trajects import validate_supervisors


def organisations_for_role(*, partnership: Partnership, role: str) -> list[Organisation]:
    """The organisations of ``partnership`` on the side of ``role`` (school, companies, centre)."""
    if role in SCHOOL_ROLES:
        return [partnership.school]
    if role in COMPANY_ROLES:
        return [pc.company for pc in partnership.companies.select_related("company")]
    if role in TRAINING_CENTRE_ROLES:
        return [partnership.training_centre] if partnership.training_centre else []
    return []


def raci_initialise(*, partnership: Partnership) -> None:
    """Fill the matrix of a new partnership from the appendix-4 template."""
    RaciCell.objects.bulk_create(
        [
            RaciCell(partnership=partnership, task=task.code, role=role, letter=letter)
            for task in raci.TASKS
            for role, letter in task.defaults.items()
        ]
    )


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    school: Organisation,
    name: str,
    opleiding: Opleiding,
    school_year: int,
    companies: list[tuple[Organisation, Vestiging]],
    training_centre: Organisation | None = None,
) -> Partnership:
    """Create a partnership with its companies and the template matrix.

    The creating school member becomes its coördinator duaal school. The caller has checked
    that ``actor`` administers ``school``.
    """
    if school.kind != OrganisationKind.SCHOOL:
        raise ValidationError(_("A partnership is started by a school."))
    if training_centre is not None and training_centre.kind != OrganisationKind.TRAINING_CENTRE:
        raise ValidationError(
            _("The training centre must be an organisation of the kind training centre.")
        )
    if not companies:
        raise ValidationError(_("Choose at least one company."))
    for company, vestiging in companies:
        if company.kind != OrganisationKind.COMPANY:
            raise ValidationError(_("%(name)s is not a company.") % {"name": company.name})
        if vestiging.organisation_id != company.pk:
            raise ValidationError(
                _("The establishment %(vestiging)s does not belong to %(company)s.")
                % {"vestiging": vestiging, "company": company}
            )
    if Partnership.objects.filter(school=school, name=name, school_year=school_year).exists():
        raise ValidationError(
            {
                "name": [
                    ValidationError(
                        _(
                            "This school already has a partnership with this name in that "
                            "school year."
                        ),
                        code="duplicate",
                    )
                ]
            }
        )
    partnership = Partnership.objects.create(
        name=name,
        school=school,
        opleiding=opleiding,
        school_year=school_year,
        training_centre=training_centre,
        created_by=actor,
    )
    PartnershipCompany.objects.bulk_create(
        [PartnershipCompany(partnership=partnership, company=c, vestiging=v) for c, v in companies]
    )
    raci_initialise(partnership=partnership)
    if Membership.objects.filter(user=actor, organisation=school).exists():
        TeamMember.objects.create(
            partnership=partnership,
            user=actor,
            role=TeamRole.COORDINATOR_SCHOOL,
            organisation=school,
        )
    values = audit.snapshot(
        partnership, ("name", "school", "opleiding", "school_year", "training_centre")
    )
    values["companies"] = audit.json_value([company for company, _vestiging in companies])
    trail.record(
        actor=actor,
        action="partnership.create",
        organisation=school,
        partnership=partnership,
        obj=partnership,
        changes=audit.created(values),
    )
    partnership_sync_grants(partnership=partnership)
    return partnership


def _validate_team_member(
    *, partnership: Partnership, user: User, role: str, organisation: Organisation
) -> None:
    if role not in TEAM_ROLES:
        raise ValidationError(_("This is not a role of the duaal team."))
    allowed = organisations_for_role(partnership=partnership, role=role)
    if organisation not in allowed:
        raise ValidationError(
            _("A %(role)s belongs to %(side)s of this partnership.")
            % {
                "role": TeamRole(role).label.lower(),
                "side": ", ".join(o.name for o in allowed) or _("no organisation"),
            }
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            _("%(person)s is not a member of %(organisation)s.")
            % {"person": user, "organisation": organisation}
        )
    if TeamMember.objects.filter(partnership=partnership, user=user, role=role).exists():
        raise ValidationError(
            {
                "user": [
                    ValidationError(
                        _("%(person)s is already %(role)s in this partnership.")
                        % {"person": user, "role": TeamRole(role).label.lower()},
                        code="duplicate",
                    )
                ]
            }
        )


@transaction.atomic
def team_member_add(
    *, actor: User, partnership: Partnership, user: User, role: str, organisation: Organisation
) -> TeamMember:
    """Put ``user`` in ``role`` for ``organisation``; one person may hold several roles."""
    _validate_team_member(partnership=partnership, user=user, role=role, organisation=organisation)
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                partnership=partnership, user=user, role=role, organisation=organisation
            )
    except IntegrityError as exc:  # a concurrent request added the same role
        raise ValidationError(
            {
                "user": [
                    ValidationError(
                        _("This person already has this role in the partnership."),
                        code="duplicate",
                    )
                ]
            }
        ) from exc
    trail.record(
        actor=actor,
        action="team_member.add",
        partnership=partnership,
        obj=member,
        changes=audit.created(audit.snapshot(member, TEAM_MEMBER_FIELDS)),
    )
    _sync_after_team_change(partnership=partnership, role=role, organisation_id=organisation.pk)
    return member


TEAM_MEMBER_FIELDS = ("user", "role", "organisation")


def _sync_after_team_change(*, partnership: Partnership, role: str, organisation_id: int) -> None:
    if role in COMPANY_WIDE_ROLES:  # their view spans every partnership of the company
        company_sync_grants(company_id=organisation_id)
    partnership_sync_grants(partnership=partnership)


def _refuse_last_coordinator(member: TeamMember) -> None:
    """Nobody removes the last coördinator of a side (themselves included): the school's
    coördinator duaal runs the partnership, each company's coördinator its side."""
    if member.role == TeamRole.COORDINATOR_SCHOOL:
        same_side = TeamMember.objects.filter(
            partnership_id=member.partnership_id, role=TeamRole.COORDINATOR_SCHOOL
        )
        message = _(
            "%(person)s is the last coördinator duaal of the school in this partnership: "
            "add another coördinator first."
        )
    elif member.role == TeamRole.COORDINATOR_BEDRIJF:
        same_side = TeamMember.objects.filter(
            partnership_id=member.partnership_id,
            role=TeamRole.COORDINATOR_BEDRIJF,
            organisation_id=member.organisation_id,
        )
        message = _(
            "%(person)s is the last coördinator duaal of %(company)s in this partnership: "
            "add another coördinator of the company first."
        )
    else:
        return
    # Lock the side's coördinators: two people cannot each remove "the other" last one.
    others = list(same_side.select_for_update().values_list("pk", flat=True))
    if not [pk for pk in others if pk != member.pk]:
        raise ValidationError(
            message % {"person": member.user, "company": member.organisation},
            code="last_coordinator",
        )


def _placement_period(placement: Placement) -> str:
    return (
        f"{date_format(placement.start_date, 'j M')} – {date_format(placement.end_date, 'j M Y')}"
    )


def _check_replacements(
    *, member: TeamMember, orphaned: list[Placement], replacements: Mapping[int, User]
) -> None:
    """Every placement that would lose its only mentor has a valid replacement."""
    errors: list[ValidationError] = []
    for placement in orphaned:
        replacement = replacements.get(placement.pk)
        label = {
            "student": placement.traject.student.full_name,
            "company": placement.company,
            "period": _placement_period(placement),
        }
        if replacement is None:
            errors.append(
                ValidationError(
                    _(
                        "The placement of %(student)s at %(company)s (%(period)s) would lose its "
                        "only mentor: choose a replacement mentor."
                    )
                    % label,
                    code="replacement_needed",
                )
            )
            continue
        if replacement.pk == member.user_id:
            errors.append(
                ValidationError(
                    _("Choose another mentor for the placement of %(student)s.") % label,
                    code="replacement_invalid",
                )
            )
            continue
        try:
            validate_supervisors(
                traject=placement.traject,
                company=placement.company,
                start_date=placement.start_date,
                end_date=placement.end_date,
                mentors=[replacement],
                begeleiders=[],
                vestiging=placement.vestiging,
            )
        except ValidationError as error:
            errors.extend(ValidationError(m, code="replacement_invalid") for m in error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_member_remove(
    *, actor: User, member: TeamMember, replacements: Mapping[int, User] | None = None
) -> None:
    """Remove one role of one person; their rights go at once, as do their mentor assignments.

    Refused (``ValidationError``, nothing changed) for the last coördinator of the school or of
    a company in the partnership, and for a mentor who is the only mentor of a running or
    future placement unless ``replacements`` ({placement pk: user}) names a mentor who takes
    over each of those placements (same company, within the one mentor rule).
    """
    replacements = replacements or {}
    partnership = member.partnership
    _refuse_last_coordinator(member)
    orphaned: list[Placement] = []
    if member.role == TeamRole.MENTOR:
        orphaned = list(
            placements_only_mentored_by(user=member.user, partnership_id=partnership.pk)
        )
        _check_replacements(member=member, orphaned=orphaned, replacements=replacements)
    taken_over = {placement.pk for placement in orphaned}
    if member.role in (TeamRole.MENTOR, TeamRole.BEGELEIDER):
        supervisions = PlacementSupervisor.objects.filter(
            placement__traject__partnership=partnership, user=member.user, kind=member.role
        ).select_related("placement", "placement__company", "placement__traject")
        for supervision in supervisions:
            if supervision.placement_id in taken_over:
                continue  # recorded with its replacement below
            key = "mentors" if member.role == TeamRole.MENTOR else "begeleiders"
            trail.record(
                actor=actor,
                action="placement.update",
                traject=supervision.placement.traject,
                obj=supervision.placement,
                object_label=str(supervision.placement.company),
                changes={key: (audit.json_value([member.user]), None)},
            )
        supervisions.delete()
    for placement in orphaned:
        replacement = replacements[placement.pk]
        PlacementSupervisor.objects.create(
            placement=placement, user=replacement, kind=PlacementSupervisor.Kind.MENTOR
        )
        if not TeamMember.objects.filter(
            partnership=partnership, user=replacement, role=TeamRole.MENTOR
        ).exists():
            added = TeamMember.objects.create(
                partnership=partnership,
                user=replacement,
                role=TeamRole.MENTOR,
                organisation=placement.company,
            )
            trail.record(
                actor=actor,
                action="team_member.add",
                partnership=partnership,
                obj=added,
                changes=audit.created(audit.snapshot(added, TEAM_MEMBER_FIELDS)),
            )
        trail.record(
            actor=actor,
            action="placement.update",
            traject=placement.traject,
            obj=placement,
            object_label=str(placement.company),
            changes={"mentors": (audit.json_value([member.user]), audit.json_value([replacement]))},
        )
    trail.record(
        actor=actor,
        action="team_member.remove",
        partnership=partnership,
        obj=member,
        changes=audit.deleted(audit.snapshot(member, TEAM_MEMBER_FIELDS)),
    )
    role, organisation_id = member.role, member.organisation_id
    member.delete()
    _sync_after_team_change(partnership=partnership, role=role, organisation_id=organisation_id)


@transaction.atomic
def partnership_company_add(
    *, actor: User, partnership: Partnership, company: Organisation, vestiging: Vestiging
) -> PartnershipCompany:
    """Add a company (rotation) with the vestiging where students learn."""
    if company.kind != OrganisationKind.COMPANY:
        raise ValidationError(_("%(name)s is not a company.") % {"name": company.name})
    if vestiging.organisation_id != company.pk:
        raise ValidationError(
            _("The establishment %(vestiging)s does not belong to %(company)s.")
            % {"vestiging": vestiging, "company": company}
        )
    entry, created = PartnershipCompany.objects.get_or_create(
        partnership=partnership, company=company, vestiging=vestiging
    )
    if not created:
        raise ValidationError(
            {
                "vestiging": [
                    ValidationError(
                        _("This company and establishment are already in the partnership."),
                        code="duplicate",
                    )
                ]
            }
        )
    trail.record(
        actor=actor,
        action="partnership_company.add",
        partnership=partnership,
        obj=entry,
        object_label=str(company),
        changes=audit.created(audit.snapshot(entry, ("company", "vestiging"))),
    )
    partnership_sync_grants(partnership=partnership)
    return entry


@transaction.atomic
def raci_set_letter(
    *, actor: User, partnership: Partnership, task: str, role: str, letter: str
) -> str | None:
    """Set one cell ('' clears it); the task keeps at least one A (at most one per side: school
    and company) and at least one R.

    Giving a role the A moves the accountability of its side: the previous A holder of that
    side becomes R (the one move that single-cell edits could otherwise never make). Returns
    that role, or None.
    """
    if task not in raci.TASKS_BY_CODE:
        raise ValidationError(_("Unknown task."))
    if role not in raci.MATRIX_ROLES:
        raise ValidationError(_("Unknown role."))
    if letter not in {"", "R", "A", "RA", "C", "I"}:
        raise ValidationError(_("Choose R, A, R + A, C, I or nothing."))
    # Lock the task's row set, so two editors cannot each remove "the other" A.
    cells = {
        cell.role: cell
        for cell in RaciCell.objects.select_for_update().filter(partnership=partnership, task=task)
    }
    letters = {r: c.letter for r, c in cells.items()}
    letters_before = dict(letters)
    demoted = None
    if "A" in letter:
        side = raci.side_of(role)
        demoted = next(
            (
                r
                for r, value in letters.items()
                if "A" in value and r != role and side is not None and raci.side_of(r) == side
            ),
            None,
        )
        if demoted:
            letters[demoted] = "R"
    if letter:
        letters[role] = letter
    else:
        letters.pop(role, None)
    problems = raci.validate_task_letters(letters)
    if "accountable" in problems:
        raise ValidationError(
            _(
                "Each task needs an A (accountable): at least one, at most one on the school "
                "side and one on the company side, never the student or the parents."
            ),
            code="accountable",
        )
    if "responsible" in problems:
        raise ValidationError(
            _("Each task needs at least one R (responsible)."), code="responsible"
        )
    if demoted:
        cells[demoted].letter = "R"
        cells[demoted].save(update_fields=["letter"])
    old = cells[role].letter if role in cells else ""
    if role in cells and not letter:
        cells[role].delete()
    elif role in cells:
        cells[role].letter = letter
        cells[role].save(update_fields=["letter"])
    elif letter:
        RaciCell.objects.create(partnership=partnership, task=task, role=role, letter=letter)
    for changed_role, before, after in [
        (role, old, letter),
        *([(demoted, letters_before[demoted], "R")] if demoted else []),
    ]:
        if before != after:
            trail.record(
                actor=actor,
                action="raci.set",
                partnership=partnership,
                object_label=format_lazy(
                    "{} – {}", raci.TASKS_BY_CODE[task].name, TeamRole(changed_role).label
                ),
                changes={"letter": (before, after)},
            )
    partnership_sync_grants(partnership=partnership)
    return demoted
