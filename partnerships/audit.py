"""What the partnerships domain writes to the audit trail, and how the traject page shows it.

The one declarative place for: the actions and their labels, the labels of recorded keys that
are not model fields, and the **internal fields**, which the student and the parents never see
in a traject's history. Services record through ``record`` (which adds the organisation the
actor acts for); the engine is ``duaal.audit``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duaal import audit
from duaal.models import AuditEntry
from partnerships import sharing

# --- declarations ----------------------------------------------------------------------------

ACTIONS: dict[str, Any] = {
    "organisation.update": _("Organisation details changed"),
    "membership.create": _("Member added"),
    "membership.update": _("Membership changed"),
    "partnership.create": _("Partnership started"),
    "partnership_company.add": _("Company added to the partnership"),
    "team_member.add": _("Team member added"),
    "team_member.remove": _("Team member removed"),
    "raci.set": _("RACI matrix changed"),
    "invitation.create": _("Invitation sent"),
    "invitation.resend": _("Invitation sent again"),
    "invitation.revoke": _("Invitation withdrawn"),
    "invitation.accept": _("Invitation accepted"),
    "student.create": _("Student added"),
    "student_contact.add": _("Parent or guardian added"),
    "traject.create": _("Traject started"),
    "traject.update": _("Traject changed"),
    "traject.delete": _("Traject deleted"),
    "placement.create": _("Placement added"),
    "placement.update": _("Placement changed"),
    "placement.delete": _("Placement removed"),
    "traject.end": _("Traject ended"),
    "student_import.start": _("Student import uploaded"),
    "student_import.check": _("Student import checked"),
    "student_import.run": _("Students imported"),
    "account_invitation.create": _("Invitation to an account sent"),
    "account_invitation.resend": _("Invitation to an account sent again"),
    "account_invitation.revoke": _("Invitation to an account withdrawn"),
    "account_invitation.accept": _("Account activated"),
    # recognition: requests, visits and mentor profiles (recognition/services.py); recorded
    # through duaal.audit (recognition sits below partnerships), labelled here.
    "recognition.create": _("Recognition request started"),
    "recognition.mentors": _("Mentors of the recognition changed"),
    "recognition.submit": _("Recognition request submitted"),
    "recognition.complete": _("Recognition request complete"),
    "recognition.visit_plan": _("Workplace visit planned"),
    "recognition.visit_record": _("Workplace visit recorded"),
    "recognition.recognise": _("Company recognised"),
    "recognition.refuse": _("Recognition refused"),
    "recognition.appeal": _("Appeal against the refusal"),
    "recognition.withdraw": _("Recognition withdrawn"),
    "recognition.expire": _("Recognition expired"),
    "mentor_profile.update": _("Mentor profile changed"),
    # learning: the catalogue's sets and versions (learning/services/versions.py, authoring.py,
    # learning/interchange.py); recorded through duaal.audit (the catalogue sits below
    # partnerships), labelled here like every other action.
    "leerfiche_set.create": _("Leerfiche set created"),
    "leerfiche_set.import": _("Leerfiche set imported"),
    "leerfiche_set.draft": _("Draft of a leerfiche set started"),
    "leerfiche_set.publish": _("Version of a leerfiche set published"),
    "leerfiche_set.discard_draft": _("Draft of a leerfiche set discarded"),
    "leerfiche_set.delete": _("Leerfiche set removed"),
    "leerfiche_set.editor_add": _("Editor of a leerfiche set added"),
    "leerfiche_set.editor_remove": _("Editor of a leerfiche set removed"),
    # learning: authoring a draft (learning/services/authoring.py)
    "theme.create": _("Theme added"),
    "theme.update": _("Theme renamed"),
    "theme.move": _("Theme moved"),
    "theme.delete": _("Theme removed"),
    "leerfiche.create": _("Leerfiche added"),
    "leerfiche.update": _("Leerfiche changed"),
    "leerfiche.move": _("Leerfiche moved"),
    "leerfiche.delete": _("Leerfiche removed"),
    "leerfiche_item.create": _("Line of a leerfiche added"),
    "leerfiche_item.update": _("Line of a leerfiche changed"),
    "leerfiche_item.move": _("Line of a leerfiche moved"),
    "leerfiche_item.delete": _("Line of a leerfiche removed"),
    "criterion.create": _("Evaluation criterion added"),
    "criterion.update": _("Evaluation criterion changed"),
    "criterion.move": _("Evaluation criterion moved"),
    "criterion.delete": _("Evaluation criterion removed"),
    # learning: the opleidingsplan (learning/services/plans.py)
    "period.defaults": _("Default periods created"),
    "period.create": _("Period added"),
    "period.update": _("Period changed"),
    "period.remove": _("Period removed"),
    "plan.adopt": _("Leerfiche version adopted"),
    "plan.cell": _("Opleidingsplan changed"),
    "plan.override": _("Own opleidingsplan started"),
    "plan.override_drop": _("Own opleidingsplan dropped"),
    "plan.comment": _("Comment on the opleidingsplan"),
    "activiteitenlijst.set": _("Activiteitenlijst changed"),
    # learning: bedrijfsfiches (issue 9)
    "bedrijfsfiche.create": _("Bedrijfsfiche created"),
    "bedrijfsfiche.update": _("Bedrijfsfiche changed"),
    "bedrijfsfiche.publish": _("Bedrijfsfiche published"),
    "bedrijfsfiche.draft": _("New draft of a bedrijfsfiche started"),
    "bedrijfsfiche.photo_add": _("Photo added to a bedrijfsfiche"),
    "bedrijfsfiche.photo_update": _("Caption of a bedrijfsfiche photo changed"),
    "bedrijfsfiche.photo_move": _("Photos of a bedrijfsfiche reordered"),
    "bedrijfsfiche.photo_remove": _("Photo removed from a bedrijfsfiche"),
    "privacy.export": _("Personal data exported"),
    "privacy.erase": _("Personal data erased"),
    # evaluation (issue 10)
    "session.create": _("Practice session started"),
    "session.update": _("Practice session changed"),
    "evaluation.rate": _("Evaluation saved"),
    "evaluation.submit": _("Evaluation handed in"),
    "evaluation.correct": _("Evaluation corrected"),
    "werkpunt.open": _("Werkpunt added"),
    "werkpunt.close": _("Werkpunt closed"),
    "werkpunt.reopen": _("Werkpunt reopened"),
    "werkpunt.edit": _("Werkpunt changed"),
    "werkpunt.remove": _("Werkpunt removed"),
    "checkin.save": _("Weekly check-in saved"),
    "checkin.done": _("Weekly check-in completed"),
    "soft_skills.rate": _("Soft-skill evaluation saved"),
    "soft_skills.submit": _("Soft-skill evaluation handed in"),
    "soft_skills.agreement": _("Afspraken on soft skills changed"),
    # contracts (issue 11, contracts/services/lifecycle.py)
    "contract.create": _("Contract drawn up"),
    "contract.update": _("Contract changed"),
    "contract.send": _("Contract sent for signing"),
    "contract.sign": _("Contract signed by a party"),
    "contract.register": _("Contract registered"),
    "contract.start": _("Contract started"),
    "contract.suspend": _("Contract suspended"),
    "contract.resume": _("Contract resumed"),
    "contract.end": _("Contract ended"),
    "contract.take_over": _("Existing contract taken over"),
    # signing (issue 11, contracts/services/signing.py)
    "contract.pdf_made": _("Contract PDF made for signing"),
    "contract.pdf_refused": _("Contract PDF refused: it does not match"),
    # The start checklist of a contract (contracts/checklist.py).
    "checklist.done": _("Start checklist item done"),
    "checklist.reopen": _("Start checklist item reopened"),
    "checklist.due": _("Start checklist due date changed"),
    "checklist.owner": _("Start checklist owner changed"),
    # recognition — school side (recognition/programmatie.py, recognition/interests.py)
    "programmatie.create": _("Programmatie request started"),
    "programmatie.submit": _("Programmatie request submitted"),
    "programmatie.approve": _("Programmatie approved"),
    "programmatie.refuse": _("Programmatie refused"),
    "programmatie.start": _("Programmatie started: first student"),
    "programmatie.lapse": _("Programmatie lapsed"),
    "partner_listing.update": _("Listing in the partner search changed"),
}

# Recorded keys that are not fields of the object's model (or need another label).
FIELD_LABELS: dict[str, Any] = {
    "mentors": _("Mentor(s)"),
    "begeleiders": _("Begeleider(s)"),
    "letter": _("letter"),
    "user": _("person"),
    "account": _("account"),
    "places": _("places"),
    "default_periods": _("periods"),
    "removed_entries": _("entries removed"),
    "dropped_entries": _("entries dropped"),
    "entry_count": _("entries"),
    "format": _("format"),
    "rows": _("rows changed"),
    "internal": _("with the team's internal notes"),
    "traject_status": _("status of the traject"),
    "placements_paused": _("placements paused"),
    "placements_resumed": _("placements resumed"),
    "placements_ended": _("placements ended"),
    "placements_removed": _("placements removed"),
    "signatures_voided": _("signatures voided"),
    "party": _("party"),
    "contract_state": _("state of the contract"),
    "contract_ended_on": _("contract ended on"),
    "pdf_sha256": _("SHA-256 of the contract PDF"),
    "signed_pdf_sha256": _("SHA-256 of the signed contract PDF"),
    "contract_version": _("contract version"),
    "refusal": _("reason"),
    "opleidingen": _("opleidingen"),
}

# Fields the student and the parents never see in a traject's history (by model label): the
# internal free text declared in ``partnerships.sharing``.
INTERNAL_FIELDS: dict[str, frozenset[str]] = {
    label: sharing.internal_fields(label) for label in sharing.TEXT_FIELDS
}

TEXT_PREVIEW = 300  # characters of a long text shown in the history


def is_internal(object_type: str, field: str) -> bool:
    return field in INTERNAL_FIELDS.get(object_type, frozenset())


# --- recording -------------------------------------------------------------------------------


def acting_organisation(*, actor: Any, partnership: Any) -> Any:
    """The organisation ``actor`` acts for in ``partnership``: that of their team role there,
    else their membership of one of its organisations (a company coordinator outside the
    team); None for the system, a student or a parent."""
    from organisations.models import Membership
    from partnerships.models import TeamMember

    if actor is None or not getattr(actor, "is_authenticated", False) or partnership is None:
        return None
    member = (
        TeamMember.objects.filter(partnership=partnership, user=actor)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if member is not None:
        return member.organisation
    ids = [i for i in (partnership.school_id, partnership.training_centre_id) if i]
    companies = partnership.companies.values("company_id")
    membership = (
        Membership.objects.filter(user=actor)
        .filter(Q(organisation_id__in=ids) | Q(organisation_id__in=companies))
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return membership.organisation if membership is not None else None


def record(
    *,
    actor: Any,
    action: str,
    partnership: Any = None,
    traject: Any = None,
    student: Any = None,
    obj: models.Model | None = None,
    object_label: str | Promise | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    organisation: Any = None,
) -> AuditEntry:
    """``duaal.audit.record`` for the partnerships domain.

    Without ``organisation``, the organisation the actor acts for in the partnership (of the
    traject) is recorded. A traject entry is also listed under its student.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: declare it in ACTIONS.")
    if traject is not None:
        partnership = partnership or traject.partnership
        student = student or traject.student_id
    if organisation is None:
        memo = audit.batch_memo()
        key = ("acting_organisation", getattr(actor, "pk", None), getattr(partnership, "pk", None))
        if memo is not None and key in memo:
            organisation = memo[key]
        else:
            organisation = acting_organisation(actor=actor, partnership=partnership)
            if memo is not None:
                memo[key] = organisation
    return audit.record(
        action=action,
        actor=actor,
        organisation=organisation,
        obj=obj,
        object_label=object_label,
        changes=changes,
        partnership=partnership,
        traject=traject,
        student=student,
    )


# --- presentation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryItem:
    pk: int
    at: dt.datetime
    action: str
    action_label: str
    actor: str
    organisation: str
    object_label: str
    changes: tuple[HistoryChange, ...]


@functools.lru_cache(maxsize=1024)
def _model_field(object_type: str, name: str) -> models.Field | None:
    """The model field ``name`` of ``object_type`` ("app_label.model"), None when there is
    none (kept per process: the models do not change while it runs)."""
    try:
        model = apps.get_model(object_type)
        field = model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    # A reverse relation (e.g. a recorded count named like a related_name) is no field.
    return field if isinstance(field, models.Field) else None


def field_label(object_type: str, name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    field = _model_field(object_type, name)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return name.replace("_", " ")


def display_value(object_type: str, name: str, value: Any) -> str:
    """A stored value as the reader should see it: choice labels, local dates, labels of
    related objects, "—" for nothing; long texts shortened."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        return str(value.get("label", "")) or "—"
    if isinstance(value, list):
        return ", ".join(display_value(object_type, name, v) for v in value) or "—"
    field = _model_field(object_type, name)
    if field is not None and field.choices and not field.is_relation:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float):
        try:
            return number_format(Decimal(str(value)), decimal_pos=field.decimal_places)
        except InvalidOperation:
            return str(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return truncatechars(str(value), TEXT_PREVIEW)


def present(entry: AuditEntry, *, internal: bool) -> HistoryItem | None:
    """One entry as the history shows it; without ``internal``, internal fields are left out
    and an entry that changed nothing else is not shown (None)."""
    names = list(entry.changes)
    shown = names if internal else [n for n in names if not is_internal(entry.object_type, n)]
    if names and not shown:
        return None
    changes = tuple(
        HistoryChange(
            field=name,
            label=field_label(entry.object_type, name),
            old=display_value(entry.object_type, name, entry.changes[name][0]),
            new=display_value(entry.object_type, name, entry.changes[name][1]),
        )
        for name in shown
    )
    if entry.actor_kind == AuditEntry.ActorKind.SYSTEM:
        actor = gettext("Duaal (automatic)")
    else:
        actor = entry.actor_label
    return HistoryItem(
        pk=entry.pk,
        at=entry.at,
        action=entry.action,
        action_label=str(ACTIONS.get(entry.action, entry.action)),
        actor=actor,
        organisation=entry.organisation_label,
        # The traject page names its traject already.
        object_label="" if entry.object_type == "partnerships.traject" else entry.object_label,
        changes=changes,
    )
