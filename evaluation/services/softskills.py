"""Soft skills (appendix 3): a round per traject and evaluation period, one column per
evaluator (LL / M / LK), the mentor's sterke punten, and per group the afspraken.

A rating "voldoet nog niet" is a werkpunt: the team opens it with a concrete example and an
afspraak (``werkpunten.open_werkpunt(skill_key=…, soft_skill_round=…)``); open werkpunten come
back at the next evaluation. The column rules are those of every evaluation (``sheets``):
optimistic versions, locked for others once handed in, corrections kept after the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from evaluation import signals
from evaluation.models import (
    Correction,
    Evaluator,
    Rating,
    SoftSkillAgreement,
    SoftSkillColumn,
    SoftSkillRating,
    SoftSkillRound,
)
from evaluation.services import text as free_text
from evaluation.services.columns import correcting as is_correction
from evaluation.services.columns import stale, take_column
from evaluation.services.sheets import require_column
from evaluation.skills import GROUPS_BY_KEY, SKILLS
from learning.models import Period
from partnerships import audit, permissions
from partnerships.models import Traject

AGREEMENT_MAX = 4000


@dataclass
class SoftSkillState:
    column: SoftSkillColumn | None
    ratings: dict[str, str] = field(default_factory=dict)
    strong: set[str] = field(default_factory=set)

    @property
    def version(self) -> int:
        return self.column.version if self.column is not None else 0


def column_state(column: SoftSkillColumn | None) -> SoftSkillState:
    if column is None:
        return SoftSkillState(None)
    rows = list(column.ratings.values_list("skill_key", "rating", "strong"))
    return SoftSkillState(
        column,
        ratings={key: rating for key, rating, _strong in rows},
        strong={key for key, _rating, strong in rows if strong},
    )


def open_round(*, actor: User, traject: Traject, period: Period) -> SoftSkillRound:
    """The traject's round of ``period`` (made on first use by anyone who writes a column)."""
    roles = getattr(traject, "evaluator_roles", None)
    if roles is None:
        roles = traject.evaluator_roles = permissions.evaluator_roles(user=actor, traject=traject)
    if not roles:
        raise PermissionDenied
    if period.partnership_id != traject.partnership_id:
        raise PermissionDenied
    found, _created = SoftSkillRound.objects.get_or_create(traject=traject, period=period)
    return found


def rate_soft_skills(
    *,
    actor: User,
    traject: Traject,
    round: SoftSkillRound,
    evaluator: str,
    ratings: Mapping[str, str | None] | None = None,
    strong: Mapping[str, bool] | None = None,
    version: int | None,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> SoftSkillState:
    """Save ``actor``'s column: ratings {skill key: rating or None}; ``strong`` {skill key:
    bool} (the mentor's sterke punten, mentor column only)."""
    require_column(actor=actor, traject=traject, evaluator=evaluator)
    if round.traject_id != traject.pk:
        raise PermissionDenied
    if strong and evaluator != Evaluator.MENTOR:
        raise PermissionDenied
    now = now or timezone.now()
    cleaned: dict[str, str | None] = {}
    for key, rating in (ratings or {}).items():
        if key not in SKILLS:
            raise ValidationError(gettext("This item is not on the soft-skill sheet."))
        if rating not in (None, "", *Rating.values):
            raise ValidationError(gettext("Choose voldoet nog niet, voldoet or boven verwachting."))
        cleaned[key] = rating or None
    for key in strong or {}:
        if key not in SKILLS:
            raise ValidationError(gettext("This item is not on the soft-skill sheet."))
    try:
        with transaction.atomic():
            return _rate(
                actor=actor,
                traject=traject,
                round=round,
                evaluator=evaluator,
                ratings=cleaned,
                strong=dict(strong or {}),
                version=version,
                submit=submit,
                now=now,
            )
    except IntegrityError:
        current = SoftSkillColumn.objects.filter(round=round, evaluator=evaluator).first()
        raise stale(column_state(current)) from None


def _rate(
    *,
    actor: User,
    traject: Traject,
    round: SoftSkillRound,
    evaluator: str,
    ratings: dict[str, str | None],
    strong: dict[str, bool],
    version: int | None,
    submit: bool,
    now: dt.datetime,
) -> SoftSkillState:
    column = take_column(
        SoftSkillColumn,
        actor=actor,
        version=version,
        empty=SoftSkillState(None),
        state_of=column_state,
        round=round,
        evaluator=evaluator,
    )
    correcting = is_correction(column.submitted_at, now)
    state = column_state(column)
    changes: dict[str, tuple[object, object]] = {}
    corrections: list[Correction] = []
    for key in sorted(set(ratings) | set(strong)):
        old_rating = state.ratings.get(key)
        new_rating = ratings.get(key, old_rating)
        old_strong = key in state.strong
        new_strong = strong.get(key, old_strong) and new_rating is not None
        if (old_rating, old_strong) == (new_rating, new_strong):
            continue
        if old_rating != new_rating:
            changes[key] = (old_rating, new_rating)
            if correcting:
                corrections.append(
                    Correction(
                        soft_skill_column=column,
                        subject=key,
                        old_value=old_rating or "",
                        new_value=new_rating or "",
                        author=actor,
                    )
                )
        if old_strong != new_strong:
            changes[f"{key}-strong"] = (old_strong, new_strong)
        if new_rating is None:
            SoftSkillRating.objects.filter(column=column, skill_key=key).delete()
            state.ratings.pop(key, None)
            state.strong.discard(key)
        else:
            SoftSkillRating.objects.update_or_create(
                column=column,
                skill_key=key,
                defaults={"rating": new_rating, "strong": new_strong},
            )
            state.ratings[key] = new_rating
            if new_strong:
                state.strong.add(key)
            else:
                state.strong.discard(key)
    submitting = submit and column.submitted_at is None
    if not changes and not submitting and column.version > 0:
        return state
    if corrections:
        Correction.objects.bulk_create(corrections)
    if column.submitted_at is None:
        column.author = actor
    if submitting:
        column.submitted_at = now
        changes["submitted_at"] = (None, now)
    column.version += 1
    column.save()
    audit.record(
        actor=actor,
        action="soft_skills.submit" if submitting else "soft_skills.rate",
        traject=traject,
        obj=column,
        object_label=f"{round.period.name} · {Evaluator(evaluator).label}",
        changes=changes,
    )
    if submitting:
        signals.send_saved(
            traject_id=traject.pk,
            kind=signals.SOFT_SKILLS,
            period_id=round.period_id,
            handed_in=True,
        )
    state.column = column
    return state


def set_agreement(
    *, actor: User, traject: Traject, round: SoftSkillRound, group_key: str, text: str
) -> SoftSkillAgreement | None:
    """ "Maak afspraken om werkpunten te verbeteren" for one group (the team; empty clears)."""
    roles = getattr(traject, "evaluator_roles", None)
    if roles is None:
        roles = traject.evaluator_roles = permissions.evaluator_roles(user=actor, traject=traject)
    if not (set(roles) - {Evaluator.SELF}) or round.traject_id != traject.pk:
        raise PermissionDenied
    if group_key not in GROUPS_BY_KEY:
        raise ValidationError(gettext("This group is not on the soft-skill sheet."))
    text = free_text.clean(text, field="text")
    if len(text) > AGREEMENT_MAX:
        raise ValidationError(
            {"text": gettext("Keep this under %(limit)d characters.") % {"limit": AGREEMENT_MAX}}
        )
    with transaction.atomic():
        current = SoftSkillAgreement.objects.filter(round=round, group_key=group_key).first()
        old = current.text if current else ""
        if old == text:
            return current
        if not text:
            assert current is not None
            current.delete()
            current = None
        elif current is None:
            current = SoftSkillAgreement.objects.create(
                round=round, group_key=group_key, text=text, author=actor
            )
        else:
            current.text, current.author = text, actor
            current.save()
        audit.record(
            actor=actor,
            action="soft_skills.agreement",
            traject=traject,
            obj=round,
            object_label=f"{round.period.name} · {GROUPS_BY_KEY[group_key].title}",
            changes={"text": (old, text)},
        )
    return current
