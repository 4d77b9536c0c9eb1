"""Changes of recognitions, workplace visits and mentor profiles.

Every transition of a request is one function; an invalid one raises ``ValidationError`` with
a message for people and saves nothing. Each change is written to the audit trail
(``duaal.audit``; the labels are declared with the other actions in ``partnerships.audit``).
The caller has checked the permission (``partnerships.permissions``).

    concept → submitted → complete → visit_planned → recognised / refused
    refused → appeal (within 10 days) → recognised / refused
    recognised → expired (after 5 years, ``recognitions_expire``)
    any open state or recognised → withdrawn
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from learning.models import Opleiding
from learning.services.activiteitenlijsten import set_offer
from organisations.identifiers import normalize_ondernemingsnummer, normalize_vestigingsnummer
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from recognition.models import (
    APPEAL_DAYS,
    DECISION_DAYS,
    MENTORS_EDITABLE,
    PENDING_STATUSES,
    REASON_MAX_LENGTH,
    VALID_YEARS,
    ExtractStatus,
    MentorProfile,
    Recognition,
    RecognitionStatus,
    VisitActivity,
    VisitResult,
    WorkplaceVisit,
)
from recognition.selectors import add_years, sector_body_for

S = RecognitionStatus
RECOGNITION_FIELDS = (
    "status",
    "submitted_on",
    "complete_on",
    "decision_due",
    "decided_on",
    "valid_until",
    "refusal_reason",
    "appealed_on",
    "appeal_reason",
    "ended_on",
    "end_reason",
)
PROFILE_FIELDS = (
    "birth_date",
    "experience_years",
    "extract_status",
    "extract_issued_on",
    "extract_checked_by",
    "extract_checked_on",
    "introduction_session_on",
    "deepening_session_on",
)


def _record(*, actor: User | None, action: str, recognition: Recognition, changes: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        organisation=recognition.company,
        obj=recognition,
        changes=changes,
    )


def _require(recognition: Recognition, allowed: Iterable[str], action: str) -> None:
    if recognition.status not in allowed:
        raise ValidationError(
            _("This recognition is %(status)s: it cannot be %(action)s now.")
            % {"status": recognition.get_status_display().lower(), "action": action},
            code="invalid_transition",
        )


def _reason(value: str, *, field: str, message: str) -> str:
    reason = (value or "").strip()
    if not reason:
        raise ValidationError({field: message}, code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


def _transition(
    *, actor: User | None, recognition: Recognition, action: str, values: Mapping[str, Any]
) -> Recognition:
    before = audit.snapshot(recognition, values)
    for name, value in values.items():
        setattr(recognition, name, value)
    recognition.save(update_fields=[*values, "updated_at"])
    _record(
        actor=actor,
        action=action,
        recognition=recognition,
        changes=audit.diff(before, audit.snapshot(recognition, values)),
    )
    return recognition


def _locked(recognition: Recognition) -> Recognition:
    return Recognition.objects.select_for_update().select_related("company").get(pk=recognition.pk)


# --- the request -----------------------------------------------------------------------------


@transaction.atomic
def recognition_create(
    *,
    actor: User,
    company: Organisation,
    vestiging: Vestiging,
    opleiding: Opleiding,
    ondernemingsnummer: str,
    vestigingsnummer: str,
    mentors: Iterable[User] = (),
    filed_by_school: Organisation | None = None,
    mandate: UploadedFile | None = None,
    sworn_statement: UploadedFile | None = None,
) -> Recognition:
    """A draft request of ``vestiging`` of ``company`` for ``opleiding``.

    The numbers are checked (KBO check digits) and must be those of the company and the
    vestiging; a school files for the company only with a mandate and a sworn statement. One
    open request per vestiging and opleiding.
    """
    errors: dict[str, list[str]] = {}
    if company.kind != OrganisationKind.COMPANY:
        errors.setdefault("company", []).append(_("Only a company can be recognised."))
    try:
        number = normalize_ondernemingsnummer(ondernemingsnummer)
        if company.ondernemingsnummer and number != company.ondernemingsnummer:
            errors.setdefault("ondernemingsnummer", []).append(
                _("This is not the enterprise number of %(company)s.") % {"company": company}
            )
    except ValidationError as error:
        number = ""
        errors.setdefault("ondernemingsnummer", []).extend(error.messages)
    try:
        unit = normalize_vestigingsnummer(vestigingsnummer)
        if unit != vestiging.vestigingsnummer:
            errors.setdefault("vestigingsnummer", []).append(
                _("This is not the establishment number of %(vestiging)s.")
                % {"vestiging": vestiging}
            )
    except ValidationError as error:
        unit = ""
        errors.setdefault("vestigingsnummer", []).extend(error.messages)
    if vestiging.organisation_id != company.pk:
        errors.setdefault("vestiging", []).append(
            _("%(vestiging)s is not an establishment of %(company)s.")
            % {"vestiging": vestiging, "company": company}
        )
    if filed_by_school is not None:
        if filed_by_school.kind != OrganisationKind.SCHOOL:
            errors.setdefault("filed_by_school", []).append(
                _("Only a school can file a request for a company.")
            )
        if not mandate:
            errors.setdefault("mandate", []).append(
                _("A school files for a company only with the company's mandate (machtiging).")
            )
        if not sworn_statement:
            errors.setdefault("sworn_statement", []).append(
                _("Add the sworn statement (verklaring op eer) of the company.")
            )
    mentors = list(mentors)
    _check_mentors(company=company, mentors=mentors, errors=errors)
    if Recognition.objects.filter(
        vestiging=vestiging, opleiding=opleiding, status__in=PENDING_STATUSES
    ).exists():
        errors.setdefault("opleiding", []).append(
            _("%(vestiging)s already has an open request for %(opleiding)s.")
            % {"vestiging": vestiging, "opleiding": opleiding}
        )
    if errors:
        raise ValidationError(errors)
    recognition = Recognition.objects.create(
        company=company,
        vestiging=vestiging,
        opleiding=opleiding,
        ondernemingsnummer=number,
        vestigingsnummer=unit,
        filed_by_school=filed_by_school,
        mandate=mandate or "",
        sworn_statement=sworn_statement or "",
        created_by=actor,
    )
    recognition.mentors.set(mentors)
    _record(
        actor=actor,
        action="recognition.create",
        recognition=recognition,
        changes=audit.created(
            {
                "vestiging": str(vestiging),
                "opleiding": str(opleiding),
                "filed_by_school": str(filed_by_school or ""),
                "mentors": audit.json_value(mentors),
            }
        ),
    )
    return recognition


def _check_mentors(
    *, company: Organisation, mentors: list[User], errors: dict[str, list[str]]
) -> None:
    members = set(
        Membership.objects.filter(organisation=company, user__in=mentors).values_list(
            "user_id", flat=True
        )
    )
    for mentor in mentors:
        if mentor.pk not in members:
            errors.setdefault("mentors", []).append(
                _("%(person)s does not work at %(company)s.")
                % {"person": mentor, "company": company}
            )


@transaction.atomic
def recognition_set_mentors(
    *, actor: User, recognition: Recognition, mentors: Iterable[User]
) -> Recognition:
    """Change the mentors named in a request (while it is not decided) or of a recognition."""
    recognition = _locked(recognition)
    _require(recognition, MENTORS_EDITABLE, _("changed"))
    mentors = list(mentors)
    errors: dict[str, list[str]] = {}
    _check_mentors(company=recognition.company, mentors=mentors, errors=errors)
    if errors:
        raise ValidationError(errors)
    before = audit.json_value(list(recognition.mentors.order_by("pk")))
    recognition.mentors.set(mentors)
    after = audit.json_value(list(recognition.mentors.order_by("pk")))
    if before != after:
        _record(
            actor=actor,
            action="recognition.mentors",
            recognition=recognition,
            changes={"mentors": (before, after)},
        )
    return recognition


@transaction.atomic
def recognition_submit(
    *, actor: User, recognition: Recognition, on: date | None = None
) -> Recognition:
    """concept → submitted: routed to the sector body of the company's joint committee."""
    recognition = _locked(recognition)
    _require(recognition, (S.CONCEPT,), _("submitted"))
    errors: list[str] = []
    if not recognition.mentors.exists():
        errors.append(_("Name at least one mentor."))
    body = sector_body_for(recognition.company)
    if body is None:
        errors.append(
            _("No sector body handles joint committee %(pc)s yet: ask the administrator.")
            % {"pc": recognition.company.paritair_comite or "—"}
        )
    if errors:
        raise ValidationError(errors, code="incomplete")
    return _transition(
        actor=actor,
        recognition=recognition,
        action="recognition.submit",
        values={
            "status": S.SUBMITTED,
            "submitted_on": on or timezone.localdate(),
            "sector_body": body,
        },
    )


@transaction.atomic
def recognition_mark_complete(
    *, actor: User, recognition: Recognition, on: date | None = None
) -> Recognition:
    """submitted → complete: the decision is due 14 days later."""
    recognition = _locked(recognition)
    _require(recognition, (S.SUBMITTED,), _("marked complete"))
    day = on or timezone.localdate()
    return _transition(
        actor=actor,
        recognition=recognition,
        action="recognition.complete",
        values={
            "status": S.COMPLETE,
            "complete_on": day,
            "decision_due": day + timedelta(days=DECISION_DAYS),
        },
    )


@transaction.atomic
def visit_plan(
    *, actor: User, recognition: Recognition, planned_on: date, visitor: User | None = None
) -> WorkplaceVisit:
    """complete → visit_planned, with the visit (a second visit may be planned later)."""
    recognition = _locked(recognition)
    _require(recognition, (S.COMPLETE, S.VISIT_PLANNED, S.APPEAL), _("planned for a visit"))
    visit = WorkplaceVisit.objects.create(
        recognition=recognition, planned_on=planned_on, visitor=visitor or actor
    )
    if recognition.status == S.COMPLETE:
        _transition(
            actor=actor,
            recognition=recognition,
            action="recognition.visit_plan",
            values={"status": S.VISIT_PLANNED},
        )
    else:
        _record(
            actor=actor,
            action="recognition.visit_plan",
            recognition=recognition,
            changes=audit.created({"planned_on": planned_on}),
        )
    return visit


VISIT_CHECKS = (
    "training_plan_and_equipment_ok",
    "mentor_role_ok",
    "social_obligations_ok",
    "contract_type_ok",
)


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: WorkplaceVisit,
    visited_on: date,
    checks: Mapping[str, bool | None],
    activities: Mapping[str, tuple[str, str]],
    result: str,
    notes: str = "",
) -> WorkplaceVisit:
    """The result of the visit: the general checks, per leerfiche what the vestiging can offer
    ({leerfiche key: (offer, note)}) — also written to its activiteitenlijst — and the result."""
    recognition = _locked(visit.recognition)
    _require(recognition, (S.VISIT_PLANNED, S.APPEAL), _("visited"))
    if result not in VisitResult.values:
        raise ValidationError({"result": _("Choose the result of the visit.")})
    unknown = set(checks) - set(VISIT_CHECKS)
    if unknown:
        raise ValueError(f"Unknown visit checks: {sorted(unknown)}")
    for name in VISIT_CHECKS:
        setattr(visit, name, checks.get(name))
    visit.visited_on = visited_on
    visit.result = result
    visit.notes = (notes or "").strip()
    visit.full_clean(exclude=["recognition", "visitor"])
    visit.save()
    for key, (offer, note) in activities.items():
        set_offer(
            vestiging=recognition.vestiging,
            opleiding=recognition.opleiding,
            leerfiche_key=key,
            offer=offer,
            note=note,
            actor=actor,
        )
        if offer:
            VisitActivity.objects.update_or_create(
                visit=visit, leerfiche_key=key, defaults={"offer": offer, "note": note}
            )
        else:
            VisitActivity.objects.filter(visit=visit, leerfiche_key=key).delete()
    _record(
        actor=actor,
        action="recognition.visit_record",
        recognition=recognition,
        changes=audit.created(
            {
                "visited_on": visited_on,
                "result": result,
                **{name: checks.get(name) for name in VISIT_CHECKS},
            }
        ),
    )
    return visit


@transaction.atomic
def recognition_decide(
    *,
    actor: User,
    recognition: Recognition,
    recognised: bool,
    reason: str = "",
    on: date | None = None,
) -> Recognition:
    """The decision: recognised for 5 years from the decision, or refused with a reason."""
    recognition = _locked(recognition)
    _require(recognition, (S.COMPLETE, S.VISIT_PLANNED, S.APPEAL), _("decided"))
    day = on or timezone.localdate()
    if recognised:
        values: dict[str, Any] = {
            "status": S.RECOGNISED,
            "decided_on": day,
            "valid_until": add_years(day, VALID_YEARS) - timedelta(days=1),
            "refusal_reason": "",
        }
        action = "recognition.recognise"
    else:
        values = {
            "status": S.REFUSED,
            "decided_on": day,
            "valid_until": None,
            "refusal_reason": _reason(
                reason,
                field="refusal_reason",
                message=_("Give the reason for the refusal: the company reads it in the letter."),
            ),
        }
        action = "recognition.refuse"
    return _transition(actor=actor, recognition=recognition, action=action, values=values)


@transaction.atomic
def recognition_appeal(
    *, actor: User, recognition: Recognition, reason: str, on: date | None = None
) -> Recognition:
    """refused → appeal, within 10 days of the refusal."""
    recognition = _locked(recognition)
    _require(recognition, (S.REFUSED,), _("appealed"))
    day = on or timezone.localdate()
    assert recognition.decided_on is not None
    last = recognition.decided_on + timedelta(days=APPEAL_DAYS)
    if day > last:
        raise ValidationError(
            _("An appeal is possible until %(last)s, 10 days after the refusal.")
            % {"last": date_format(last, "SHORT_DATE_FORMAT")},
            code="appeal_too_late",
        )
    reason = _reason(reason, field="appeal_reason", message=_("Give the reason for the appeal."))
    return _transition(
        actor=actor,
        recognition=recognition,
        action="recognition.appeal",
        values={
            "status": S.APPEAL,
            "appealed_on": day,
            "appeal_reason": reason,
            "decision_due": day + timedelta(days=DECISION_DAYS),
        },
    )


@transaction.atomic
def recognition_withdraw(
    *, actor: User, recognition: Recognition, reason: str, on: date | None = None
) -> Recognition:
    """An open request withdrawn, or a recognition withdrawn (a sanction): with a reason.

    Running placements are not changed: the reminder of partnerships flags them."""
    recognition = _locked(recognition)
    _require(recognition, (*PENDING_STATUSES, S.RECOGNISED), _("withdrawn"))
    day = on or timezone.localdate()
    values: dict[str, Any] = {
        "status": S.WITHDRAWN,
        "ended_on": day,
        "end_reason": _reason(reason, field="end_reason", message=_("Give the reason.")),
    }
    if recognition.valid_until and recognition.valid_until >= day:
        values["valid_until"] = day - timedelta(days=1)
    return _transition(
        actor=actor, recognition=recognition, action="recognition.withdraw", values=values
    )


@transaction.atomic
def recognitions_expire(*, on: date | None = None) -> int:
    """Recognised → expired for every recognition past its validity (by the system)."""
    day = on or timezone.localdate()
    expired = 0
    for recognition in Recognition.objects.select_for_update().filter(
        status=S.RECOGNISED, valid_until__lt=day
    ):
        _transition(
            actor=None,
            recognition=recognition,
            action="recognition.expire",
            values={"status": S.EXPIRED, "ended_on": day},
        )
        expired += 1
    return expired


# --- mentor profiles -------------------------------------------------------------------------


@transaction.atomic
def mentor_profile_update(*, actor: User, mentor: User, data: Mapping[str, Any]) -> MentorProfile:
    """Save the mentor's profile fields (``PROFILE_FIELDS`` and the proofs as uploads).

    A check of the criminal record extract records who checked it and when; the extract itself
    is never stored.
    """
    profile, _created = MentorProfile.objects.select_for_update().get_or_create(user=mentor)
    allowed = set(PROFILE_FIELDS) | {
        "prior_education_proof",
        "experience_exemption_proof",
        "training_certificate",
    }
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Unknown mentor profile fields: {sorted(unknown)}")
    values = dict(data)
    status = values.get("extract_status", profile.extract_status)
    if status and status not in ExtractStatus.values:
        raise ValidationError({"extract_status": _("Choose the result of the check.")})
    if not status and "extract_status" in values:
        # No check (any more): nobody checked it.
        values.setdefault("extract_checked_by", None)
        values.setdefault("extract_checked_on", None)
    elif (
        status != profile.extract_status
        or values.get("extract_issued_on", profile.extract_issued_on) != profile.extract_issued_on
    ):
        # Another result, or another extract (its issue date): a check by whoever records it.
        values.setdefault("extract_checked_by", actor)
        values.setdefault("extract_checked_on", timezone.localdate())
    if values.get("extract_issued_on") and values["extract_issued_on"] > timezone.localdate():
        raise ValidationError({"extract_issued_on": _("The issue date lies in the future.")})
    fields = [name for name, value in values.items() if getattr(profile, name) != value]
    before = {name: getattr(profile, name) for name in fields}
    for name in fields:
        setattr(profile, name, values[name])
    profile.full_clean(exclude=["user"])
    profile.save()
    if fields:
        # A proof is recorded by its file name, never its content.
        audit.record(
            action="mentor_profile.update",
            actor=actor,
            obj=profile,
            changes=audit.diff(
                {name: _loggable(before[name]) for name in fields},
                {name: _loggable(getattr(profile, name)) for name in fields},
            ),
        )
    return profile


def _loggable(value: Any) -> Any:
    name = getattr(value, "name", None)
    if isinstance(name, str) or value is None or hasattr(value, "field"):
        return name or ""
    return value
