"""The opdracht session sheet (appendix 2 as a screen): one dated practice session of a
leerfiche with its header (lasprocédé, lasnaadvorm, lasstand, doelstelling, WPS), the
session's own fields (omschrijving, werktijden, metaal), the behaviour list ja/nee, the
measurements and the ISO criteria V/O in the evaluators' columns (LL, M, and LK/OC when
present), sterke punten and werkpunten/afspraken with a date.

Each person edits only their own column (``traject.evaluator_roles``) and sees the others
read-only; a student writes the note, the team the sterke punten and werkpunten. Three forms,
each with its own version (autosave contract, ``evaluation.views.autosave``): the
session's fields, the person's column, a new werkpunt. The traject's sessions of the same
leerfiche (the appendix's date columns) are listed to switch between them, and a new session
is opened for a date.

Access: the session's traject through ``permissions.get_traject_for_evaluation`` (404 for
whoever does not see it, 403 on a POST by someone who only reads).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from duaal.http import AuthenticatedHttpRequest
from evaluation.models import EVALUATOR_SHORT, Evaluator, ItemAnswer, Mark, Metal, Session
from evaluation.selectors import sessions as selectors
from evaluation.selectors.day import picked_fiche, todays_leerfiches
from evaluation.services import sheets, werkpunten
from evaluation.views import autosave
from evaluation.views import sheet_replies as replies
from learning.models import ItemKind, Leerfiche, LeerficheItem
from partnerships import permissions
from partnerships.models import Traject

GET = ["GET", "HEAD"]
COLUMN_ORDER: list[str] = [
    Evaluator.SELF,
    Evaluator.MENTOR,
    Evaluator.TEACHER,
    Evaluator.TRAINING_CENTRE,
]
DETAIL_FIELDS = ("omschrijving", "werktijden", "metal", "student_note", "sterke_punten")


@dataclass
class Cell:
    evaluator: str
    short: str
    label: str
    value: str
    editable: bool
    name: str


@dataclass
class Row:
    text: str
    cells: list[Cell]
    code: str = ""
    norm: str = ""
    heading: str = ""


@dataclass
class Sheet:
    traject: Traject
    session: Session
    leerfiche: Leerfiche
    columns: list[tuple[str, str, str]]  # (evaluator, short, label)
    mine: str  # the column the viewer writes ("" reads only)
    my_version: int
    my_locked_by: str
    behaviours: list[Row] = field(default_factory=list)
    measurements: list[Row] = field(default_factory=list)
    criteria: list[Row] = field(default_factory=list)


def criterion_field(key: str) -> str:
    return f"c-{key}"


def item_field(item: LeerficheItem) -> str:
    return f"{'b' if item.kind == ItemKind.BEHAVIOUR else 'm'}-{item.pk}"


def _session_for(user: Any, session_id: uuid.UUID, *, write: bool = False) -> Session:
    session = selectors.session_by_public_id(public_id=session_id)
    if session is None:
        raise Http404
    session.traject = permissions.get_traject_for_evaluation(
        user=user, public_id=session.traject.public_id, write=write
    )
    return session


def _my_column(traject: Traject, wanted: str = "") -> str:
    roles = traject.evaluator_roles
    if wanted in roles:
        return wanted
    return next((evaluator for evaluator in COLUMN_ORDER if evaluator in roles), "")


def build_sheet(
    *,
    traject: Traject,
    session: Session,
    user: Any,
    mine: str,
    posted: dict[str, str] | None = None,
) -> Sheet:
    """The sheet's rows and columns in a fixed number of queries."""
    leerfiche = session.leerfiche
    evaluations = selectors.session_evaluations(session=session)
    shown = [
        evaluator
        for evaluator in COLUMN_ORDER
        if evaluator in (Evaluator.SELF, Evaluator.MENTOR)
        or evaluator in evaluations
        or evaluator == mine
    ]
    columns = [
        (evaluator, EVALUATOR_SHORT[evaluator], str(Evaluator(evaluator).label))
        for evaluator in shown
    ]
    marks = {
        evaluator: {score.criterion_key: score.mark for score in evaluation.scores.all()}
        for evaluator, evaluation in evaluations.items()
    }
    answers = {
        evaluator: {answer.item_id: answer.value for answer in evaluation.answers.all()}
        for evaluator, evaluation in evaluations.items()
    }
    own = evaluations.get(mine) if mine else None
    locked_by = ""
    if own is not None and own.submitted_at is not None and own.author_id != user.pk:
        locked_by = own.author.get_full_name() or own.author.email
    writable = bool(mine) and not locked_by

    def cells(name: str, values: dict[str, dict[Any, str]], key: Any) -> list[Cell]:
        found = []
        for evaluator, short, label in columns:
            value = values.get(evaluator, {}).get(key, "")
            editable = writable and evaluator == mine
            if editable and posted is not None and name in posted:
                value = posted[name]
            found.append(Cell(evaluator, short, label, value, editable, name))
        return found

    sheet = Sheet(
        traject=traject,
        session=session,
        leerfiche=leerfiche,
        columns=columns,
        mine=mine if writable else "",
        my_version=own.version if own is not None else 0,
        my_locked_by=locked_by,
    )
    for item in selectors.sheet_items(leerfiche=leerfiche):
        row = Row(
            text=item.text,
            heading=item.heading,
            cells=cells(item_field(item), answers, item.pk),
        )
        (sheet.behaviours if item.kind == ItemKind.BEHAVIOUR else sheet.measurements).append(row)
    for criterion in selectors.sheet_criteria(leerfiche=leerfiche):
        sheet.criteria.append(
            Row(
                text=criterion.text,
                code=criterion.code,
                norm=criterion.norm_reference,
                heading=criterion.heading,
                cells=cells(criterion_field(criterion.key), marks, criterion.key),
            )
        )
    return sheet


def _render_sheet(
    request: AuthenticatedHttpRequest,
    session: Session,
    *,
    mine: str = "",
    status: int = 200,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    form: str = "",
) -> HttpResponse:
    traject = session.traject
    mine = _my_column(traject, mine)
    sheet = build_sheet(
        traject=traject,
        session=session,
        user=request.user,
        mine=mine,
        posted=posted if form == "column" else None,
    )
    roles = traject.evaluator_roles
    details: dict[str, str] = {name: getattr(session, name) for name in DETAIL_FIELDS}
    if form == "details" and posted is not None:
        details.update({name: posted[name] for name in DETAIL_FIELDS if name in posted})
    metals = [
        (value, label)
        for value, label in Metal.choices
        if not session.leerfiche.metals
        or value in {str(m).lower() for m in session.leerfiche.metals}
    ]
    context = {
        "traject": traject,
        "student": traject.student,
        "session": session,
        "leerfiche": session.leerfiche,
        "sheet": sheet,
        "details": details,
        "metals": metals,
        "can_write": bool(roles),
        "is_student": Evaluator.SELF in roles,
        "is_team": bool(set(roles) - {Evaluator.SELF}),
        "sessions": selectors.session_dates(traject=traject, leerfiche_key=session.leerfiche_key),
        "werkpunten": selectors.session_werkpunten(session=session),
        "errors": errors or {},
        "form": form,
        "posted": posted or {},
        "today": timezone.localdate(),
        "marks": Mark.values,
        "yes": ItemAnswer.YES,
        "no": ItemAnswer.NO,
    }
    return render(request, "evaluation/session_detail.html", context, status=status)


@login_required
@require_http_methods(GET)
def session_detail(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_for(request.user, session_id)
    return _render_sheet(request, session, mine=request.GET.get("column", ""))


def _sheet_url(session: Session) -> str:
    return reverse("evaluation:session_detail", args=[session.public_id])


@login_required
@require_POST
def session_details(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The session's own fields (omschrijving, werktijden, metaal, note, sterke punten)."""
    session = _session_for(request.user, session_id, write=True)
    traject = session.traject
    as_json = autosave.is_autosave(request)
    roles = traject.evaluator_roles
    allowed = {"omschrijving", "werktijden", "metal"}
    if Evaluator.SELF in roles:
        allowed.add("student_note")
    if set(roles) - {Evaluator.SELF}:
        allowed.add("sterke_punten")
    values = {name: request.POST[name] for name in allowed if name in request.POST}
    version = replies.parse_version(request.POST.get("version"))

    def fail(errors: dict[str, str]) -> HttpResponse:
        if as_json:
            return autosave.invalid(errors)
        return _render_sheet(
            request, session, status=400, errors=errors, posted=request.POST.dict(), form="details"
        )

    if version is None:
        return fail(replies.version_error())
    try:
        current = sheets.update_session(
            actor=request.user, traject=traject, session=session, version=version, **values
        )
    except sheets.StaleVersion as stale:
        fresh = selectors.session_current(session=session)
        if as_json:
            return autosave.stale(
                stale.messages[0],
                version=fresh.version,
                values={
                    **{name: getattr(fresh, name) for name in allowed},
                    "version": str(fresh.version),
                },
            )
        messages.warning(request, stale.messages[0])
        fresh.traject = traject
        return _render_sheet(request, fresh, status=409)
    except ValidationError as error:
        return fail(replies.messages_of(error))
    if as_json:
        return autosave.saved(current.version, gettext("Saved"))
    messages.success(request, gettext("The session was saved."))
    return redirect(_sheet_url(session))


def _posted_column(
    request: AuthenticatedHttpRequest, sheet: Sheet
) -> tuple[dict[str, str | None], dict[int, str | None], dict[str, str]]:
    marks: dict[str, str | None] = {}
    answers: dict[int, str | None] = {}
    errors: dict[str, str] = {}
    for key in selectors.criterion_keys(leerfiche=sheet.leerfiche):
        name = criterion_field(key)
        if name not in request.POST:
            continue
        value = request.POST[name]
        if value not in ("", *Mark.values):
            errors[name] = gettext("Choose V or O.")
        else:
            marks[key] = value or None
    for item in selectors.sheet_items(leerfiche=sheet.leerfiche):
        name = item_field(item)
        if name not in request.POST:
            continue
        value = request.POST[name].strip()
        if item.kind == ItemKind.BEHAVIOUR and value not in ("", ItemAnswer.YES, ItemAnswer.NO):
            errors[name] = gettext("Answer ja or nee.")
        elif len(value) > sheets.MEASUREMENT_MAX:
            errors[name] = gettext("Keep a measurement under %(limit)d characters.") % {
                "limit": sheets.MEASUREMENT_MAX
            }
        else:
            answers[item.pk] = value or None
    return marks, answers, errors


def _column_values(session: Session, evaluator: str) -> tuple[int, dict[str, str]]:
    evaluation = selectors.session_column_evaluation(session=session, evaluator=evaluator)
    if evaluation is None:
        return 0, {"version": "0"}
    values = {criterion_field(score.criterion_key): score.mark for score in evaluation.scores.all()}
    values.update({item_field(answer.item): answer.value for answer in evaluation.answers.all()})
    values["version"] = str(evaluation.version)
    return evaluation.version, values


@login_required
@require_POST
def session_column(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The viewer's own column: V/O per criterion, ja/nee per behaviour, the measurements."""
    session = _session_for(request.user, session_id, write=True)
    traject = session.traject
    as_json = autosave.is_autosave(request)
    evaluator = _my_column(traject, request.POST.get("evaluator", ""))
    if not evaluator:
        raise PermissionDenied
    sheet = Sheet(traject, session, session.leerfiche, [], evaluator, 0, "")
    marks, answers, errors = _posted_column(request, sheet)
    version = replies.parse_version(request.POST.get("version"))
    if version is None:
        errors.update(replies.version_error())

    def fail(errors: dict[str, str], status: int = 400) -> HttpResponse:
        if as_json:
            return autosave.invalid(errors)
        return _render_sheet(
            request,
            session,
            mine=evaluator,
            status=status,
            errors=errors,
            posted=request.POST.dict(),
            form="column",
        )

    if errors:
        return fail(errors)
    try:
        state = sheets.rate(
            actor=request.user,
            traject=traject,
            session=session,
            evaluator=evaluator,
            marks=marks,
            answers=answers,
            version=version,
            submit=not as_json,
        )
    except sheets.StaleVersion as stale:
        current_version, values = _column_values(session, evaluator)
        if as_json:
            return autosave.stale(stale.messages[0], version=current_version, values=values)
        messages.warning(request, stale.messages[0])
        return _render_sheet(request, session, mine=evaluator, status=409)
    except sheets.Locked as locked:
        if as_json:
            return autosave.refused(locked.messages[0])
        return fail({"__all__": locked.messages[0]}, status=403)
    except ValidationError as error:
        return fail(replies.messages_of(error))
    if as_json:
        return autosave.saved(state.version, gettext("Saved"))
    messages.success(request, gettext("Your evaluation was saved."))
    return redirect(_sheet_url(session))


@login_required
@require_POST
def session_werkpunt(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """A werkpunt with its afspraak and a date, opened from this session (the team)."""
    session = _session_for(request.user, session_id, write=True)
    traject = session.traject
    if not set(traject.evaluator_roles) - {Evaluator.SELF}:
        raise PermissionDenied
    errors: dict[str, str] = {}
    on = timezone.localdate()
    raw_date = request.POST.get("opened_on") or ""
    if raw_date:
        try:
            on = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors["opened_on"] = gettext("That is not a date: choose a day in the calendar.")
    if not errors:
        try:
            werkpunten.open_werkpunt(
                actor=request.user,
                traject=traject,
                text=request.POST.get("text", ""),
                example=request.POST.get("example", ""),
                afspraak=request.POST.get("afspraak", ""),
                session=session,
                on=on,
            )
        except ValidationError as error:
            errors = replies.messages_of(error, field="text")
    if errors:
        return _render_sheet(
            request,
            session,
            status=400,
            errors={f"werkpunt-{name}": message for name, message in errors.items()},
            posted=request.POST.dict(),
            form="werkpunt",
        )
    messages.success(request, gettext("The werkpunt was added."))
    return redirect(_sheet_url(session) + "#werkpunten")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_list(
    request: AuthenticatedHttpRequest, traject_id: uuid.UUID, key: str
) -> HttpResponse:
    """The traject's sessions of one leerfiche; POST opens the session of a date."""
    traject = permissions.get_traject_for_evaluation(
        user=request.user, public_id=traject_id, write=request.method == "POST"
    )
    today = timezone.localdate()
    try:
        leerfiche = sheets.leerfiche_for(traject=traject, key=key)
    except ValidationError:
        raise Http404 from None
    error = ""
    chosen = request.POST.get("date") if request.method == "POST" else request.GET.get("date")
    on = today
    if chosen:
        try:
            on = dt.date.fromisoformat(chosen)
        except ValueError:
            error = gettext("That is not a date: choose a day in the calendar.")
    elif request.method == "POST":
        error = gettext("Choose the day of the session.")
    if not error and on > today:
        error = gettext("You cannot fill in a day that has not come yet.")
    if request.method == "POST" and not error:
        fiche = picked_fiche(todays_leerfiches(traject, on), key)
        try:
            session = sheets.open_session(
                actor=request.user,
                traject=traject,
                leerfiche=leerfiche,
                on=on,
                place=fiche.place
                if fiche is not None
                else todays_leerfiches(traject, on).session_place,
                today=today,
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect(_sheet_url(session))
    sessions = selectors.leerfiche_sessions(traject=traject, leerfiche_key=key)
    return render(
        request,
        "evaluation/session_list.html",
        {
            "traject": traject,
            "student": traject.student,
            "leerfiche": leerfiche,
            "sessions": sessions,
            "can_write": bool(traject.evaluator_roles),
            "on": on if not error else today,
            "today": today,
            "error": error,
            "date_label": date_format(on, "j F Y") if not error else "",
        },
        status=400 if error else 200,
    )


urlpatterns: list[URLPattern] = [
    path(
        "trajects/<uuid:traject_id>/leerfiches/<slug:key>/sessions/",
        session_list,
        name="session_list",
    ),
    path("sessions/<uuid:session_id>/", session_detail, name="session_detail"),
    path("sessions/<uuid:session_id>/details/", session_details, name="session_details"),
    path("sessions/<uuid:session_id>/column/", session_column, name="session_column"),
    path("sessions/<uuid:session_id>/werkpunten/", session_werkpunt, name="session_werkpunt"),
]
