"""What partnerships holds about a person (plug-in of ``duaal.privacy``): the student's file
(student, parents, trajects, placements), a staff member's team roles and invitations, and
the audit trail about or by the person."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duaal import audit as trail
from duaal.models import AuditEntry
from duaal.privacy import Person, Provider, Section, register_provider, retention
from partnerships import audit
from partnerships.models import (
    AccountInvitation,
    Invitation,
    Placement,
    Student,
    StudentContact,
    StudentImport,
    TeamMember,
    Traject,
)
from partnerships.models.partnerships import school_year_bounds

ERASED_NAME = trail.ERASED

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

    def purge(self, now: dt.datetime, *, apply: bool) -> dict[str, int]:
        """Student files past their retention after the end of their last school year (they
        are anonymised as an erasure would), uploaded class lists, finished invitations."""
        from partnerships.services.privacy import erase_expired_student

        today = timezone.localdate(now)
        keep = retention("student_file")
        last_years = (
            Student.objects.exclude(first_name=ERASED_NAME)
            .annotate(last_year=Max("trajects__partnership__school_year"))
            .filter(last_year__isnull=False)
            .values_list("pk", "last_year")
        )
        expired = [pk for pk, year in last_years if school_year_bounds(year)[1] + keep < today]
        imports = StudentImport.objects.filter(
            created_at__lt=now - retention("student_imports")
        ).exclude(rows=[])
        before = now - retention("invitations")
        finished = Q(accepted_at__lt=before) | Q(revoked_at__lt=before) | Q(expires_at__lt=before)
        invitations = Invitation.objects.filter(finished)
        account_invitations = AccountInvitation.objects.filter(finished)
        found = {
            "student_file": len(expired),
            "student_imports": imports.count(),
            "invitations": invitations.count() + account_invitations.count(),
        }
        if apply:
            for student in Student.objects.filter(pk__in=expired):
                erase_expired_student(student=student)
            imports.update(rows=[])
            invitations.delete()
            account_invitations.delete()
        return found

    def erase(self, person: Person) -> int:
        """The student row stays (the trajects and the statistics hang on it) but names no one:
        names, birth day and month, stamnummer and e-mail go; the parents' contact rows, the
        invitations to an account and the team's internal text are deleted."""
        student = (
            Student.objects.filter(pk=person.student_id).first() if person.student_id else None
        )
        if student is None:
            return 0
        names = {student.first_name, student.last_name, student.email} - {""}
        changed = StudentContact.objects.filter(student=student).delete()[0]
        changed += AccountInvitation.objects.filter(student=student).delete()[0]
        changed += Traject.objects.filter(student=student).update(
            intake_notes="", beginsituatie="", end_reason=""
        )
        changed += _scrub_imports(student.school_id, names)
        student.first_name = ERASED_NAME
        student.last_name = ERASED_NAME
        # The year stays for statistics (age groups); the day and the month go.
        student.birth_date = student.birth_date.replace(month=1, day=1)
        student.stamnummer = ""
        student.email = ""
        student.save(update_fields=["first_name", "last_name", "birth_date", "stamnummer", "email"])
        return changed + 1


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

    def purge(self, now: dt.datetime, *, apply: bool) -> dict[str, int]:
        """Audit entries older than their retention are deleted (the one deletion the trail
        admits, ``duaal.audit.delete_expired``). Last of the providers: the entries the purge
        itself records are new and stay."""
        before = now - retention("audit_trail")
        if apply:
            return {"audit_trail": trail.delete_expired(before=before)}
        return {"audit_trail": trail.count_expired(before=before)}

    def erase(self, person: Person) -> int:
        about: list[int] = []
        if person.student_id is not None:
            trajects = Traject.objects.filter(student_id=person.student_id).values("pk")
            about = list(
                AuditEntry.objects.filter(
                    Q(student_id=person.student_id) | Q(traject_id__in=trajects)
                ).values_list("pk", flat=True)
            )
        by: list[int] = []
        if person.user_id is not None:
            by = list(
                AuditEntry.objects.filter(actor_id=person.user_id).values_list("pk", flat=True)
            )
        return trail.pseudonymise(about=about, by=by, actor_label=gettext("Student"))


def _scrub_imports(school_id: int, names: set[str]) -> int:
    """Drop the student's rows from the school's uploaded class lists (kept 30 days)."""
    changed = 0
    for student_import in StudentImport.objects.filter(school_id=school_id).only("pk", "rows"):
        rows = student_import.rows or []
        kept = [row for row in rows if not names.intersection(_flatten(row))]
        if len(kept) != len(rows):
            StudentImport.objects.filter(pk=student_import.pk).update(rows=kept)
            changed += 1
    return changed


def _flatten(value: object) -> list[str]:
    if isinstance(value, dict):
        return [item for inner in value.values() for item in _flatten(inner)]
    if isinstance(value, list | tuple):
        return [item for inner in value for item in _flatten(inner)]
    return [str(value)]
