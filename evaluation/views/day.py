"""The student's day (phone first): rate today's leerfiche, V or O per criterion, a note,
"Bewaren" — or fill in a past day late.

* ``day`` (GET): the day card of a traject for a date (today by default) and a leerfiche (the
  preselected one by default), a picker for another leerfiche and another (past) day. The
  student rates; everyone else who sees the traject reads (parents: the marks, no form).
* ``day_rate`` (POST): opens the session of that leerfiche on that date and saves the
  student's own column (``evaluation.services.sheets``) and note. Autosave contract
  (``evaluation.views.autosave``): JSON with ``X-Autosave: 1``, else a redirect with a
  message, or the page again with the errors (400) or the other values (409).

Access: ``permissions.get_traject_for_evaluation`` (404 for whoever does not see the
traject); only the traject's own student writes here (403 for the others).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, register_converter, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from duaal.http import AuthenticatedHttpRequest
from evaluation.models import Evaluator, Mark
from evaluation.selectors.day import (
    Day,
    DayFiche,
    SelfColumn,
    day_token,
    locked_self_column,
    picked_fiche,
    self_column,
    todays_leerfiches,
)
from evaluation.services import sheets
from evaluation.views import autosave
from evaluation.views import sheet_replies as replies
from learning.models import Leerfiche
from partnerships import permissions
from partnerships.models import Traject, WeekdayPlace

GET = ["GET", "HEAD"]
NOTE_FIELD = "note"
SHORTCUT_ALL_REACHED = "all_reached"

PLACE_LABELS: dict[str, StrOrPromise] = {
    WeekdayPlace.COMPANY: _("company"),
    WeekdayPlace.SCHOOL: _("school"),
    WeekdayPlace.TRAINING_CENTRE: _("training centre"),
    WeekdayPlace.FREE: _("day off"),
}


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None  # the URL does not match: 404

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "evaluation_date")


def criterion_field(key: str) -> str:
    return f"c-{key}"


def parse_day(raw: str | None, *, today: dt.date) -> tuple[dt.date, str]:
    """The day asked for (today when empty) and an error sentence for a wrong one."""
    if not raw:
        return today, ""
    try:
        on = dt.date.fromisoformat(raw)
    except ValueError:
        return today, gettext("That is not a date: choose a day in the calendar.")
    if on > today:
        return today, gettext("You cannot fill in a day that has not come yet.")
    return on, ""


def day_title(on: dt.date, place: str, *, today: dt.date) -> str:
    label = PLACE_LABELS.get(place, PLACE_LABELS[WeekdayPlace.FREE])
    if on == today:
        return gettext("Today · %(place)s") % {"place": label}
    return gettext("%(day)s · %(place)s") % {
        "day": date_format(on, "l j F").capitalize(),
        "place": label,
    }


def leerfiche_options(choices: list[tuple[Leerfiche, bool]], fiche: DayFiche | None) -> str:
    """The picker's ``<option>``s (one per leerfiche of the version: built here once rather
    than in a template loop; the same HTML, escaped by ``format_html_join``)."""
    planned = format_html(" ({})", gettext("planned"))
    selected = fiche.key if fiche is not None else None
    return format_html_join(
        "",
        '\n            <option value="{}"{}>{}{}</option>\n          ',
        (
            (
                leerfiche.key,
                " selected" if leerfiche.key == selected else "",
                leerfiche.title,
                planned if scheduled else "",
            )
            for leerfiche, scheduled in choices
        ),
    )


def day_card(
    *,
    traject: Traject,
    on: dt.date,
    today: dt.date,
    key: str = "",
    can_write: bool,
    next_url: str = "",
    day: Day | None = None,
    column: SelfColumn | None = None,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What ``evaluation/day_card.html`` shows (used by the home panel and the day page)."""
    day = day or todays_leerfiches(traject, on)
    fiche: DayFiche | None = None
    if key:
        fiche = picked_fiche(day, key)
    if fiche is None:
        fiche = day.preselected
    if column is None:
        column = (
            self_column(traject, fiche.key, on) if fiche is not None else SelfColumn(None, 0, {})
        )
    marks = dict(column.marks)
    note = column.note
    if posted is not None:  # the form as it was sent (a failed save shows it again)
        if fiche is not None:
            for criterion in fiche.criteria:
                value = posted.get(criterion_field(criterion.key))
                if value in Mark.values:
                    marks[criterion.key] = value
        note = posted.get(NOTE_FIELD, note)
    rows = []
    if fiche is not None:
        rows = [
            {
                "criterion": criterion,
                "field": criterion_field(criterion.key),
                "mark": marks.get(criterion.key, ""),
            }
            for criterion in fiche.criteria
        ]
    session_url = ""
    if fiche is not None and fiche.long_sheet:
        if column.session is not None:
            session_url = reverse("evaluation:session_detail", args=[column.session.public_id])
        else:
            session_url = (
                reverse("evaluation:session_list", args=[traject.public_id, fiche.key])
                + f"?date={on.isoformat()}"
            )
    choices = [(item.leerfiche, True) for item in day.scheduled] + [
        (leerfiche, False) for leerfiche in day.others
    ]
    return {
        "traject": traject,
        "day": day,
        "on": on,
        "is_today": on == today,
        "today": today,
        "yesterday": on - dt.timedelta(days=1),
        "title": day_title(on, day.place, today=today),
        "fiche": fiche,
        "rows": rows,
        "column": column,
        "note": note,
        "note_field": NOTE_FIELD,
        "token": column.token,
        "can_write": can_write,
        "session_url": session_url,
        "choices": choices,
        "options": leerfiche_options(choices, fiche),
        "all_reached": SHORTCUT_ALL_REACHED,
        "next_url": next_url,
        "errors": errors or {},
        "day_url": reverse("evaluation:day", args=[traject.public_id]),
        "rate_url": (
            reverse("evaluation:day_rate", args=[traject.public_id, on, fiche.key])
            if fiche is not None
            else ""
        ),
    }


def _render_day(
    request: AuthenticatedHttpRequest, card: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context = {**card, "card": card, "student": card["traject"].student}
    return render(request, "evaluation/day_page.html", context, status=status)


@login_required
@require_http_methods(GET)
def day(request: AuthenticatedHttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_evaluation(user=request.user, public_id=traject_id)
    today = timezone.localdate()
    on, error = parse_day(request.GET.get("date"), today=today)
    key = (request.GET.get("leerfiche") or "")[:80]
    context = day_card(
        traject=traject,
        on=on,
        today=today,
        key=key,
        can_write=Evaluator.SELF in traject.evaluator_roles,
        next_url=request.get_full_path(),
        errors={"date": error} if error else None,
    )
    return _render_day(request, context, status=400 if error else 200)


def _posted_marks(
    request: AuthenticatedHttpRequest, fiche: DayFiche
) -> tuple[dict[str, str], dict[str, str]]:
    """{criterion key: "V"/"O"} from the form, and errors per input."""
    marks: dict[str, str] = {}
    errors: dict[str, str] = {}
    shortcut = request.POST.get("shortcut") == SHORTCUT_ALL_REACHED
    for criterion in fiche.criteria:
        name = criterion_field(criterion.key)
        if shortcut:
            marks[criterion.key] = Mark.REACHED
            continue
        value = request.POST.get(name)
        if value is None or value == "":
            continue
        if value not in Mark.values:
            errors[name] = gettext("Choose V or O.")
        else:
            marks[criterion.key] = value
    return marks, errors


def _values(fiche: DayFiche, column: SelfColumn) -> dict[str, str]:
    """The inputs of the day form as they are saved now (for a 409)."""
    values = {
        criterion_field(criterion.key): column.marks.get(criterion.key, "")
        for criterion in fiche.criteria
    }
    values[NOTE_FIELD] = column.note
    values["version"] = str(column.token)
    return values


@login_required
@require_POST
def day_rate(
    request: AuthenticatedHttpRequest, traject_id: uuid.UUID, on: dt.date, key: str
) -> HttpResponse:
    traject = permissions.get_traject_for_evaluation(
        user=request.user, public_id=traject_id, write=True
    )
    if Evaluator.SELF not in traject.evaluator_roles:
        raise PermissionDenied
    today = timezone.localdate()
    as_json = autosave.is_autosave(request)
    default_next = (
        reverse("evaluation:day", args=[traject.public_id]) + f"?date={on}&leerfiche={key}"
    )
    next_url = replies.next_url(request, default_next)
    day_plan = todays_leerfiches(traject, on)
    fiche = picked_fiche(day_plan, key)
    if fiche is None:
        raise Http404

    def fail(errors: dict[str, str], *, status: int = 400) -> HttpResponse:
        if as_json:
            return autosave.invalid(errors)
        context = day_card(
            traject=traject,
            on=on,
            today=today,
            key=key,
            can_write=True,
            next_url=next_url,
            day=day_plan,
            errors=errors,
            posted=request.POST.dict(),
        )
        return _render_day(request, context, status=status)

    if on > today:
        return fail({"date": gettext("You cannot fill in a day that has not come yet.")})
    if fiche.long_sheet:
        return fail({"__all__": gettext("Fill in this leerfiche on its opdracht sheet.")})
    token = replies.parse_version(request.POST.get("version"))
    if token is None:
        return fail(replies.version_error())
    marks, errors = _posted_marks(request, fiche)
    note = request.POST.get(NOTE_FIELD)
    if note is not None and len(note.strip()) > sheets.NOTE_MAX:
        errors[NOTE_FIELD] = gettext("Keep this under %(limit)d characters.") % {
            "limit": sheets.NOTE_MAX
        }
    if errors:
        return fail(errors)
    submit = not as_json
    try:
        with transaction.atomic():
            session = sheets.open_session(
                actor=request.user,
                traject=traject,
                leerfiche=fiche.leerfiche,
                on=on,
                place=fiche.place,
                today=today,
                adopted=day_plan.version,
                lock=True,
            )
            column = locked_self_column(session=session, locked=True)
            if column.token != token:
                raise sheets.StaleVersion(
                    gettext("You saved this day in another window just now: check it again."),
                    current=column,
                )
            state = sheets.rate(
                actor=request.user,
                traject=traject,
                session=session,
                evaluator=Evaluator.SELF,
                marks=marks,
                version=column.evaluation_version,
                submit=submit,
                criteria=fiche.criteria if session.leerfiche_id == fiche.leerfiche.pk else None,
                locked=column.evaluation,
            )
            if note is not None and note.strip() != session.student_note:
                session = sheets.update_session(
                    actor=request.user,
                    traject=traject,
                    session=session,
                    version=session.version,
                    student_note=note,
                )
    except sheets.StaleVersion as stale:
        current = self_column(traject, fiche.key, on)
        message = stale.messages[0]
        if as_json:
            return autosave.stale(message, version=current.token, values=_values(fiche, current))
        messages.warning(request, message)
        context = day_card(
            traject=traject,
            on=on,
            today=today,
            key=key,
            can_write=True,
            next_url=next_url,
            day=day_plan,
            column=current,
        )
        return _render_day(request, context, status=409)
    except sheets.Locked as locked:
        if as_json:
            return autosave.refused(locked.messages[0])
        return fail({"__all__": locked.messages[0]}, status=403)
    except ValidationError as error:
        return fail(replies.messages_of(error))
    new_token = day_token(session, state.version)
    if as_json:
        return autosave.saved(new_token, gettext("Saved"))
    messages.success(
        request,
        gettext("Saved: %(leerfiche)s on %(day)s.")
        % {"leerfiche": fiche.leerfiche.title, "day": date_format(on, "j F")},
    )
    return redirect(next_url)


urlpatterns: list[URLPattern] = [
    path("trajects/<uuid:traject_id>/day/", day, name="day"),
    path(
        "trajects/<uuid:traject_id>/day/<evaluation_date:on>/<slug:key>/",
        day_rate,
        name="day_rate",
    ),
]
