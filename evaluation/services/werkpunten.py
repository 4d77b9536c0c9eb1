"""Werkpunten: opened with a concrete example and an afspraak, closed with an outcome.

Anyone of the team who writes a column of the traject (``evaluator_roles`` other than the
student's own) opens and closes them; the student and the parents read them. Every change is
in the audit trail and the optimistic ``version`` keeps two people from overwriting each other.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from evaluation import signals
from evaluation.models import Evaluator, Outcome, Session, SoftSkillRound, WeeklyCheckin, Werkpunt
from evaluation.services import text as free_text
from evaluation.services.sheets import StaleVersion
from partnerships import audit, permissions
from partnerships.models import Traject

TEXT_MAX = Werkpunt._meta.get_field("text").max_length or 300
LONG_MAX = 4000


def _require_team(actor: User, traject: Traject) -> None:
    roles = getattr(traject, "evaluator_roles", None)
    if roles is None:
        roles = permissions.evaluator_roles(user=actor, traject=traject)
    if not (set(roles) - {Evaluator.SELF}):
        raise PermissionDenied


def _clean(text: str, example: str, afspraak: str) -> tuple[str, str, str]:
    text, example, afspraak = (
        free_text.clean(text, field="text"),
        free_text.clean(example, field="example"),
        free_text.clean(afspraak, field="afspraak"),
    )
    errors = {}
    if not text:
        errors["text"] = gettext("Say what the student should work on.")
    elif len(text) > TEXT_MAX:
        errors["text"] = gettext("Keep the werkpunt under %(limit)d characters.") % {
            "limit": TEXT_MAX
        }
    for name, value in (("example", example), ("afspraak", afspraak)):
        if len(value) > LONG_MAX:
            errors[name] = gettext("Keep this under %(limit)d characters.") % {"limit": LONG_MAX}
    if errors:
        raise ValidationError(errors)
    return text, example, afspraak


def open_werkpunt(
    *,
    actor: User,
    traject: Traject,
    text: str,
    example: str = "",
    afspraak: str = "",
    skill_key: str = "",
    leerfiche_key: str = "",
    session: Session | None = None,
    checkin: WeeklyCheckin | None = None,
    soft_skill_round: SoftSkillRound | None = None,
    on: dt.date | None = None,
) -> Werkpunt:
    _require_team(actor, traject)
    for source in (session, checkin, soft_skill_round):
        if source is not None and source.traject_id != traject.pk:
            raise PermissionDenied
    text, example, afspraak = _clean(text, example, afspraak)
    with transaction.atomic():
        werkpunt = Werkpunt.objects.create(
            traject=traject,
            session=session,
            checkin=checkin,
            soft_skill_round=soft_skill_round,
            skill_key=skill_key,
            leerfiche_key=leerfiche_key or (session.leerfiche_key if session else ""),
            text=text,
            example=example,
            afspraak=afspraak,
            opened_by=actor,
            opened_on=on or timezone.localdate(),
        )
        audit.record(
            actor=actor,
            action="werkpunt.open",
            traject=traject,
            obj=werkpunt,
            object_label=text,
            changes={
                "text": (None, text),
                "example": (None, example),
                "afspraak": (None, afspraak),
            },
        )
        signals.send_saved(traject_id=traject.pk, kind=signals.WERKPUNT)
    return werkpunt


def close_werkpunt(
    *,
    actor: User,
    traject: Traject,
    werkpunt: Werkpunt,
    outcome: str,
    note: str = "",
    version: int,
    on: dt.date | None = None,
) -> Werkpunt:
    """Close an open werkpunt with an outcome (resolved, or no longer relevant)."""
    _require_team(actor, traject)
    if werkpunt.traject_id != traject.pk:
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": gettext("Choose how the werkpunt ended.")})
    note = free_text.clean(note, field="note")
    if len(note) > LONG_MAX:
        raise ValidationError(
            {"note": gettext("Keep this under %(limit)d characters.") % {"limit": LONG_MAX}}
        )
    with transaction.atomic():
        current = Werkpunt.objects.select_for_update().get(pk=werkpunt.pk)
        if current.version != version:
            raise StaleVersion(
                gettext("Someone else changed this werkpunt just now: check it again."),
                current=current,
            )
        if current.closed_on is not None:
            raise ValidationError(gettext("This werkpunt is closed already."), code="closed")
        current.closed_on = on or timezone.localdate()
        current.closed_by = actor
        current.outcome = outcome
        current.outcome_note = note
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="werkpunt.close",
            traject=traject,
            obj=current,
            object_label=current.text,
            changes={"outcome": ("", outcome), "outcome_note": ("", note)},
        )
        signals.send_saved(traject_id=traject.pk, kind=signals.WERKPUNT)
    return current


def reopen_werkpunt(
    *, actor: User, traject: Traject, werkpunt: Werkpunt, since: dt.date, version: int
) -> Werkpunt:
    """Undo a close made on or after ``since`` (the weekly check-in's "blijft" after a tap on
    "opgelost" that week): the werkpunt is open again, its history in the audit trail."""
    _require_team(actor, traject)
    if werkpunt.traject_id != traject.pk:
        raise PermissionDenied
    with transaction.atomic():
        current = Werkpunt.objects.select_for_update().get(pk=werkpunt.pk)
        if current.version != version:
            raise StaleVersion(
                gettext("Someone else changed this werkpunt just now: check it again."),
                current=current,
            )
        if current.closed_on is None:
            return current
        if current.closed_on < since:
            raise ValidationError(
                gettext("This werkpunt was closed before this week."), code="closed"
            )
        changes = {"outcome": (current.outcome, "")}
        current.closed_on = None
        current.closed_by = None
        current.outcome = ""
        current.outcome_note = ""
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="werkpunt.reopen",
            traject=traject,
            obj=current,
            object_label=current.text,
            changes=changes,
        )
        signals.send_saved(traject_id=traject.pk, kind=signals.WERKPUNT)
    return current
