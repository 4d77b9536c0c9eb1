"""Programmatie: a school's request to programme a duale opleiding in a school year.

The brochure's rules: the request by **30 November** of the previous school year, the answer
within **4 months**, at least **one student by 1 October** of the school year — else the
programmatie lapses. The deadlines are computed here from the school year; each step is one
service that refuses an invalid transition with a Dutch ``ValidationError`` and writes the
audit trail (``duaal.audit``; labels in ``partnerships.audit``). The caller has checked the
permission (``partnerships.permissions``: the school's administrators manage).

    concept → submitted → approved → started
                        ↘ refused
    concept / submitted / approved → lapsed

Who answers (the Flemish education administration) works outside Duaal: the school records
the answer it received. Whether a student started is recorded by the school too (this app sits
below ``partnerships`` and never reads trajects).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from learning.models import Opleiding
from organisations.models import Organisation, OrganisationKind
from recognition.models import (
    OPEN_PROGRAMMATIE_STATUSES,
    PROGRAMMATIE_ANSWER_MONTHS,
    PROGRAMMATIE_FIRST_STUDENT_BY,
    PROGRAMMATIE_SUBMIT_BY,
    REASON_MAX_LENGTH,
    Programmatie,
    ProgrammatieStatus,
)

P = ProgrammatieStatus
FIELDS = (
    "status",
    "submitted_on",
    "answer_due",
    "answered_on",
    "refusal_reason",
    "started_on",
    "ended_on",
    "end_reason",
)
SCHOOL_YEAR_STARTS = 9  # September


# --- deadlines --------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def submit_deadline(school_year: int) -> date:
    """30 November of the previous school year (2027–2028: 30 November 2026)."""
    return date(school_year - 1, *PROGRAMMATIE_SUBMIT_BY)


def first_student_deadline(school_year: int) -> date:
    """1 October of the school year itself."""
    return date(school_year, *PROGRAMMATIE_FIRST_STUDENT_BY)


def answer_due(submitted_on: date) -> date:
    return add_months(submitted_on, PROGRAMMATIE_ANSWER_MONTHS)


def current_school_year(today: date) -> int:
    return today.year if today.month >= SCHOOL_YEAR_STARTS else today.year - 1


def first_open_school_year(today: date) -> int:
    """The first school year a request can still be filed for (its 30 November not passed)."""
    year = current_school_year(today) + 1
    return year if today <= submit_deadline(year) else year + 1


def school_year_label(school_year: int) -> str:
    return f"{school_year}–{school_year + 1}"


def long_date(value: date) -> str:
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class Warning:
    level: str  # "error", "warning" or "info" (the .message modifier)
    text: str


def deadline_warning(programmatie: Programmatie, *, today: date) -> Warning | None:
    """What the school must know about the next deadline of ``programmatie`` today."""
    status, year = programmatie.status, programmatie.school_year
    if status == P.CONCEPT:
        due = submit_deadline(year)
        days = (due - today).days
        if days < 0:
            return Warning(
                "error",
                _(
                    "The deadline of %(date)s has passed: this request can no longer be "
                    "submitted. Mark it as lapsed."
                )
                % {"date": long_date(due)},
            )
        level = "error" if days <= 7 else "warning" if days <= 60 else "info"
        return Warning(
            level,
            _("Submit by %(date)s (%(days)s days left).") % {"date": long_date(due), "days": days},
        )
    if status == P.SUBMITTED and programmatie.answer_due:
        if today > programmatie.answer_due:
            return Warning(
                "warning",
                _("The answer was expected by %(date)s. Record it as soon as you have it.")
                % {"date": long_date(programmatie.answer_due)},
            )
        return Warning(
            "info", _("Answer expected by %(date)s.") % {"date": long_date(programmatie.answer_due)}
        )
    if status == P.APPROVED:
        due = first_student_deadline(year)
        days = (due - today).days
        if days < 0:
            return Warning(
                "error",
                _(
                    "No student was recorded by %(date)s: the programmatie lapses. Mark it as "
                    "lapsed, or record the first student if one did start in time."
                )
                % {"date": long_date(due)},
            )
        level = "error" if days <= 7 else "warning" if days <= 30 else "info"
        return Warning(
            level,
            _("At least one student by %(date)s (%(days)s days left).")
            % {"date": long_date(due), "days": days},
        )
    return None


# --- services ---------------------------------------------------------------------------------


def _record(*, actor: User | None, action: str, programmatie: Programmatie, changes: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        organisation=programmatie.school,
        obj=programmatie,
        changes=changes,
    )


def _require(programmatie: Programmatie, allowed: tuple[str, ...], action: str) -> None:
    if programmatie.status not in allowed:
        raise ValidationError(
            _("This request is %(status)s: it cannot be %(action)s now.")
            % {"status": programmatie.get_status_display().lower(), "action": action},
            code="invalid_transition",
        )


def _locked(programmatie: Programmatie) -> Programmatie:
    return (
        Programmatie.objects.select_for_update()
        .select_related("school", "opleiding")
        .get(pk=programmatie.pk)
    )


def _transition(
    *, actor: User | None, programmatie: Programmatie, action: str, values: dict[str, Any]
) -> Programmatie:
    before = audit.snapshot(programmatie, values)
    for name, value in values.items():
        setattr(programmatie, name, value)
    programmatie.save(update_fields=[*values, "updated_at"])
    _record(
        actor=actor,
        action=action,
        programmatie=programmatie,
        changes=audit.diff(before, audit.snapshot(programmatie, values)),
    )
    return programmatie


def _text(value: str | None, *, field: str, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required}, code="reason_required")
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return text


@transaction.atomic
def programmatie_create(
    *, actor: User, school: Organisation, opleiding: Opleiding, school_year: int, today: date
) -> Programmatie:
    """A draft request of ``school`` for ``opleiding`` in ``school_year`` — only while its
    30 November has not passed, and one open request per school, opleiding and school year."""
    errors: dict[str, list[str]] = {}
    if school.kind != OrganisationKind.SCHOOL:
        errors.setdefault("school", []).append(_("Only a school requests a programmatie."))
    if not opleiding.active:
        errors.setdefault("opleiding", []).append(_("This opleiding is no longer offered."))
    first = first_open_school_year(today)
    if school_year < first:
        errors.setdefault("school_year", []).append(
            _(
                "The deadline for %(year)s has passed (%(date)s). The first school year you can "
                "still request is %(first)s."
            )
            % {
                "year": school_year_label(school_year),
                "date": long_date(submit_deadline(school_year)),
                "first": school_year_label(first),
            }
        )
    elif school_year > first + 2:
        errors.setdefault("school_year", []).append(_("Request at most three school years ahead."))
    if Programmatie.objects.filter(
        school=school,
        opleiding=opleiding,
        school_year=school_year,
        status__in=OPEN_PROGRAMMATIE_STATUSES,
    ).exists():
        errors.setdefault("opleiding", []).append(
            _("%(school)s already has a request for %(opleiding)s in %(year)s.")
            % {"school": school, "opleiding": opleiding, "year": school_year_label(school_year)}
        )
    if errors:
        raise ValidationError(errors)
    programmatie = Programmatie.objects.create(
        school=school, opleiding=opleiding, school_year=school_year, created_by=actor
    )
    _record(
        actor=actor,
        action="programmatie.create",
        programmatie=programmatie,
        changes=audit.created(
            {
                "opleiding": audit.json_value(opleiding),
                "school_year": school_year,
                "status": programmatie.status,
            }
        ),
    )
    return programmatie


@transaction.atomic
def programmatie_submit(*, actor: User, programmatie: Programmatie, on: date) -> Programmatie:
    """Submit a draft, at the latest on 30 November of the previous school year."""
    programmatie = _locked(programmatie)
    _require(programmatie, (P.CONCEPT,), _("submitted"))
    due = submit_deadline(programmatie.school_year)
    if on > due:
        raise ValidationError(
            _(
                "A request for %(year)s had to be submitted by %(date)s. Request a later school "
                "year instead."
            )
            % {"year": programmatie.school_year_label, "date": long_date(due)},
            code="too_late",
        )
    return _transition(
        actor=actor,
        programmatie=programmatie,
        action="programmatie.submit",
        values={"status": P.SUBMITTED, "submitted_on": on, "answer_due": answer_due(on)},
    )


@transaction.atomic
def programmatie_answer(
    *,
    actor: User,
    programmatie: Programmatie,
    approved: bool,
    on: date,
    reason: str = "",
) -> Programmatie:
    """Record the answer the school received: approved, or refused with its reason."""
    programmatie = _locked(programmatie)
    _require(programmatie, (P.SUBMITTED,), _("answered"))
    if programmatie.submitted_on and on < programmatie.submitted_on:
        raise ValidationError(
            {"answered_on": _("The answer cannot come before the request was submitted.")}
        )
    values: dict[str, Any] = {"answered_on": on}
    if approved:
        values["status"] = P.APPROVED
    else:
        values["status"] = P.REFUSED
        values["refusal_reason"] = _text(
            reason, field="reason", required=_("Say why the request was refused.")
        )
    return _transition(
        actor=actor,
        programmatie=programmatie,
        action="programmatie.approve" if approved else "programmatie.refuse",
        values=values,
    )


@transaction.atomic
def programmatie_start(*, actor: User, programmatie: Programmatie, on: date) -> Programmatie:
    """The first student started: at the latest on 1 October of the school year."""
    programmatie = _locked(programmatie)
    _require(programmatie, (P.APPROVED,), _("started"))
    due = first_student_deadline(programmatie.school_year)
    if on > due:
        raise ValidationError(
            {
                "started_on": _(
                    "The first student had to start by %(date)s; after that the programmatie "
                    "lapses."
                )
                % {"date": long_date(due)}
            },
            code="too_late",
        )
    if programmatie.answered_on and on < programmatie.answered_on:
        raise ValidationError(
            {"started_on": _("A student cannot start before the programmatie was approved.")}
        )
    return _transition(
        actor=actor,
        programmatie=programmatie,
        action="programmatie.start",
        values={"status": P.STARTED, "started_on": on},
    )


@transaction.atomic
def programmatie_lapse(
    *, actor: User, programmatie: Programmatie, on: date, reason: str = ""
) -> Programmatie:
    """The request lapses: the school drops it, or no student started by 1 October."""
    programmatie = _locked(programmatie)
    _require(programmatie, (P.CONCEPT, P.SUBMITTED, P.APPROVED), _("marked as lapsed"))
    return _transition(
        actor=actor,
        programmatie=programmatie,
        action="programmatie.lapse",
        values={"status": P.LAPSED, "ended_on": on, "end_reason": _text(reason, field="reason")},
    )
