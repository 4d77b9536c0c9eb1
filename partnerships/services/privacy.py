"""Erasure of a student's personal data on request (GDPR art. 17), where the law allows it.

The school decides (its student managers: ``permissions.get_student_for_export`` with internal
access). Refused while a traject is in intake or running: the school still needs the file for
its task. The work itself is ``duaal.privacy.erase``: every app's provider anonymises or
deletes what it keeps, and the audit trail is pseudonymised; this service checks, runs it in
one transaction and records the erasure — without the name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from duaal import privacy
from duaal.audit import ERASED
from partnerships import audit
from partnerships.models import Student, Traject, TrajectStatus

OPEN_STATUSES = (TrajectStatus.INTAKE, TrajectStatus.RUNNING)


def erasure_blockers(*, student: Student) -> list[str]:
    """Why the student's data cannot be erased now (empty: it can)."""
    open_trajects = Traject.objects.filter(student=student, status__in=OPEN_STATUSES)
    if open_trajects.exists():
        return [
            gettext(
                "A traject of this student is still in intake or running: end it first. The "
                "school needs the file while the student is in dual learning."
            )
        ]
    return []


def erase_student(*, actor: User | None, student: Student) -> dict[str, int]:
    """Erase the student's personal data everywhere; {provider: rows changed}."""
    blockers = erasure_blockers(student=student)
    if blockers:
        raise ValidationError(blockers, code="not_allowed")
    return _erase(actor=actor, student=student)


def erase_expired_student(*, student: Student) -> dict[str, int]:
    """The retention job's erasure (``purge_expired``): the student's last school year ended
    longer ago than the retention period, so the file is anonymised whatever its status."""
    return _erase(actor=None, student=student)


def _erase(*, actor: User | None, student: Student) -> dict[str, int]:
    person = privacy.Person(
        label=f"{student.first_name} {student.last_name}",
        student_id=student.pk,
        user_id=student.user_id,
    )
    with transaction.atomic():
        done = privacy.erase(person)
        audit.record(
            actor=actor,
            action="privacy.erase",
            student=student,
            obj=student,
            object_label=ERASED,
            changes={"rows": (None, sum(done.values()))},
        )
    return done
