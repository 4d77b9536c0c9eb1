"""Criterion evaluations: sessions and each evaluator's column on them.

The rules every screen relies on (the student's day, the session sheet, the weekly check-in,
the demo and the dataset generator all save through ``rate``):

* a person writes only the columns ``partnerships.permissions.evaluator_roles`` gives them on
  the traject (the student their own self-evaluation; mentor, leerkracht, training centre
  through "Evalueren en feedback geven");
* **optimistic versions**: a save names the version it started from; when someone saved in
  between, nothing is saved and ``StaleVersion`` carries the current values to show;
* a **submitted** column is locked for everyone but its author; the author may change it for
  ``settings.EVALUATION_EDIT_DAYS``, after which each change is also kept as a
  ``Correction`` (the history of the sheet);
* every save writes the audit trail, listed under the traject.

Errors are ``ValidationError``s with a sentence the person can act on; nothing is saved then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User
from evaluation import signals
from evaluation.models import (
    Correction,
    CriterionScore,
    Evaluation,
    Evaluator,
    ItemAnswer,
    Mark,
    Metal,
    Session,
)
from evaluation.services import text as free_text

# StaleVersion and Locked are part of this module's interface (every screen catches them).
from evaluation.services.columns import Locked as Locked
from evaluation.services.columns import StaleVersion as StaleVersion
from evaluation.services.columns import correcting as is_correction
from evaluation.services.columns import stale, take_column
from learning.models import Criterion, ItemKind, Leerfiche, LeerficheItem, PlaceKind, SetVersion
from learning.selectors.traject_leerfiches import adopted_version
from partnerships import audit, permissions
from partnerships.models import Traject

MEASUREMENT_MAX = ItemAnswer._meta.get_field("value").max_length or 40
NOTE_MAX = 4000
SESSION_TEXT_FIELDS = {"omschrijving": 200, "werktijden": 50}


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _evaluator_label(evaluator: str) -> str:
    return str(Evaluator(evaluator).label)


def _session_label(session: Session, leerfiche: Leerfiche | None = None) -> str:
    title = (leerfiche or session.leerfiche).title
    return f"{title} · {date_format(session.date, 'SHORT_DATE_FORMAT')}"


def require_column(*, actor: User, traject: Traject, evaluator: str) -> None:
    """PermissionDenied unless ``actor`` writes the ``evaluator`` column on ``traject``."""
    roles = getattr(traject, "evaluator_roles", None)
    if roles is None:
        roles = permissions.evaluator_roles(user=actor, traject=traject)
        traject.evaluator_roles = roles
    if evaluator not in roles:
        raise PermissionDenied


# --- sessions ---------------------------------------------------------------------------------


def leerfiche_for(*, traject: Traject, key: str) -> Leerfiche:
    """The leerfiche ``key`` of the set version the traject learns from (404-free: a clear
    ValidationError when the plan has no such leerfiche)."""
    version = adopted_version(traject=traject)
    leerfiche = (
        Leerfiche.objects.filter(version=version, key=key).first() if version is not None else None
    )
    if leerfiche is None:
        raise ValidationError(
            gettext("This leerfiche is not part of the student's opleidingsplan."),
            code="unknown_leerfiche",
        )
    return leerfiche


def open_session(
    *,
    actor: User,
    traject: Traject,
    leerfiche: Leerfiche,
    on: dt.date,
    place: str = PlaceKind.COMPANY,
    today: dt.date | None = None,
    adopted: SetVersion | None = None,
    lock: bool = False,
) -> Session:
    """The session of ``leerfiche`` on ``on`` (made on first use). Anyone who writes a column
    of the traject may open one; a day in the future cannot be evaluated yet.

    ``adopted``: the set version the traject learns from, when the caller has just read it
    (else it is read here). ``lock``: the session's row is locked until the end of the
    caller's transaction (``select_for_update``)."""
    roles = getattr(traject, "evaluator_roles", None)
    if roles is None:
        roles = traject.evaluator_roles = permissions.evaluator_roles(user=actor, traject=traject)
    if not roles:
        raise PermissionDenied
    if set(roles) == {Evaluator.TRAINING_CENTRE} and place != PlaceKind.TRAINING_CENTRE:
        raise PermissionDenied  # the training centre opens the sessions it hosts
    today = today or timezone.localdate()
    if on > today:
        raise ValidationError(
            gettext("You cannot evaluate a day that has not come yet."), code="future"
        )
    if place not in PlaceKind.values:
        raise ValidationError(gettext("Choose where the student practised."), code="place")
    version = adopted if adopted is not None else adopted_version(traject=traject)
    if version is None or leerfiche.version_id != version.pk:
        raise ValidationError(
            gettext("This leerfiche is not part of the student's opleidingsplan."),
            code="unknown_leerfiche",
        )
    sessions = Session.objects.select_for_update() if lock else Session.objects
    # One session per leerfiche and day (a unique constraint): by pk, so no ordering joins
    # (nor locks) the traject's rows.
    existing = (
        sessions.filter(traject=traject, leerfiche_key=leerfiche.key, date=on)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        if existing.leerfiche_id == leerfiche.pk:
            existing.leerfiche = leerfiche  # known: no second read for the labels
        return existing
    try:
        with transaction.atomic():
            session = Session.objects.create(
                traject=traject,
                leerfiche=leerfiche,
                leerfiche_key=leerfiche.key,
                date=on,
                place=place,
                created_by=actor,
            )
            audit.record(
                actor=actor,
                action="session.create",
                traject=traject,
                obj=session,
                object_label=_session_label(session, leerfiche),
            )
    except IntegrityError:
        # Made in between by another request (the other tab, the mentor): use that one.
        return sessions.get(traject=traject, leerfiche_key=leerfiche.key, date=on)
    return session


def update_session(
    *, actor: User, traject: Traject, session: Session, version: int, **values: str
) -> Session:
    """Change the session's own fields: omschrijving, werktijden, metal (any column's
    writer), the student's note (the student) and sterke punten (the team)."""
    roles = getattr(traject, "evaluator_roles", None)
    if roles is None:
        roles = traject.evaluator_roles = permissions.evaluator_roles(user=actor, traject=traject)
    if session.traject_id != traject.pk or not roles:
        raise PermissionDenied
    allowed = {"omschrijving", "werktijden", "metal"}
    if Evaluator.SELF in roles:
        allowed.add("student_note")
    if roles - {Evaluator.SELF}:
        allowed.add("sterke_punten")
    unknown = set(values) - allowed
    if unknown:
        raise PermissionDenied
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, raw in values.items():
        value = free_text.clean(raw, field=name)
        limit = SESSION_TEXT_FIELDS.get(name, NOTE_MAX)
        if name == "metal" and value and value not in Metal.values:
            errors[name] = gettext("Choose staal, RVS or ALU.")
        elif len(value) > limit:
            errors[name] = gettext("Keep this under %(limit)d characters.") % {"limit": limit}
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.version != version:
            raise stale(current)
        changes = {
            name: (getattr(current, name), value)
            for name, value in cleaned.items()
            if getattr(current, name) != value
        }
        if not changes:
            return current
        for name, (_old, new) in changes.items():
            setattr(current, name, new)
        current.version += 1
        current.save(update_fields=[*changes, "version", "updated_at"])
        audit.record(
            actor=actor,
            action="session.update",
            traject=traject,
            obj=current,
            object_label=_session_label(current),
            changes=changes,
        )
    return current


# --- a column: marks and answers ----------------------------------------------------------------


@dataclass
class ColumnState:
    """What a column holds now (returned with ``StaleVersion`` and after a save; after a
    save that was given no answers, ``answers`` is left empty: they were not read)."""

    evaluation: Evaluation | None
    marks: dict[str, str] = field(default_factory=dict)
    answers: dict[int, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.evaluation.version if self.evaluation is not None else 0


def column_state(evaluation: Evaluation | None) -> ColumnState:
    if evaluation is None:
        return ColumnState(None)
    return ColumnState(
        evaluation,
        marks=dict(evaluation.scores.values_list("criterion_key", "mark")),
        answers=dict(evaluation.answers.values_list("item_id", "value")),
    )


def _clean_marks(
    session: Session,
    marks: Mapping[str, str | None],
    criteria_of_leerfiche: Iterable[Criterion] | None = None,
) -> dict[str, Any]:
    if not marks:
        return {}
    if criteria_of_leerfiche is None:
        criteria_of_leerfiche = session.leerfiche.criteria.all()
    criteria = {c.key: c for c in criteria_of_leerfiche}
    cleaned: dict[str, Any] = {}
    for key, mark in marks.items():
        if key not in criteria:
            raise ValidationError(
                gettext("This criterion is not on the leerfiche."), code="unknown_criterion"
            )
        if mark not in (None, "", *Mark.values):
            raise ValidationError(gettext("Choose V or O."), code="mark")
        cleaned[key] = (criteria[key], mark or None)
    return cleaned


def _clean_answers(session: Session, answers: Mapping[int, str | None]) -> dict[int, Any]:
    if not answers:
        return {}
    items = {
        item.pk: item
        for item in LeerficheItem.objects.filter(
            leerfiche_id=session.leerfiche_id, kind__in=(ItemKind.BEHAVIOUR, ItemKind.MEASUREMENT)
        )
    }
    cleaned: dict[int, Any] = {}
    for raw_pk, raw in answers.items():
        try:
            pk = int(raw_pk)
        except (TypeError, ValueError):
            pk = -1
        item = items.get(pk)
        if item is None:
            raise ValidationError(gettext("This item is not on the leerfiche."), code="item")
        value = free_text.clean(raw, field=f"item-{pk}")
        if item.kind == ItemKind.BEHAVIOUR and value not in ("", ItemAnswer.YES, ItemAnswer.NO):
            raise ValidationError(gettext("Answer ja or nee."), code="answer")
        if len(value) > MEASUREMENT_MAX:
            raise ValidationError(
                gettext("Keep a measurement under %(limit)d characters.")
                % {"limit": MEASUREMENT_MAX},
                code="measurement",
            )
        cleaned[pk] = (item, value or None)
    return cleaned


def rate(
    *,
    actor: User,
    traject: Traject,
    session: Session,
    evaluator: str,
    marks: Mapping[str, str | None] | None = None,
    answers: Mapping[int, str | None] | None = None,
    version: int | None,
    submit: bool = False,
    now: dt.datetime | None = None,
    criteria: Iterable[Criterion] | None = None,
    locked: Evaluation | None = None,
) -> ColumnState:
    """Save ``actor``'s column ``evaluator`` on ``session``: ``marks`` {criterion key: "V",
    "O" or None to clear}, ``answers`` {behaviour/measurement item pk: value or None}.
    ``criteria``: the criteria of the session's leerfiche when the caller has read them
    already (else they are read here). ``locked``: the column, when the caller has read it
    locked in its transaction (else it is read and locked here).

    ``version`` is the column's version the screen started from (0 or None for a new column;
    None skips the check — only for the demo and the dataset generator). ``submit`` hands the
    column in ("Bewaren", "Klaar").
    """
    require_column(actor=actor, traject=traject, evaluator=evaluator)
    if session.traject_id != traject.pk:
        raise PermissionDenied
    # The training centre evaluates what it teaches: the sessions held there.
    if evaluator == Evaluator.TRAINING_CENTRE and session.place != PlaceKind.TRAINING_CENTRE:
        raise PermissionDenied
    now = _now(now)
    cleaned_marks = _clean_marks(session, marks or {}, criteria)
    cleaned_answers = _clean_answers(session, answers or {})
    try:
        with transaction.atomic():
            return _rate(
                actor=actor,
                traject=traject,
                session=session,
                evaluator=evaluator,
                marks=cleaned_marks,
                answers=cleaned_answers,
                version=version,
                submit=submit,
                now=now,
                locked=locked,
            )
    except IntegrityError:
        # Two first saves of one column at once: the other one made it; show theirs.
        current = Evaluation.objects.filter(session=session, evaluator=evaluator).first()
        raise stale(column_state(current)) from None


def _rate(
    *,
    actor: User,
    traject: Traject,
    session: Session,
    evaluator: str,
    marks: dict[str, Any],
    answers: dict[int, Any],
    version: int | None,
    submit: bool,
    now: dt.datetime,
    locked: Evaluation | None = None,
) -> ColumnState:
    if locked is not None and (locked.session_id, locked.evaluator) != (session.pk, evaluator):
        raise ValueError("The locked column is not this session's column of this evaluator.")
    evaluation = take_column(
        Evaluation,
        actor=actor,
        version=version,
        empty=ColumnState(None),
        state_of=column_state,
        locked=locked,
        session=session,
        evaluator=evaluator,
    )
    correcting = is_correction(evaluation.submitted_at, now)
    fresh = evaluation.version == 0  # made just now: nothing to read
    scores = {score.criterion_key: score for score in evaluation.scores.all()} if not fresh else {}
    state = ColumnState(
        evaluation,
        marks={key: score.mark for key, score in scores.items()},
        # Only a save of answers needs the answers there (the changes are computed on them).
        answers=(
            dict(evaluation.answers.values_list("item_id", "value"))
            if answers and not fresh
            else {}
        ),
    )
    changes: dict[str, tuple[Any, Any]] = {}
    corrections: list[Correction] = []

    # The column is locked meanwhile: one statement per kind of change, whatever the number
    # of criteria.
    added: list[CriterionScore] = []
    changed: list[CriterionScore] = []
    removed: list[str] = []
    for key, (criterion, mark) in marks.items():
        old = state.marks.get(key)
        if old == mark:
            continue
        changes[key] = (old, mark)
        if mark is None:
            removed.append(key)
            state.marks.pop(key, None)
        elif old is None:
            added.append(
                CriterionScore(
                    evaluation=evaluation, criterion=criterion, criterion_key=key, mark=mark
                )
            )
            state.marks[key] = mark
        else:
            score = scores[key]
            score.criterion, score.mark = criterion, mark
            changed.append(score)
            state.marks[key] = mark
        if correcting:
            corrections.append(
                Correction(
                    evaluation=evaluation,
                    subject=key,
                    old_value=old or "",
                    new_value=mark or "",
                    author=actor,
                )
            )

    for pk, (item, value) in answers.items():
        old = state.answers.get(pk)
        if old == value:
            continue
        changes[f"item-{pk}"] = (old, value)
        if value is None:
            ItemAnswer.objects.filter(evaluation=evaluation, item_id=pk).delete()
            state.answers.pop(pk, None)
        else:
            ItemAnswer.objects.update_or_create(
                evaluation=evaluation, item=item, defaults={"value": value}
            )
            state.answers[pk] = value
        if correcting:
            corrections.append(
                Correction(
                    evaluation=evaluation,
                    subject=f"item:{pk}",
                    old_value=old or "",
                    new_value=value or "",
                    author=actor,
                )
            )

    if removed:
        CriterionScore.objects.filter(evaluation=evaluation, criterion_key__in=removed).delete()
    if changed:
        CriterionScore.objects.bulk_update(changed, ["criterion", "mark"])
    if added:
        CriterionScore.objects.bulk_create(added)
    submitting = submit and evaluation.submitted_at is None
    if not changes and not submitting and evaluation.version > 0:
        return state
    if corrections:
        Correction.objects.bulk_create(corrections)
    if evaluation.submitted_at is None:
        evaluation.author = actor
    if submitting:
        evaluation.submitted_at = now
        changes["submitted_at"] = (None, now)
    evaluation.version += 1
    evaluation.save()
    action = "evaluation.correct" if correcting else "evaluation.rate"
    if submitting:
        action = "evaluation.submit"
    audit.record(
        actor=actor,
        action=action,
        traject=traject,
        obj=evaluation,
        object_label=f"{_session_label(session)} · {_evaluator_label(evaluator)}",
        changes=changes,
    )
    if added or changed or removed or submitting:
        signals.send_saved(
            traject_id=traject.pk,
            kind=signals.CRITERIA,
            on=session.date,
            leerfiche_key=session.leerfiche_key,
            marks_changed=bool(added or changed or removed),
            handed_in=submitting,
        )
    state.evaluation = evaluation
    return state
