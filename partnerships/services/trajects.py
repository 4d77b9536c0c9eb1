"""Writes of students, trajects and placements.

Validation errors carry user-facing messages and save nothing; every change re-syncs the
grants of the partnership concerned and is written to the audit trail (``partnerships.audit``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from organisations.models import Membership, Organisation, Vestiging
from partnerships import audit as trail
from partnerships.models import (
    ENDED_TRAJECT_STATUSES,
    Partnership,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    StudentContact,
    TeamMember,
    Traject,
    TrajectStatus,
    Weekday,
)
from partnerships.models.students import END_REASON_MAX_LENGTH
from partnerships.selectors.mentors import mentor_refusals, recognition_refusal
from partnerships.services.grants import partnership_sync_grants
from partnerships.signals import placements_changed, traject_ending

STUDENT_FIELDS = ("first_name", "last_name", "birth_date", "school_class", "stamnummer", "email")
CONTACT_FIELDS = ("full_name", "relation", "email", "phone")
TRAJECT_FIELDS = (
    "status",
    "intake_notes",
    "beginsituatie",
    "klassenraad_advice",
    "end_reason",
    "ended_on",
)
# What ``traject_update`` may change; ``end_reason`` and ``ended_on`` only together with an
# ending status.
TRAJECT_EDITABLE = ("status", "intake_notes", "beginsituatie", "klassenraad_advice")

PLACEMENT_FIELDS = (
    "company",
    "vestiging",
    "start_date",
    "end_date",
    *(day.value for day in Weekday),
    "workplace_hours_per_week",
)


@transaction.atomic
def student_create(
    *,
    actor: User,
    school: Organisation,
    first_name: str,
    last_name: str,
    birth_date: date,
    school_class: SchoolClass,
    stamnummer: str = "",
    email: str = "",
) -> Student:
    """Create a student of ``school``; the stamnummer, when given, is unique within the school."""
    if school_class.school_id != school.pk:
        raise ValidationError(
            _("The class %(name)s is not a class of this school.") % {"name": school_class.name}
        )
    stamnummer = stamnummer.strip()
    if stamnummer and Student.objects.filter(school=school, stamnummer=stamnummer).exists():
        raise ValidationError(
            {
                "stamnummer": [
                    ValidationError(
                        _("Another student of this school has stamnummer %(nr)s.")
                        % {"nr": stamnummer},
                        code="duplicate",
                    )
                ]
            }
        )
    student = Student.objects.create(
        school=school,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        school_class=school_class,
        stamnummer=stamnummer,
        email=email.strip().lower(),
    )
    trail.record(
        actor=actor,
        action="student.create",
        organisation=school,
        student=student,
        obj=student,
        changes=audit.created(audit.snapshot(student, STUDENT_FIELDS)),
    )
    return student


@transaction.atomic
def student_contact_add(
    *,
    actor: User,
    student: Student,
    full_name: str,
    relation: str,
    email: str = "",
    phone: str = "",
) -> StudentContact:
    """Add a parent or guardian; an existing account with that e-mail gets the read-only view."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first() if email else None
    contact = StudentContact.objects.create(
        student=student,
        full_name=full_name.strip(),
        relation=relation,
        email=email,
        phone=phone.strip(),
        user=user,
    )
    trajects = list(student.trajects.select_related("partnership"))
    trail.record(
        actor=actor,
        action="student_contact.add",
        partnership=trajects[0].partnership if trajects else None,
        organisation=None if trajects else student.school,
        student=student,
        obj=contact,
        changes=audit.created(audit.snapshot(contact, CONTACT_FIELDS)),
    )
    for traject in trajects:
        partnership_sync_grants(partnership=traject.partnership)
    return contact


@transaction.atomic
def traject_create(
    *, actor: User, partnership: Partnership, student: Student, intake_notes: str = ""
) -> Traject:
    """Start the traject of ``student`` in ``partnership`` (the student's school runs it)."""
    if student.school_id != partnership.school_id:
        raise ValidationError(
            _("This student is not a student of %(school)s.") % {"school": partnership.school}
        )
    if Traject.objects.filter(student=student, partnership=partnership).exists():
        raise ValidationError(
            {
                "student": [
                    ValidationError(
                        _("%(student)s already has a traject in this partnership.")
                        % {"student": student},
                        code="duplicate",
                    )
                ]
            }
        )
    traject = Traject.objects.create(
        student=student, partnership=partnership, intake_notes=intake_notes
    )
    trail.record(
        actor=actor,
        action="traject.create",
        traject=traject,
        obj=traject,
        changes=audit.created(audit.snapshot(traject, TRAJECT_FIELDS)),
    )
    partnership_sync_grants(partnership=partnership)
    return traject


@transaction.atomic
def traject_update(*, actor: User, traject: Traject, data: dict[str, object]) -> Traject:
    """Save intake, beginsituatie, status or klassenraad advice (the caller checked the permission).

    A status that ends the traject (``ENDED_TRAJECT_STATUSES``: completed, stopped early) needs
    a reason, ``data["end_reason"]``: without one nothing is saved (``ValidationError`` on
    ``end_reason``); ``data["ended_on"]`` is the day it ends (today when not given). Higher
    apps end their rows with it through ``signals.traject_ending`` (the contracts app ends the
    running contract on the same day, for the same reason); what they changed is recorded with
    the status in ONE "Traject ended" entry of the audit trail. Reopening an ended traject
    clears reason and date.
    """
    fields = [
        name
        for name, value in data.items()
        if name in TRAJECT_EDITABLE and getattr(traject, name) != value
    ]
    new_values = {name: data[name] for name in fields}
    action = "traject.update"
    if "status" in fields:
        if new_values["status"] in ENDED_TRAJECT_STATUSES:
            reason = str(data.get("end_reason") or "").strip()
            if not reason:
                raise ValidationError(
                    {
                        "end_reason": _(
                            "Give the reason why the traject ends: the team reads it in the "
                            "history."
                        )
                    },
                    code="end_reason_required",
                )
            if len(reason) > END_REASON_MAX_LENGTH:
                raise ValidationError(
                    {
                        "end_reason": _("Keep the reason under %(max)d characters.")
                        % {"max": END_REASON_MAX_LENGTH}
                    }
                )
            new_values["end_reason"] = reason
            new_values["ended_on"] = data.get("ended_on") or timezone.localdate()
            action = "traject.end"
        else:
            if traject.end_reason:
                new_values["end_reason"] = ""
            if traject.ended_on:
                new_values["ended_on"] = None
        fields = list(new_values)
    before = audit.snapshot(traject, fields)
    for name in fields:
        setattr(traject, name, new_values[name])
    if fields:
        traject.full_clean()
        traject.save(update_fields=[*fields, "updated_at"])
        changes = audit.diff(before, audit.snapshot(traject, fields))
        if action == "traject.end":
            for _receiver, more in traject_ending.send(
                sender=Traject,
                traject=traject,
                actor=actor,
                status=traject.status,
                ended_on=traject.ended_on,
                reason=traject.end_reason,
            ):
                if isinstance(more, dict):
                    changes.update(more)
        trail.record(actor=actor, action=action, traject=traject, obj=traject, changes=changes)
    return traject


@transaction.atomic
def traject_delete(*, actor: User, traject: Traject) -> None:
    """Delete a traject; its grants go with it (foreign-key cascade), its history stays."""
    partnership = traject.partnership
    trail.record(
        actor=actor,
        action="traject.delete",
        traject=traject,
        obj=traject,
        changes=audit.deleted(audit.snapshot(traject, TRAJECT_FIELDS)),
    )
    traject.delete()
    partnership_sync_grants(partnership=partnership)


def _validate_placement(
    *,
    traject: Traject,
    company: Organisation,
    vestiging: Vestiging,
    start_date: date,
    end_date: date,
    workplace_hours_per_week: Decimal,
    exclude: Placement | None = None,
) -> None:
    partnership = traject.partnership
    errors: dict[str, list[str]] = {}
    if not partnership.companies.filter(company=company, vestiging=vestiging).exists():
        errors.setdefault("vestiging", []).append(
            _("%(company)s – %(vestiging)s is not a company establishment of this partnership.")
            % {"company": company, "vestiging": vestiging}
        )
    first, last = partnership.school_year_bounds
    if end_date < start_date:
        errors.setdefault("end_date", []).append(_("The end date comes before the start date."))
    if start_date < first or end_date > last:
        errors.setdefault("start_date", []).append(
            _("A placement must fall within the school year %(year)s (%(first)s – %(last)s).")
            % {
                "year": partnership.school_year_label,
                "first": date_format(first, "SHORT_DATE_FORMAT"),
                "last": date_format(last, "SHORT_DATE_FORMAT"),
            }
        )
    if not Decimal(0) <= workplace_hours_per_week <= Decimal(60):
        errors.setdefault("workplace_hours_per_week", []).append(
            _("Enter between 0 and 60 hours a week.")
        )
    overlapping = traject.placements.filter(start_date__lte=end_date, end_date__gte=start_date)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    clash = overlapping.select_related("company").first()
    if clash:
        errors.setdefault("start_date", []).append(
            _("This period overlaps the placement at %(company)s (%(first)s – %(last)s).")
            % {
                "company": clash.company,
                "first": date_format(clash.start_date, "SHORT_DATE_FORMAT"),
                "last": date_format(clash.end_date, "SHORT_DATE_FORMAT"),
            }
        )
    if errors:
        raise ValidationError(errors)


def validate_supervisors(
    *,
    traject: Traject,
    company: Organisation,
    start_date: date,
    end_date: date,
    mentors: list[User],
    begeleiders: list[User],
    vestiging: Vestiging | None = None,
) -> None:
    errors: list[str] = []
    # A member of the company, or someone on this partnership's team for that company (a
    # mentor invited by the school belongs to the team, not to the company's own members).
    members = set(
        Membership.objects.filter(
            organisation=company, user__in=[*mentors, *begeleiders]
        ).values_list("user_id", flat=True)
    ) | set(
        TeamMember.objects.filter(
            partnership=traject.partnership, organisation=company, user__in=[*mentors, *begeleiders]
        ).values_list("user_id", flat=True)
    )
    for person in [*mentors, *begeleiders]:
        if person.pk not in members:
            errors.append(
                _("%(person)s does not work at %(company)s.")
                % {"person": person, "company": company}
            )
    if errors:
        raise ValidationError({"mentors": errors})
    # Recognition (issue 12): the vestiging recognised for the opleiding over the whole
    # period, each mentor eligible and within the sector's limit — every reason at once.
    refusals: dict[str, list[str]] = {}
    if vestiging is not None:
        refusal = recognition_refusal(
            vestiging=vestiging,
            opleiding=traject.partnership.opleiding,
            start=start_date,
            end=end_date,
        )
        if refusal:
            refusals["vestiging"] = [refusal]
    # Lock the mentors, so two placements cannot both take a mentor's last free place.
    list(User.objects.select_for_update().filter(pk__in=[m.pk for m in mentors]).order_by("pk"))
    for mentor in mentors:
        reasons = mentor_refusals(
            mentor, company=company, start=start_date, end=end_date, traject_id=traject.pk
        )
        if reasons:
            refusals.setdefault("mentors", []).extend(reasons)
    if refusals:
        raise ValidationError(refusals)


def _ensure_team_role(
    *, actor: User, traject: Traject, user: User, role: str, company: Organisation
) -> None:
    member, created = TeamMember.objects.get_or_create(
        partnership=traject.partnership, user=user, role=role, defaults={"organisation": company}
    )
    if created:
        trail.record(
            actor=actor,
            action="team_member.add",
            partnership=traject.partnership,
            obj=member,
            changes=audit.created(audit.snapshot(member, ("user", "role", "organisation"))),
        )


def _placement_values(placement: Placement) -> dict[str, object]:
    """The recorded values of a placement: its fields and its people (by label)."""
    values = audit.snapshot(placement, PLACEMENT_FIELDS)
    people = sorted(
        placement.supervisors.select_related("user"), key=lambda s: (str(s.user), s.user_id)
    )
    for kind, key in (
        (PlacementSupervisor.Kind.MENTOR, "mentors"),
        (PlacementSupervisor.Kind.BEGELEIDER, "begeleiders"),
    ):
        values[key] = audit.json_value([s.user for s in people if s.kind == kind])
    return values


def _placement_label(placement: Placement) -> str:
    return str(placement.company)


def _set_supervisors(
    *,
    actor: User,
    placement: Placement,
    company: Organisation,
    mentors: list[User],
    begeleiders: list[User],
) -> None:
    """Make the placement's mentors and begeleiders these people; new ones join the team."""
    desired = {(person.pk, PlacementSupervisor.Kind.MENTOR.value) for person in mentors} | {
        (person.pk, PlacementSupervisor.Kind.BEGELEIDER.value) for person in begeleiders
    }
    existing = {(s.user_id, s.kind): s.pk for s in placement.supervisors.all()}
    stale = [pk for key, pk in existing.items() if key not in desired]
    if stale:
        PlacementSupervisor.objects.filter(pk__in=stale).delete()
    for kind, people in (
        (PlacementSupervisor.Kind.MENTOR, mentors),
        (PlacementSupervisor.Kind.BEGELEIDER, begeleiders),
    ):
        for person in people:
            if (person.pk, kind.value) not in existing:
                PlacementSupervisor.objects.create(placement=placement, user=person, kind=kind)
            _ensure_team_role(
                actor=actor, traject=placement.traject, user=person, role=kind, company=company
            )


@transaction.atomic
def placement_create(
    *,
    actor: User,
    traject: Traject,
    company: Organisation,
    vestiging: Vestiging,
    start_date: date,
    end_date: date,
    weekly_pattern: dict[str, str],
    workplace_hours_per_week: Decimal,
    mentors: list[User],
    begeleiders: list[User] | None = None,
) -> Placement:
    """Place the student at a company vestiging for a period, with mentor(s) and begeleider(s).

    Refuses a period outside the school year, an overlap with another placement of the same
    traject, a mentor of another company and a mentor above the sector's student limit.
    Assigned mentors and begeleiders join the team in that role.
    """
    begeleiders = begeleiders or []
    _validate_placement(
        traject=traject,
        company=company,
        vestiging=vestiging,
        start_date=start_date,
        end_date=end_date,
        workplace_hours_per_week=workplace_hours_per_week,
    )
    validate_supervisors(
        traject=traject,
        company=company,
        start_date=start_date,
        end_date=end_date,
        mentors=mentors,
        begeleiders=begeleiders,
        vestiging=vestiging,
    )
    placement = Placement.objects.create(
        traject=traject,
        company=company,
        vestiging=vestiging,
        start_date=start_date,
        end_date=end_date,
        workplace_hours_per_week=workplace_hours_per_week,
        **{day.value: weekly_pattern.get(day.value, "school") for day in Weekday},
    )
    _set_supervisors(
        actor=actor, placement=placement, company=company, mentors=mentors, begeleiders=begeleiders
    )
    trail.record(
        actor=actor,
        action="placement.create",
        traject=traject,
        obj=placement,
        object_label=_placement_label(placement),
        changes=audit.created(_placement_values(placement)),
    )
    # The traject stays in intake: it runs when its first contract starts (contracts app).
    partnership_sync_grants(partnership=traject.partnership)
    placements_changed.send(
        sender=Placement, traject=traject, actor=actor, company_ids={company.pk}
    )
    return placement


@transaction.atomic
def placement_update(
    *,
    actor: User,
    placement: Placement,
    company: Organisation,
    vestiging: Vestiging,
    start_date: date,
    end_date: date,
    weekly_pattern: dict[str, str],
    workplace_hours_per_week: Decimal,
    mentors: list[User],
    begeleiders: list[User] | None = None,
) -> Placement:
    """Change a placement's establishment, period, weekly pattern, hours or people.

    The rules of ``placement_create`` apply (the placement does not overlap itself, and its
    own student does not count in its mentors' load). New mentors and begeleiders join the
    team; people taken off keep their team role. The old and new values go to the audit trail.
    """
    begeleiders = begeleiders or []
    traject = placement.traject
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    placement.traject = traject
    _validate_placement(
        traject=traject,
        company=company,
        vestiging=vestiging,
        start_date=start_date,
        end_date=end_date,
        workplace_hours_per_week=workplace_hours_per_week,
        exclude=placement,
    )
    validate_supervisors(
        traject=traject,
        company=company,
        start_date=start_date,
        end_date=end_date,
        mentors=mentors,
        begeleiders=begeleiders,
        vestiging=vestiging,
    )
    before = _placement_values(placement)
    old_company_id = placement.company_id
    new_values = {
        "company": company,
        "vestiging": vestiging,
        "start_date": start_date,
        "end_date": end_date,
        "workplace_hours_per_week": workplace_hours_per_week,
        **{day.value: weekly_pattern.get(day.value, "school") for day in Weekday},
    }
    fields = [name for name, value in new_values.items() if getattr(placement, name) != value]
    for name in fields:
        setattr(placement, name, new_values[name])
    if fields:
        placement.full_clean(exclude=["traject"])
        placement.save(update_fields=fields)
    _set_supervisors(
        actor=actor, placement=placement, company=company, mentors=mentors, begeleiders=begeleiders
    )
    changes = audit.diff(before, _placement_values(placement))
    if changes:
        trail.record(
            actor=actor,
            action="placement.update",
            traject=traject,
            obj=placement,
            object_label=_placement_label(placement),
            changes=changes,
        )
    partnership_sync_grants(partnership=traject.partnership)
    if fields:  # period, pattern, hours, vestiging or company (the people are not in it)
        placements_changed.send(
            sender=Placement,
            traject=traject,
            actor=actor,
            company_ids={old_company_id, placement.company_id},
        )
    return placement


@transaction.atomic
def placement_delete(*, actor: User, placement: Placement) -> None:
    """Remove a placement; its mentors lose the view of the traject unless assigned elsewhere."""
    traject = placement.traject
    trail.record(
        actor=actor,
        action="placement.delete",
        traject=traject,
        obj=placement,
        object_label=_placement_label(placement),
        changes=audit.deleted(_placement_values(placement)),
    )
    company_id = placement.company_id
    placement.delete()
    partnership_sync_grants(partnership=traject.partnership)
    placements_changed.send(
        sender=Placement, traject=traject, actor=actor, company_ids={company_id}
    )


# --- called by the contracts app (which sits above partnerships) -------------------------------
# These change a traject or its placements for a contract event and return what they changed
# as ``{key: (old, new)}``: the contracts service records them in the ONE audit entry of that
# event, so they record nothing themselves.


def traject_start_running(*, traject: Traject) -> dict[str, tuple[object, object]]:
    """A traject in intake becomes running (its first contract started); else nothing."""
    if traject.status != TrajectStatus.INTAKE:
        return {}
    traject.status = TrajectStatus.RUNNING
    traject.save(update_fields=["status", "updated_at"])
    return {"traject_status": (TrajectStatus.INTAKE.value, TrajectStatus.RUNNING.value)}


def placements_suspend(
    *, traject: Traject, company_id: int, on: date | None
) -> dict[str, tuple[object, object]]:
    """Pause (``on``: a date) or resume (``on=None``) the traject's placements at a company
    that have not ended before ``on`` (resuming: those that are paused)."""
    placements = traject.placements.filter(company_id=company_id)
    if on is not None:
        placements = placements.filter(end_date__gte=on, suspended_on__isnull=True)
    else:
        placements = placements.filter(suspended_on__isnull=False)
    count = placements.update(suspended_on=on)
    if not count:
        return {}
    return {"placements_paused": (0, count)} if on else {"placements_resumed": (0, count)}


def placements_end(
    *, traject: Traject, company_id: int, on: date
) -> dict[str, tuple[object, object]]:
    """End the traject's placements at a company on ``on``: one running past it ends that
    day, one that would only start after it is removed (it never happens). Mentors' loads and
    grants follow."""
    placements = traject.placements.filter(company_id=company_id)
    shortened = placements.filter(start_date__lte=on, end_date__gt=on).update(
        end_date=on, suspended_on=None
    )
    future = list(placements.filter(start_date__gt=on))
    for placement in future:
        placement.delete()
    changes: dict[str, tuple[object, object]] = {}
    if shortened:
        changes["placements_ended"] = (0, shortened)
    if future:
        changes["placements_removed"] = (0, len(future))
        partnership_sync_grants(partnership=traject.partnership)
    return changes


@transaction.atomic
def student_enrol(
    *,
    actor: User,
    school: Organisation,
    student_data: dict[str, Any],
    parent: dict[str, str] | None = None,
    partnership: Partnership | None = None,
) -> tuple[Student, Traject | None]:
    """Create a student, optionally with one parent and a traject: all saved, or none.

    ``student_data`` holds the keyword arguments of ``student_create``; ``parent`` those of
    ``student_contact_add``.
    """
    student = student_create(actor=actor, school=school, **student_data)
    if parent:
        student_contact_add(actor=actor, student=student, **parent)
    traject = (
        traject_create(actor=actor, partnership=partnership, student=student)
        if partnership
        else None
    )
    return student, traject
