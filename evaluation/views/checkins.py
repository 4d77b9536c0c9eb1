"""The mentor's weekly check-in: one student, one week, on a phone (SCREENS.md "Weekly
check-in for one student").

Only who writes the traject's mentor column (M) opens it: everyone else who sees the traject
gets 403 (the student, parents, the school), everyone else 404. The page works without
JavaScript (each button posts the whole form, then back to the page); with
``static/js/autosave.js`` each tap saves (``X-Autosave: 1`` → JSON: 200 saved, 409 stale
with the other person's values, 400 invalid). "Klaar ✓" marks the check-in done and goes
back to the mentor's home.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duaal.http import AuthenticatedHttpRequest
from evaluation.models import Evaluator, Mark, Outcome, Rating
from evaluation.selectors.checkins import (
    BEHAVIOUR_PREFIX,
    KEEP,
    MARK_PREFIX,
    NEW_WERKPUNT,
    WERKPUNT_PREFIX,
    CheckinSheet,
    checkin_sheet,
    parse_version_token,
    week_version_token,
)
from evaluation.services import checkins as service
from evaluation.services import werkpunten as werkpunt_service
from evaluation.services.sheets import StaleVersion
from evaluation.views.autosave import is_autosave
from partnerships import permissions
from partnerships.models import Traject

SHORTCUT_ALL = "all"
SHORTCUT_SAME = "same"
WEEK_FORMAT = "%Y-%m-%d"


def week_url(traject: Traject, week_start: dt.date) -> str:
    return reverse("evaluation:checkin", args=[traject.public_id, week_start.strftime(WEEK_FORMAT)])


def _week_or_404(value: str, today: dt.date) -> dt.date:
    try:
        day = dt.datetime.strptime(value, WEEK_FORMAT).date()
    except ValueError:
        raise Http404 from None
    if day.weekday() != 0 or day > service.week_start_of(today):
        raise Http404
    return day


def _mentor_traject(request: AuthenticatedHttpRequest, public_id: Any) -> Traject:
    """404 when the traject is not visible; 403 unless the user writes its mentor column."""
    traject = permissions.get_traject_for_evaluation(user=request.user, public_id=public_id)
    if Evaluator.MENTOR not in traject.evaluator_roles:
        raise PermissionDenied
    return traject


@login_required
@require_GET
def checkin_current(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    """This week's check-in (a stable link for the traject page and the reminders)."""
    traject = _mentor_traject(request, public_id)
    return redirect(week_url(traject, service.week_start_of(timezone.localdate())))


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthenticatedHttpRequest, public_id: Any, week: str) -> HttpResponse:
    today = timezone.localdate()
    week_start = _week_or_404(week, today)
    traject = _mentor_traject(request, public_id)
    if request.method == "POST":
        # The form is checked against the sheet's rows; the marks themselves are read only
        # for "zelfde als vorige week" (which copies them).
        same = request.POST.get("shortcut") == SHORTCUT_SAME
        sheet = checkin_sheet(traject=traject, week_start=week_start, marks=same)
        return _save(request, sheet, today)
    return _page(request, checkin_sheet(traject=traject, week_start=week_start), today)


# --- reading the form ---------------------------------------------------------------------


class _Posted:
    """What the form says, checked against the sheet: errors per input name."""

    def __init__(self, post: QueryDict, sheet: CheckinSheet) -> None:
        self.errors: dict[str, str] = {}
        self.versions = parse_version_token(post.get("version", ""))
        if self.versions is None:
            self.errors["version"] = _("Reload the page: this form is out of date.")
        shortcut = post.get("shortcut", "")
        rows = {row.field: row for row in sheet.criteria}
        behaviour_rows = {row.field: row for row in sheet.behaviour}
        werkpunt_rows = {row.field: row for row in sheet.werkpunten}
        for name in post:
            if (
                (name.startswith(MARK_PREFIX) and name not in rows)
                or (name.startswith(BEHAVIOUR_PREFIX) and name not in behaviour_rows)
                or (name.startswith(WERKPUNT_PREFIX) and name not in werkpunt_rows)
            ):
                self.errors[name] = _("This is not part of this week's check-in.")
        self.marks: dict[str, dict[str, str | None]] = {}
        for name, row in rows.items():
            value = post.get(name)
            if shortcut == SHORTCUT_ALL:
                value = Mark.REACHED
            elif shortcut == SHORTCUT_SAME and row.previous:
                value = row.previous
            if value is None:
                continue
            if value not in ("", *Mark.values):
                self.errors[name] = _("Choose V or O.")
                continue
            self.marks.setdefault(row.leerfiche_key, {})[row.criterion.key] = value or None
        self.behaviour: dict[str, str | None] = {}
        for name, behaviour_row in behaviour_rows.items():
            value = post.get(name)
            if shortcut == SHORTCUT_SAME and behaviour_row.previous:
                value = behaviour_row.previous
            if value is None:
                continue
            if value not in ("", *Rating.values):
                self.errors[name] = _("Choose voldoet nog niet, voldoet or boven verwachting.")
                continue
            self.behaviour[behaviour_row.key] = value or None
        self.werkpunten: dict[str, str] = {}
        for name, werkpunt_row in werkpunt_rows.items():
            value = post.get(name)
            if value is None:
                continue
            if value not in (Outcome.RESOLVED, KEEP):
                self.errors[name] = _("Choose opgelost or blijft.")
                continue
            self.werkpunten[str(werkpunt_row.werkpunt.public_id)] = value
        self.new_werkpunt = post.get(NEW_WERKPUNT)
        if self.new_werkpunt is not None:
            self.new_werkpunt = self.new_werkpunt.strip()
            if len(self.new_werkpunt) > werkpunt_service.TEXT_MAX:
                self.errors[NEW_WERKPUNT] = _("Keep the werkpunt under %(limit)d characters.") % {
                    "limit": werkpunt_service.TEXT_MAX
                }
        self.done = "done" in post
        self.shortcut = shortcut if shortcut in (SHORTCUT_ALL, SHORTCUT_SAME) else ""

    def fiches(self, sheet: CheckinSheet) -> list[service.WeekFiche]:
        assert self.versions is not None
        return [
            service.WeekFiche(
                leerfiche=block.leerfiche,
                target=block.target,
                version=version,
                marks=self.marks.get(block.leerfiche.key, {}),
                criteria=[row.criterion for row in block.criteria],
            )
            for block, version in zip(sheet.fiches, self.versions[1:], strict=True)
        ]


def _error_dict(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {
            (NEW_WERKPUNT if name == "text" else "__all__"): " ".join(errors[0].messages)
            for name, errors in exc.error_dict.items()
        }
    return {"__all__": " ".join(exc.messages)}


# --- saving --------------------------------------------------------------------------------


def _save(request: AuthenticatedHttpRequest, sheet: CheckinSheet, today: dt.date) -> HttpResponse:
    autosave = is_autosave(request)
    posted = _Posted(request.POST, sheet)
    if posted.errors:
        return _invalid(request, sheet, today, posted.errors, autosave)
    assert posted.versions is not None
    try:
        if len(posted.versions) != len(sheet.fiches) + 1:
            raise StaleVersion(
                _("The leerfiches of this week changed in the meantime: check them again."),
                current=None,
            )
        _apply(request, sheet, posted, today)
    except StaleVersion as exc:
        current = checkin_sheet(traject=sheet.traject, week_start=sheet.week_start)
        if not autosave and _same_values(request.POST, current, posted):
            # Our own autosave got there first (a tap just before "Klaar"): nothing of
            # someone else's would be overwritten, so save on top of it.
            posted.versions = parse_version_token(current.version_token)
            try:
                _apply(request, current, posted, today)
            except StaleVersion:
                return _stale(request, current, today, str(exc.message))
            except ValidationError as error:
                return _invalid(request, current, today, _error_dict(error), autosave)
            return _saved(request, current, posted, today)
        return _stale(request, current, today, str(exc.message))
    except ValidationError as exc:
        return _invalid(request, sheet, today, _error_dict(exc), autosave)
    return _saved(request, sheet, posted, today)


def _apply(
    request: AuthenticatedHttpRequest, sheet: CheckinSheet, posted: _Posted, today: dt.date
) -> None:
    assert posted.versions is not None
    service.save_week(
        actor=request.user,
        traject=sheet.traject,
        week_start=sheet.week_start,
        checkin_version=posted.versions[0],
        fiches=posted.fiches(sheet),
        behaviour=posted.behaviour,
        werkpunten=posted.werkpunten,
        new_werkpunt=posted.new_werkpunt,
        done=posted.done,
        today=today,
    )


def _same_values(post: QueryDict, current: CheckinSheet, posted: _Posted) -> bool:
    """Whether the form asks nothing but what ``current`` holds (besides "Klaar")."""
    if posted.shortcut or len(current.fiches) + 1 != len(posted.versions or []):
        return False
    values = current.values()
    for name, value in values.items():
        if name == "version":
            continue
        sent = post.get(name)
        if sent is not None and sent.strip() != value:
            return False
    return True


def _saved(
    request: AuthenticatedHttpRequest, sheet: CheckinSheet, posted: _Posted, today: dt.date
) -> HttpResponse:
    name = sheet.traject.student.first_name
    if is_autosave(request):
        token = week_version_token(traject=sheet.traject, week_start=sheet.week_start)
        return JsonResponse(
            {
                "status": "saved",
                "version": token,
                "message": _("Saved at %(time)s")
                % {"time": time_format(timezone.localtime(), "H:i")},
            }
        )
    if posted.done:
        messages.success(
            request,
            _("The weekly check-in of %(name)s for week %(week)s is done.")
            % {"name": name, "week": sheet.week_number},
        )
        return redirect("home")
    messages.success(request, _("Saved."))
    return redirect(week_url(sheet.traject, sheet.week_start))


def _stale(
    request: AuthenticatedHttpRequest, current: CheckinSheet, today: dt.date, message: str
) -> HttpResponse:
    if is_autosave(request):
        return JsonResponse(
            {
                "status": "stale",
                "message": message,
                "version": current.version_token,
                "values": current.values(),
            },
            status=409,
        )
    return _page(request, current, today, notice=message, status=409)


def _invalid(
    request: AuthenticatedHttpRequest,
    sheet: CheckinSheet,
    today: dt.date,
    errors: dict[str, str],
    autosave: bool,
) -> HttpResponse:
    if autosave:
        return JsonResponse(
            {
                "status": "invalid",
                "message": _("Not saved: check the marked answers."),
                "errors": errors,
            },
            status=400,
        )
    return _page(request, sheet, today, errors=errors, status=400)


# --- the page ------------------------------------------------------------------------------


def _page(
    request: AuthenticatedHttpRequest,
    sheet: CheckinSheet,
    today: dt.date,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    if not sheet.with_marks:  # read for a save that failed: show it whole
        sheet = checkin_sheet(traject=sheet.traject, week_start=sheet.week_start)
    this_week = service.week_start_of(today)
    previous = sheet.week_start - dt.timedelta(days=7)
    following = sheet.week_start + dt.timedelta(days=7)
    errors = errors or {}
    return render(
        request,
        "evaluation/checkin_week.html",
        {
            "sheet": sheet,
            "student": sheet.traject.student,
            "marks": Mark.choices,
            "ratings": Rating.choices,
            "has_previous": any(row.previous for row in sheet.criteria)
            or any(row.previous for row in sheet.behaviour),
            "previous_url": week_url(sheet.traject, previous),
            "next_url": week_url(sheet.traject, following) if following <= this_week else "",
            "is_this_week": sheet.week_start == this_week,
            "errors": errors,
            "error_list": [
                (name, message) for name, message in errors.items() if name != "__all__"
            ],
            "form_error": errors.get("__all__", ""),
            "notice": notice,
            "resolved": Outcome.RESOLVED,
            "keep": KEEP,
            "new_werkpunt_name": NEW_WERKPUNT,
            "new_werkpunt_max": werkpunt_service.TEXT_MAX,
        },
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("trajects/<uuid:public_id>/checkins/", checkin_current, name="checkin_current"),
    path("trajects/<uuid:public_id>/checkins/<str:week>/", checkin, name="checkin"),
]
