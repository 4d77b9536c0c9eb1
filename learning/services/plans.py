"""The opleidingsplan: periods, adopting a leerfiche set version, the grid's cells, the
per-traject override and the team's comments.

Every change writes the audit trail (``partnerships.audit.record``, listed under the
partnership, and under the traject for an override). Who may act is decided by the caller
through ``partnerships.permissions`` (DESIGN_PLAN edits the plan, its periods and the adoption;
COMMENT_PARTNERSHIP comments). Errors are ``ValidationError``s with sentences the person can act
on; nothing is saved when one is raised.

The activiteitenlijst (what a company vestiging can offer) is catalogue data: its service lives
in ``learning.services.activiteitenlijsten`` (importable by the recognition app, below
partnerships) and is re-exported here as ``set_offer``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from duaal import audit as trail
from learning.models import (
    Leerfiche,
    Opleidingsplan,
    Period,
    PlaceKind,
    PlanComment,
    PlanEntry,
    SetVersion,
    VersionStatus,
)
from learning.services.activiteitenlijsten import set_offer  # noqa: F401 - see the docstring
from organisations.models import Vestiging
from partnerships import audit
from partnerships.models import Partnership, PartnershipCompany, Traject

# (place kind, the company's vestiging or None, first week, last week) — one place of a cell.
PlaceSpec = tuple[str, Vestiging | None, int, int]

COMMENT_MAX = 2000
PERIOD_NAME_MAX = Period._meta.get_field("name").max_length or 100

# The default periods: (start month, start day), (end month, end day), within the school year.
TRIMESTERS = (((9, 1), (12, 31)), ((1, 1), (3, 31)), ((4, 1), (6, 30)))


# --- labels ------------------------------------------------------------------------------------


def weeks_label(week_from: int, week_to: int) -> str:
    if week_from == week_to:
        return gettext("wk %(week)d") % {"week": week_from}
    return gettext("wk %(from)d–%(to)d") % {"from": week_from, "to": week_to}


def place_label(kind: str, *, vestiging_name: str = "", training_centre_name: str = "") -> str:
    """ "Bedrijf: Metaalbouw Vandenberghe – Genk", "School", "Opleidingscentrum: OCTL"."""
    label = str(PlaceKind(kind).label) if kind in PlaceKind.values else kind
    name = vestiging_name if kind == PlaceKind.COMPANY else ""
    if kind == PlaceKind.TRAINING_CENTRE:
        name = training_centre_name
    return f"{label}: {name}" if name else label


def entry_label(entry: PlanEntry, *, training_centre_name: str = "") -> str:
    """One place of a cell as the grid shows it: "Bedrijf: Metaalbouw Vandenberghe · wk 2–6"."""
    place = place_label(
        entry.place,
        vestiging_name=entry.vestiging.name if entry.vestiging_id and entry.vestiging else "",
        training_centre_name=training_centre_name,
    )
    return f"{place} · {weeks_label(entry.week_from, entry.week_to)}"


def _site_label(entry: PlanEntry, training_centre_name: str = "") -> str:
    """``entry_label`` in the site's language (stored in the audit trail)."""
    with translation.override(settings.LANGUAGE_CODE):
        return entry_label(entry, training_centre_name=training_centre_name)


def _own_plan_suffix() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return " (" + gettext("own plan of a student") + ")"


def _date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _training_centre_name(partnership: Partnership) -> str:
    if not partnership.training_centre_id:
        return ""
    return partnership.training_centre.name if partnership.training_centre else ""


# --- reading -----------------------------------------------------------------------------------


def partnership_plan(partnership: Partnership) -> Opleidingsplan | None:
    """The partnership's own plan (not a traject's override), or None before adoption."""
    return (
        Opleidingsplan.objects.select_related("set_version__leerfiche_set")
        .filter(partnership=partnership, traject__isnull=True)
        .first()
    )


def plan_for_traject(traject: Traject) -> Opleidingsplan | None:
    """The plan a traject follows: its own override, else the partnership's plan (one query:
    the override sorts first)."""
    return (
        Opleidingsplan.objects.select_related("set_version__leerfiche_set")
        .filter(partnership_id=traject.partnership_id)
        .filter(Q(traject_id=traject.pk) | Q(traject__isnull=True))
        .order_by(F("traject_id").asc(nulls_last=True), "pk")
        .first()
    )


# --- periods -----------------------------------------------------------------------------------


def _record_period(action: str, *, actor: Any, period: Period, changes: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        partnership=period.partnership,
        obj=period,
        changes=changes,
    )


def _renumber(partnership: Partnership) -> None:
    periods = list(Period.objects.filter(partnership=partnership).order_by("start_date", "pk"))
    for order, period in enumerate(periods):
        period.order = order
    Period.objects.bulk_update(periods, ["order"])


@transaction.atomic
def default_periods(partnership: Partnership, actor: Any = None) -> list[Period]:
    """The partnership's periods; when it has none, three trimesters of its school year:
    1 September – 31 December, 1 January – 31 March, 1 April – 30 June."""
    existing = list(Period.objects.filter(partnership=partnership).order_by("order", "start_date"))
    if existing:
        return existing
    first_day, _last_day = partnership.school_year_bounds
    periods = []
    with translation.override(settings.LANGUAGE_CODE):
        for number, ((start_month, start_day), (end_month, end_day)) in enumerate(TRIMESTERS, 1):
            start_year = first_day.year if start_month >= first_day.month else first_day.year + 1
            periods.append(
                Period(
                    partnership=partnership,
                    order=number - 1,
                    name=gettext("Trimester %(number)d") % {"number": number},
                    start_date=dt.date(start_year, start_month, start_day),
                    end_date=dt.date(start_year, end_month, end_day),
                )
            )
    Period.objects.bulk_create(periods)
    audit.record(
        actor=actor,
        action="period.defaults",
        partnership=partnership,
        obj=partnership,
        changes=audit_created_periods(periods),
    )
    return list(Period.objects.filter(partnership=partnership).order_by("order", "start_date"))


def audit_created_periods(periods: Sequence[Period]) -> dict[str, tuple[Any, Any]]:
    return {
        "default_periods": (
            None,
            [f"{p.name}: {p.start_date.isoformat()} – {p.end_date.isoformat()}" for p in periods],
        )
    }


def _validate_period(
    *,
    partnership: Partnership,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    period: Period | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    first_day, last_day = partnership.school_year_bounds
    others = Period.objects.filter(partnership=partnership)
    if period is not None:
        others = others.exclude(pk=period.pk)
    if not name:
        errors.setdefault("name", []).append(gettext("Give the period a name."))
    elif len(name) > PERIOD_NAME_MAX:
        errors.setdefault("name", []).append(
            gettext("A name is at most %(max)d characters long.") % {"max": PERIOD_NAME_MAX}
        )
    elif others.filter(name__iexact=name).exists():
        errors.setdefault("name", []).append(
            gettext("There is already a period called “%(name)s”.") % {"name": name}
        )
    if end_date <= start_date:
        errors.setdefault("end_date", []).append(
            gettext("The end date comes after the start date.")
        )
    if start_date < first_day or end_date > last_day:
        errors.setdefault("start_date" if start_date < first_day else "end_date", []).append(
            gettext("A period lies within the school year %(year)s (%(first)s – %(last)s).")
            % {
                "year": partnership.school_year_label,
                "first": _date(first_day),
                "last": _date(last_day),
            }
        )
    if end_date > start_date:
        overlapping = list(
            others.filter(start_date__lte=end_date, end_date__gte=start_date).order_by("start_date")
        )
        if overlapping:
            errors.setdefault("start_date", []).append(
                gettext("The period overlaps with %(periods)s.")
                % {
                    "periods": ", ".join(
                        f"{p.name} ({_date(p.start_date)} – {_date(p.end_date)})"
                        for p in overlapping
                    )
                }
            )
    if period is not None and end_date > start_date:
        weeks = Period(start_date=start_date, end_date=end_date).weeks
        too_late = list(
            PlanEntry.objects.filter(period=period, week_to__gt=weeks)
            .select_related("leerfiche")
            .order_by("leerfiche__title")
        )
        if too_late:
            errors.setdefault("end_date", []).append(
                ngettext(
                    "The period would have %(weeks)d weeks, but the plan places %(fiches)s "
                    "up to week %(last)d: change that entry first.",
                    "The period would have %(weeks)d weeks, but the plan places %(fiches)s "
                    "up to week %(last)d: change those entries first.",
                    len(too_late),
                )
                % {
                    "weeks": weeks,
                    "fiches": ", ".join(sorted({e.leerfiche.title for e in too_late})),
                    "last": max(e.week_to for e in too_late),
                }
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_create(
    *,
    partnership: Partnership,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    actor: Any = None,
) -> Period:
    name = (name or "").strip()
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    _validate_period(partnership=partnership, name=name, start_date=start_date, end_date=end_date)
    period = Period.objects.create(
        partnership=partnership, name=name, start_date=start_date, end_date=end_date
    )
    _renumber(partnership)
    _record_period(
        "period.create",
        actor=actor,
        period=period,
        changes=trail.created({"name": name, "start_date": start_date, "end_date": end_date}),
    )
    return period


@transaction.atomic
def period_update(
    *,
    period: Period,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    actor: Any = None,
) -> Period:
    """Rename a period or move its dates (it stays inside the school year, overlaps no other
    period, and still holds the weeks the plan uses)."""
    name = (name or "").strip()
    partnership = period.partnership
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    _validate_period(
        partnership=partnership, name=name, start_date=start_date, end_date=end_date, period=period
    )
    fields = ["name", "start_date", "end_date"]
    before = trail.snapshot(period, fields)
    period.name, period.start_date, period.end_date = name, start_date, end_date
    changes = trail.diff(before, trail.snapshot(period, fields))
    if not changes:
        return period
    period.save(update_fields=fields)
    _renumber(partnership)
    _record_period("period.update", actor=actor, period=period, changes=changes)
    return period


def period_removal_consequences(
    period: Period, *, visible_traject_ids: set[int] | None = None
) -> list[str]:
    """What goes with the period: one sentence per leerfiche placed in it, per plan. A
    student's own plan is named after the student only when their traject is among
    ``visible_traject_ids`` (the reader's; None: every traject)."""
    training_centre = _training_centre_name(period.partnership)
    entries = (
        PlanEntry.objects.filter(period=period)
        .select_related("leerfiche", "vestiging", "plan__traject__student")
        .order_by("plan__traject_id", "leerfiche__theme__order", "leerfiche__order", "place")
    )
    sentences = []
    for entry in entries:
        place = entry_label(entry, training_centre_name=training_centre)
        traject_id = entry.plan.traject_id
        if traject_id and visible_traject_ids is not None and traject_id not in visible_traject_ids:
            sentences.append(
                gettext("%(fiche)s at %(place)s (own plan of a student)")
                % {"fiche": entry.leerfiche.title, "place": place}
            )
        elif traject_id and entry.plan.traject is not None:
            sentences.append(
                gettext("%(fiche)s at %(place)s (own plan of %(student)s)")
                % {
                    "fiche": entry.leerfiche.title,
                    "place": place,
                    "student": entry.plan.traject.student.full_name,
                }
            )
        else:
            sentences.append(
                gettext("%(fiche)s at %(place)s") % {"fiche": entry.leerfiche.title, "place": place}
            )
    return sentences


@transaction.atomic
def period_remove(*, period: Period, actor: Any = None) -> int:
    """Remove a period and the plan's entries in it (the confirmation lists them first,
    ``period_removal_consequences``). Returns the number of entries removed. The last period
    of a partnership with a plan stays: the plan needs one."""
    partnership = period.partnership
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if (
        Opleidingsplan.objects.filter(partnership=partnership).exists()
        and not Period.objects.filter(partnership=partnership).exclude(pk=period.pk).exists()
    ):
        raise ValidationError(
            gettext("The opleidingsplan needs at least one period: add another one first."),
            code="last_period",
        )
    training_centre = _training_centre_name(partnership)
    entries = list(
        PlanEntry.objects.filter(period=period).select_related("leerfiche", "vestiging", "plan")
    )
    removed = [
        f"{e.leerfiche.title}: {_site_label(e, training_centre)}"
        + (_own_plan_suffix() if e.plan.traject_id else "")
        for e in entries
    ]
    _record_period(
        "period.remove",
        actor=actor,
        period=period,
        changes={
            **trail.deleted(
                {
                    "name": period.name,
                    "start_date": period.start_date,
                    "end_date": period.end_date,
                }
            ),
            **({"removed_entries": (removed, None)} if removed else {}),
        },
    )
    PlanEntry.objects.filter(period=period).delete()
    period.delete()
    _renumber(partnership)
    return len(entries)


# --- adoption ----------------------------------------------------------------------------------


@dataclass
class Adoption:
    """What adopting a version did."""

    plan: Opleidingsplan
    created: bool
    moved: int = 0
    # The entries whose leerfiche no longer exists in the new version: "<title>: <place>".
    dropped: list[str] = field(default_factory=list)


@transaction.atomic
def adopt_version(
    *, partnership: Partnership, set_version: SetVersion, actor: Any = None
) -> Adoption:
    """Adopt a published version of a leerfiche set of the partnership's opleiding.

    The first adoption creates the partnership's opleidingsplan (and the default periods when
    it has none). Adopting another version later moves every entry — of the partnership's plan
    and of the trajects' own plans — to the leerfiche with the same key in the new version;
    entries whose leerfiche no longer exists are dropped and reported. The audit trail keeps
    the plan's history (the versions, the dropped entries).
    """
    version = (
        SetVersion.objects.select_related("leerfiche_set__opleiding")
        .filter(pk=set_version.pk)
        .first()
    )
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise ValidationError(
            _("Only a published version of a leerfiche set can be adopted."), code="draft"
        )
    if version.leerfiche_set.opleiding_id != partnership.opleiding_id:
        raise ValidationError(
            _(
                "This set is written for %(set_opleiding)s; the partnership trains for "
                "%(opleiding)s."
            ),
            code="opleiding",
            params={
                "set_opleiding": version.leerfiche_set.opleiding.name,
                "opleiding": partnership.opleiding.name,
            },
        )
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    default_periods(partnership, actor)
    plan = partnership_plan(partnership)
    if plan is None:
        plan = Opleidingsplan.objects.create(partnership=partnership, set_version=version)
        audit.record(
            actor=actor,
            action="plan.adopt",
            partnership=partnership,
            obj=plan,
            changes={"set_version": (None, version)},
        )
        return Adoption(plan=plan, created=True)
    if plan.set_version_id == version.pk:
        raise ValidationError(_("The partnership follows this version already."), code="same")

    old_version = plan.set_version
    new_fiches = dict(version.leerfiches.values_list("key", "pk"))
    training_centre = _training_centre_name(partnership)
    entries = list(
        PlanEntry.objects.filter(plan__partnership=partnership).select_related(
            "leerfiche", "vestiging", "plan"
        )
    )
    moved, dropped, dropped_labels = [], [], []
    for entry in entries:
        new_id = new_fiches.get(entry.leerfiche.key)
        if new_id is None:
            dropped.append(entry.pk)
            dropped_labels.append(
                f"{entry.leerfiche.title}: {_site_label(entry, training_centre)}"
                + (_own_plan_suffix() if entry.plan.traject_id else "")
            )
        else:
            entry.leerfiche_id = new_id
            moved.append(entry)
    PlanEntry.objects.filter(pk__in=dropped).delete()
    PlanEntry.objects.bulk_update(moved, ["leerfiche"])
    Opleidingsplan.objects.filter(partnership=partnership).update(set_version=version)
    plan.refresh_from_db()
    changes: dict[str, tuple[Any, Any]] = {"set_version": (old_version, version)}
    if dropped_labels:
        changes["dropped_entries"] = (dropped_labels, None)
    audit.record(
        actor=actor, action="plan.adopt", partnership=partnership, obj=plan, changes=changes
    )
    return Adoption(plan=plan, created=False, moved=len(moved), dropped=dropped_labels)


# --- the grid's cells --------------------------------------------------------------------------


@transaction.atomic
def set_cell(
    *,
    plan: Opleidingsplan,
    leerfiche: Leerfiche,
    period: Period,
    places: Iterable[PlaceSpec],
    actor: Any = None,
) -> list[PlanEntry]:
    """Replace the places of one cell (a leerfiche in a period) with ``places``.

    Each place: its kind, the company's vestiging (for a company; one of the vestigingen the
    partnership's companies take part with) and a week range inside the period (week 1 holds
    the period's first day). The training centre only when the partnership has one. An empty
    list empties the cell.
    """
    partnership = plan.partnership
    if leerfiche.version_id != plan.set_version_id:
        raise ValidationError(
            _("This leerfiche is not part of the version the plan follows."), code="leerfiche"
        )
    if period.partnership_id != plan.partnership_id:
        raise ValidationError(_("This period belongs to another partnership."), code="period")
    allowed = set(
        PartnershipCompany.objects.filter(partnership=partnership).values_list(
            "vestiging_id", flat=True
        )
    )
    weeks = period.weeks
    errors: list[str] = []
    seen: set[tuple[str, int | None]] = set()
    new: list[PlanEntry] = []
    for kind, vestiging, week_from, week_to in places:
        if kind not in PlaceKind.values:
            errors.append(gettext("Choose a place: school, company, training centre or simulated."))
            continue
        name = place_label(
            kind,
            vestiging_name=vestiging.name if vestiging is not None else "",
            training_centre_name=_training_centre_name(partnership),
        )
        if kind == PlaceKind.COMPANY:
            if vestiging is None:
                errors.append(gettext("Choose the vestiging of the company."))
            elif vestiging.pk not in allowed:
                errors.append(
                    gettext("%(vestiging)s does not take part in this partnership.")
                    % {"vestiging": vestiging.name}
                )
        elif vestiging is not None:
            errors.append(
                gettext("%(place)s: only a company has a vestiging.")
                % {"place": PlaceKind(kind).label}
            )
        if kind == PlaceKind.TRAINING_CENTRE and not partnership.training_centre_id:
            errors.append(gettext("This partnership has no training centre."))
        if not (
            isinstance(week_from, int)
            and isinstance(week_to, int)
            and 1 <= week_from <= week_to <= weeks
        ):
            errors.append(
                gettext(
                    "%(place)s: choose the weeks between 1 and %(weeks)d (%(period)s has "
                    "%(weeks)d weeks), the first week not after the last."
                )
                % {"place": name, "weeks": weeks, "period": period.name}
            )
        key = (kind, vestiging.pk if vestiging is not None else None)
        if key in seen:
            errors.append(gettext("%(place)s is named twice.") % {"place": name})
        seen.add(key)
        new.append(
            PlanEntry(
                plan=plan,
                leerfiche=leerfiche,
                period=period,
                place=kind,
                vestiging=vestiging if kind == PlaceKind.COMPANY else None,
                week_from=week_from,
                week_to=week_to,
            )
        )
    if errors:
        raise ValidationError(errors)
    training_centre = _training_centre_name(partnership)
    old = list(
        PlanEntry.objects.filter(plan=plan, leerfiche=leerfiche, period=period)
        .select_related("vestiging")
        .order_by("pk")
    )
    before = sorted(_site_label(e, training_centre) for e in old)
    after = sorted(_site_label(e, training_centre) for e in new)
    if before == after:
        return old
    PlanEntry.objects.filter(pk__in=[e.pk for e in old]).delete()
    created = PlanEntry.objects.bulk_create(new)
    plan.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="plan.cell",
        partnership=partnership,
        traject=plan.traject,
        obj=plan,
        object_label=f"{leerfiche.title} · {period.name}",
        changes={"places": (before or None, after or None)},
    )
    return created


# --- a traject's own plan ----------------------------------------------------------------------


@transaction.atomic
def override_for_traject(*, traject: Traject, actor: Any = None) -> Opleidingsplan:
    """A plan of the traject's own: a copy of the partnership's plan, edited apart from it.
    Returns the existing one when the traject has it already."""
    existing = Opleidingsplan.objects.filter(traject=traject).first()
    if existing is not None:
        return existing
    source = partnership_plan(traject.partnership)
    if source is None:
        raise ValidationError(
            _("The partnership has not adopted a leerfiche version yet."), code="no_plan"
        )
    plan = Opleidingsplan.objects.create(
        partnership=traject.partnership, traject=traject, set_version=source.set_version
    )
    PlanEntry.objects.bulk_create(
        PlanEntry(
            plan=plan,
            leerfiche_id=entry.leerfiche_id,
            period_id=entry.period_id,
            place=entry.place,
            vestiging_id=entry.vestiging_id,
            week_from=entry.week_from,
            week_to=entry.week_to,
        )
        for entry in source.entries.all()
    )
    audit.record(
        actor=actor,
        action="plan.override",
        traject=traject,
        obj=plan,
        object_label=gettext("Own opleidingsplan"),
        changes={"entry_count": (None, plan.entries.count())},
    )
    return plan


@transaction.atomic
def drop_override(*, traject: Traject, actor: Any = None) -> int:
    """Back to the partnership's plan: the traject's own plan (its entries and comments) is
    deleted. Returns the number of entries that went."""
    plan = Opleidingsplan.objects.filter(traject=traject).first()
    if plan is None:
        raise ValidationError(_("This student follows the partnership's plan."), code="no_override")
    count = plan.entries.count()
    audit.record(
        actor=actor,
        action="plan.override_drop",
        traject=traject,
        obj=plan,
        object_label=gettext("Own opleidingsplan"),
        changes={"entry_count": (count, None)},
    )
    plan.delete()
    return count


# --- comments ----------------------------------------------------------------------------------


@transaction.atomic
def add_comment(
    *, plan: Opleidingsplan, author: Any, text: str, leerfiche_key: str = ""
) -> PlanComment:
    """A team member's comment on the plan, optionally about one leerfiche (by its key).
    Internal text (``partnerships.sharing``): the student and the parents never read it."""
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [gettext("Write your comment.")]
    elif len(text) > COMMENT_MAX:
        errors["text"] = [
            gettext("A comment is at most %(max)d characters long.") % {"max": COMMENT_MAX}
        ]
    if leerfiche_key and not plan.set_version.leerfiches.filter(key=leerfiche_key).exists():
        errors["leerfiche_key"] = [gettext("This leerfiche is not part of the plan.")]
    if errors:
        raise ValidationError(errors)
    comment = PlanComment.objects.create(
        plan=plan, author=author, text=text, leerfiche_key=leerfiche_key
    )
    audit.record(
        actor=author,
        action="plan.comment",
        partnership=plan.partnership,
        traject=plan.traject,
        obj=comment,
        object_label=gettext("Comment on the opleidingsplan"),
        changes=trail.created({"text": text, "leerfiche_key": leerfiche_key}),
    )
    return comment
