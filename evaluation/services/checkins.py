"""The mentor's weekly check-in: one per traject and week, written in the mentor's column.

The check-in's V/O marks are the mentor's columns on the week's sessions (``sheets.rate`` on
``session_for_week``), so each criterion keeps one history whichever screen set it. This
service keeps the check-in itself: its short behaviour check (``skills.WEEKLY_SKILLS``), its
optimistic version and "Klaar" (``done``), which the mentor's home and the reminders read.
Handed in, it is locked for everyone but its author (as every evaluation is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User
from duaal.audit import batched
from evaluation import signals
from evaluation.models import CheckinBehaviour, Evaluator, Rating, Session, WeeklyCheckin
from evaluation.services import text as free_text
from evaluation.services.columns import stale, take_column
from evaluation.services.sheets import (
    open_session,
    rate,
    require_column,
)
from evaluation.skills import WEEKLY_SKILLS
from learning.models import Criterion, Leerfiche, PlaceKind
from partnerships import audit
from partnerships.models import Traject


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass
class CheckinState:
    checkin: WeeklyCheckin | None
    behaviour: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.checkin.version if self.checkin is not None else 0

    @property
    def done(self) -> bool:
        return self.checkin is not None and self.checkin.done_at is not None


def checkin_state(checkin: WeeklyCheckin | None) -> CheckinState:
    if checkin is None:
        return CheckinState(None)
    return CheckinState(checkin, dict(checkin.behaviour.values_list("skill_key", "rating")))


def session_for_week(
    *,
    actor: User,
    traject: Traject,
    leerfiche: Leerfiche,
    week_start: dt.date,
    today: dt.date | None = None,
) -> Session:
    """The session the mentor's marks of ``week_start``'s week go on: the latest session of
    ``leerfiche`` that week, else a new one on the last day of the week that has come."""
    today = today or timezone.localdate()
    week_end = week_start + dt.timedelta(days=6)
    latest = (
        Session.objects.filter(
            traject=traject, leerfiche_key=leerfiche.key, date__range=(week_start, week_end)
        )
        .order_by("-date")
        .first()
    )
    if latest is not None:
        return latest
    friday = week_start + dt.timedelta(days=4)
    return open_session(
        actor=actor,
        traject=traject,
        leerfiche=leerfiche,
        on=min(today, friday),
        place=PlaceKind.COMPANY,
        today=today,
    )


def _clean_behaviour(behaviour: Mapping[str, str | None]) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = {}
    for key, rating in behaviour.items():
        if key not in WEEKLY_SKILLS:
            raise ValidationError(gettext("This item is not part of the weekly check."))
        if rating not in (None, "", *Rating.values):
            raise ValidationError(gettext("Choose voldoet nog niet, voldoet or boven verwachting."))
        cleaned[key] = rating or None
    return cleaned


def save_checkin(
    *,
    actor: User,
    traject: Traject,
    week_start: dt.date,
    version: int | None,
    behaviour: Mapping[str, str | None] | None = None,
    done: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> CheckinState:
    """Save the check-in of ``week_start``'s week: behaviour {skill key: rating or None};
    ``done`` marks it complete ("Klaar"). ``version`` is the one the screen started from (0
    for a new check-in; None skips the check — demo and dataset only)."""
    require_column(actor=actor, traject=traject, evaluator=Evaluator.MENTOR)
    today = today or timezone.localdate()
    now = now or timezone.now()
    if week_start.weekday() != 0:
        raise ValidationError(gettext("A week starts on a Monday."), code="week")
    if week_start > today:
        raise ValidationError(
            gettext("You cannot evaluate a week that has not started yet."), code="future"
        )
    cleaned = _clean_behaviour(behaviour or {})
    try:
        with transaction.atomic():
            return _save(
                actor=actor,
                traject=traject,
                week_start=week_start,
                version=version,
                behaviour=cleaned,
                done=done,
                now=now,
            )
    except IntegrityError:
        current = WeeklyCheckin.objects.filter(traject=traject, week_start=week_start).first()
        raise stale(checkin_state(current)) from None


def _save(
    *,
    actor: User,
    traject: Traject,
    week_start: dt.date,
    version: int | None,
    behaviour: dict[str, str | None],
    done: bool,
    now: dt.datetime,
) -> CheckinState:
    checkin = take_column(
        WeeklyCheckin,
        actor=actor,
        version=version,
        empty=CheckinState(None),
        state_of=checkin_state,
        handed_in="done_at",
        traject=traject,
        week_start=week_start,
    )
    rows = {row.skill_key: row for row in checkin.behaviour.all()} if checkin.version else {}
    state = CheckinState(checkin, {key: row.rating for key, row in rows.items()})
    changes: dict[str, tuple[str | None, object]] = {}
    removed: list[str] = []
    changed: list[CheckinBehaviour] = []
    added: list[CheckinBehaviour] = []
    for key, rating in behaviour.items():
        old = state.behaviour.get(key)
        if old == rating:
            continue
        changes[key] = (old, rating)
        if rating is None:
            removed.append(key)
            state.behaviour.pop(key, None)
            continue
        state.behaviour[key] = rating
        if key in rows:
            rows[key].rating = rating
            changed.append(rows[key])
        else:
            added.append(CheckinBehaviour(checkin=checkin, skill_key=key, rating=rating))
    # One statement per kind of change, whatever the number of items.
    if removed:
        CheckinBehaviour.objects.filter(checkin=checkin, skill_key__in=removed).delete()
    if changed:
        CheckinBehaviour.objects.bulk_update(changed, ["rating"])
    if added:
        CheckinBehaviour.objects.bulk_create(added)
    finishing = done and checkin.done_at is None
    if not changes and not finishing and checkin.version > 0:
        return state
    if checkin.done_at is None:
        checkin.author = actor
    if finishing:
        checkin.done_at = now
        changes["done_at"] = (None, now)
    checkin.version += 1
    checkin.save()
    monday = date_format(week_start, "SHORT_DATE_FORMAT")
    audit.record(
        actor=actor,
        action="checkin.done" if finishing else "checkin.save",
        traject=traject,
        obj=checkin,
        object_label=gettext("Week of %(monday)s") % {"monday": monday},
        changes=changes,
    )
    if finishing:
        signals.send_saved(
            traject_id=traject.pk, kind=signals.CHECKIN, on=week_start, handed_in=True
        )
    state.checkin = checkin
    return state


# --- The check-in screen: one save of the whole week ------------------------------------------


@dataclass
class WeekFiche:
    """A leerfiche of the week's screen: where the mentor's marks go and the version of the
    mentor's column there that the screen started from."""

    leerfiche: Leerfiche
    target: Session | None
    version: int
    marks: dict[str, str | None] = field(default_factory=dict)
    # The leerfiche's criteria when the screen has read them (not read again to check marks).
    criteria: list[Criterion] | None = None


def save_week(
    *,
    actor: User,
    traject: Traject,
    week_start: dt.date,
    checkin_version: int,
    fiches: list[WeekFiche],
    behaviour: Mapping[str, str | None],
    werkpunten: Mapping[str, str],
    new_werkpunt: str | None,
    done: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Save the weekly check-in screen at once, all or nothing: the mentor's V/O per
    leerfiche (on the week's session, ``session_for_week``), the behaviour check, werkpunten
    {public id: "resolved" or "keep"} and the check-in's own werkpunt (``new_werkpunt``; None
    leaves it alone, "" removes it while open). ``done`` is "Klaar": the check-in is done and
    the mentor's columns of the week are handed in.

    The check-in's version guards the whole screen: any change bumps it, so a second save
    from the same screen version gets ``StaleVersion`` (so does a change of a mentor column
    made elsewhere, through that column's own version). Returns whether anything changed.
    """
    from evaluation.models import Outcome, Werkpunt
    from evaluation.services import werkpunten as werkpunt_service

    require_column(actor=actor, traject=traject, evaluator=Evaluator.MENTOR)
    today = today or timezone.localdate()
    now = now or timezone.now()
    with transaction.atomic(), batched():
        state = save_checkin(
            actor=actor,
            traject=traject,
            week_start=week_start,
            version=checkin_version,
            behaviour=behaviour,
            done=done,
            today=today,
            now=now,
        )
        checkin = state.checkin
        assert checkin is not None
        bumped = checkin.version != checkin_version
        changed = bumped
        for fiche in fiches:
            marks = dict(fiche.marks)
            if not marks and not (done and fiche.target is not None and fiche.version):
                continue  # nothing to save, nothing to hand in
            if not any(marks.values()) and fiche.target is None:
                continue  # no mark for a leerfiche not practised: no session for it
            session = fiche.target or session_for_week(
                actor=actor,
                traject=traject,
                leerfiche=fiche.leerfiche,
                week_start=week_start,
                today=today,
            )
            column = rate(
                actor=actor,
                traject=traject,
                session=session,
                evaluator=Evaluator.MENTOR,
                marks=marks,
                version=fiche.version,
                submit=done,
                now=now,
                criteria=(fiche.criteria if session.leerfiche_id == fiche.leerfiche.pk else None),
            )
            changed = changed or column.version != fiche.version
        if werkpunten:
            found = {
                str(werkpunt.public_id): werkpunt
                for werkpunt in Werkpunt.objects.filter(
                    traject=traject, public_id__in=[key for key in werkpunten if _is_uuid(key)]
                )
            }
            for key, choice in werkpunten.items():
                werkpunt = found.get(key)
                if werkpunt is None:
                    raise ValidationError(
                        gettext("This werkpunt is no longer there: reload the page."),
                        code="werkpunt",
                    )
                if choice == Outcome.RESOLVED and werkpunt.closed_on is None:
                    werkpunt_service.close_werkpunt(
                        actor=actor,
                        traject=traject,
                        werkpunt=werkpunt,
                        outcome=Outcome.RESOLVED,
                        version=werkpunt.version,
                        on=today,
                    )
                    changed = True
                elif choice != Outcome.RESOLVED and werkpunt.closed_on is not None:
                    werkpunt_service.reopen_werkpunt(
                        actor=actor,
                        traject=traject,
                        werkpunt=werkpunt,
                        since=week_start,
                        version=werkpunt.version,
                    )
                    changed = True
        if new_werkpunt is not None:
            changed = _own_werkpunt(actor, traject, checkin, new_werkpunt, today) or changed
        if changed and not bumped:
            WeeklyCheckin.objects.filter(pk=checkin.pk).update(version=checkin.version + 1)
            checkin.version += 1
    return changed


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _own_werkpunt(
    actor: User, traject: Traject, checkin: WeeklyCheckin, text: str, today: dt.date
) -> bool:
    """The check-in's one optional werkpunt ("Werkpunt (optioneel)"): typed, it is opened;
    changed, its text follows; emptied while open, it goes. Autosave posts the field with
    every save, so this is idempotent."""
    from evaluation.models import Werkpunt
    from evaluation.services import werkpunten as werkpunt_service

    text = free_text.clean(text, field="werkpunt")
    own = Werkpunt.objects.select_for_update().filter(checkin=checkin).order_by("pk").first()
    if own is None:
        if not text:
            return False
        werkpunt_service.open_werkpunt(
            actor=actor, traject=traject, text=text, checkin=checkin, on=today
        )
        return True
    if own.closed_on is not None or own.text == text:
        return False
    if not text:
        audit.record(
            actor=actor,
            action="werkpunt.remove",
            traject=traject,
            obj=own,
            object_label=own.text,
            changes={"text": (own.text, None)},
        )
        own.delete()
        signals.send_saved(traject_id=traject.pk, kind=signals.WERKPUNT)
        return True
    if len(text) > werkpunt_service.TEXT_MAX:
        raise ValidationError(
            {
                "text": gettext("Keep the werkpunt under %(limit)d characters.")
                % {"limit": werkpunt_service.TEXT_MAX}
            }
        )
    audit.record(
        actor=actor,
        action="werkpunt.edit",
        traject=traject,
        obj=own,
        object_label=text,
        changes={"text": (own.text, text)},
    )
    own.text = text
    own.version += 1
    own.save(update_fields=["text", "version"])
    return True
