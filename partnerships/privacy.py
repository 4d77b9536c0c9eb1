"""What partnerships holds about a person (plug-in of ``duaal.privacy``): the student's file
(student, parents, trajects, placements), a staff member's team roles and invitations, and
the audit trail about or by the person."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duaal.models import AuditEntry
from duaal.privacy import Person, Provider, Section, register_provider
from partnerships import audit
from partnerships.models import (
    AccountInvitation,
    Invitation,
    Placement,
    Student,
    StudentContact,
    TeamMember,
    Traject,
)

INTERNAL_NOTE = _(
    "The team's internal notes are not part of this copy; you can ask the school for them."
)


@register_provider
class StudentFileProvider(Provider):
    key = "partnerships.student"
    order = 30

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.student_id is None:
            return []
        student = (
            Student.objects.select_related("school", "school_class")
            .filter(pk=person.student_id)
            .first()
        )
        if student is None:
            return []
        sections = [
            Section(
                "student",
                _("Student"),
                [
                    {
                        _("first name"): student.first_name,
                        _("last name"): student.last_name,
                        _("birth date"): student.birth_date,
                        _("stamnummer"): student.stamnummer,
                        _("e-mail address"): student.email,
                        _("school"): student.school.name,
                        _("class"): student.school_class.name,
                    }
                ],
            ),
            Section(
                "contacts",
                _("Parents and guardians"),
                [
                    {
                        _("name"): contact.full_name,
                        _("relation"): contact.get_relation_display(),
                        _("e-mail address"): contact.email,
                        _("phone"): contact.phone,
                    }
                    for contact in StudentContact.objects.filter(student=student).order_by("pk")
                ],
            ),
        ]
        trajects = []
        for traject in (
            Traject.objects.filter(student=student)
            .select_related("partnership", "partnership__opleiding")
            .order_by("partnership__school_year")
        ):
            row = {
                _("partnership"): traject.partnership.name,
                _("school year"): traject.partnership.school_year,
                _("status"): traject.get_status_display(),
                _("advice of the klassenraad"): traject.get_klassenraad_advice_display(),
            }
            if internal:
                row[_("intake conversation")] = traject.intake_notes
                row[_("beginsituatie")] = traject.beginsituatie
                row[_("reason for ending")] = traject.end_reason
            trajects.append(row)
        sections.append(
            Section("trajects", _("Trajects"), trajects, note="" if internal else INTERNAL_NOTE)
        )
        placements = [
            {
                _("company"): placement.company.name,
                _("establishment"): placement.vestiging.name,
                _("start date"): placement.start_date,
                _("end date"): placement.end_date,
                _("weekly pattern"): ", ".join(
                    f"{label}: {place}" for _day, label, place in placement.weekly_pattern
                ),
                _("average workplace hours per week"): placement.workplace_hours_per_week,
                _("mentors"): ", ".join(
                    s.user.full_name or s.user.email for s in placement.supervisors.all()
                ),
            }
            for placement in Placement.objects.filter(traject__student=student)
            .select_related("company", "vestiging")
            .prefetch_related("supervisors__user")
            .order_by("start_date")
        ]
        sections.append(Section("placements", _("Placements"), placements))
        return sections


@register_provider
class StaffProvider(Provider):
    key = "partnerships.staff"
    order = 40

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.user_id is None:
            return []
        roles = [
            {
                _("partnership"): member.partnership.name,
                _("role"): member.get_role_display(),
                _("on behalf of"): member.organisation.name,
                _("since"): member.created_at,
            }
            for member in TeamMember.objects.filter(user_id=person.user_id)
            .select_related("partnership", "organisation")
            .order_by("partnership__name")
        ]
        invitations = [
            {
                _("partnership"): invitation.partnership.name,
                _("e-mail address"): invitation.email,
                _("sent"): invitation.sent_at,
                _("accepted"): invitation.accepted_at,
            }
            for invitation in Invitation.objects.filter(accepted_by_id=person.user_id)
            .select_related("partnership")
            .order_by("created_at")
        ]
        invitations += [
            {
                _("partnership"): "",
                _("e-mail address"): invitation.email,
                _("sent"): invitation.sent_at,
                _("accepted"): invitation.accepted_at,
            }
            for invitation in AccountInvitation.objects.filter(
                Q(accepted_by_id=person.user_id) | Q(student_id=person.student_id or 0)
            ).order_by("created_at")
        ]
        return [
            Section("team_roles", _("Roles in duaal teams"), roles),
            Section("invitations", _("Invitations"), invitations),
        ]


@register_provider
class AuditProvider(Provider):
    """The audit trail: what the person did, and what was done in the student's file."""

    key = "partnerships.audit"
    order = 95

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        condition = Q(pk__in=[])
        if person.user_id is not None:
            condition |= Q(actor_id=person.user_id)
        if person.student_id is not None:
            condition |= Q(student_id=person.student_id)
        rows = []
        for entry in AuditEntry.objects.filter(condition).order_by("at", "pk"):
            item = audit.present(entry, internal=internal)
            if item is None:
                continue
            rows.append(
                {
                    _("when"): item.at,
                    _("what"): item.action_label,
                    _("who"): item.actor,
                    _("about"): item.object_label,
                    _("changes"): "; ".join(
                        gettext("%(field)s: %(old)s → %(new)s")
                        % {"field": change.label, "old": change.old, "new": change.new}
                        for change in item.changes
                    ),
                }
            )
        return [Section("history", _("History (audit trail)"), rows)]
