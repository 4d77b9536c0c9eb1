"""Recognition screens: the sector consultant's side (issue 12, item 3).

* ``recognition:consultant_inbox`` — the requests routed to the consultant's sector body, as
  cards (company, vestiging, opleiding, state, the 14-day countdown to the decision), with
  filters (state, due soon / overdue, opleiding, company);
* ``recognition:consultant_detail`` — one request: company and vestiging data, the
  ondernemingsnummer, the mentors with their eligibility, a school's mandate uploads, the
  visits, the history; the actions the state allows;
* the actions, each through ``recognition.services`` (GET: the confirmation page, POST with
  ``confirm=yes``: act): ``consultant_complete``, ``consultant_visit_plan``,
  ``consultant_visit_record`` (a form page: the general checks and the opleiding's
  activiteitenlijst checklist), ``consultant_decide``, ``consultant_appeal`` (an appeal the
  company sent to the sector body);
* a school's mandate and sworn statement are downloaded through the company side's
  ``company_request_file`` (one view for everyone who may read them).

Every request is fetched through ``partnerships.permissions.get_recognition_for_consultant``
(404 when not routed to the consultant's body, 403 for the company's or school's people). A
consultant sees companies and mentors, never a student: nothing here reads a traject.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duaal.models import AuditEntry
from learning.forms.plans import OfferForm
from learning.models import Opleiding
from learning.services.activiteitenlijsten import offers_of
from partnerships import permissions
from partnerships.audit import ACTIONS
from partnerships.views.confirm import confirmed
from recognition import selectors, services
from recognition.forms.consultant import (
    AppealForm,
    DecideForm,
    InboxFilterForm,
    VisitPlanForm,
    VisitRecordForm,
)
from recognition.models import (
    APPEAL_DAYS,
    DECISION_DAYS,
    REQUEST_FILE_SLUGS,
    MentorProfile,
    Recognition,
    RecognitionStatus,
    WorkplaceVisit,
)

S = RecognitionStatus
HISTORY_LIMIT = 30
INBOX_PER_PAGE = 25
CONFIRM_TEMPLATE = "learning/confirm/action.html"


def _recognition(request: HttpRequest, recognition_id: uuid.UUID) -> Recognition:
    recognition = permissions.get_recognition_for_consultant(
        user=request.user, public_id=recognition_id
    )
    assert isinstance(recognition, Recognition)
    return recognition


def _detail_url(recognition: Recognition) -> str:
    return reverse("recognition:consultant_detail", args=[recognition.public_id])


def _short(day: date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


# --- the inbox -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    if not permissions.may_use_recognition_inbox(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    mine = permissions.recognition_inbox_of(user=request.user)
    opleidingen = Opleiding.objects.filter(pk__in=mine.values("opleiding")).order_by("name")
    form = InboxFilterForm(request.GET or None, opleidingen=opleidingen)
    requests = selectors.inbox_requests(mine, today=today, **form.filters())
    page = Paginator(requests, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recognition/consultant/inbox.html",
        {
            "form": form,
            "rows": selectors.inbox_rows(page, today=today),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "counts": selectors.inbox_counts(mine, today=today),
            "filter_fields": [form["state"], form["due"], form["opleiding"]],
            "today": today,
        },
    )


# --- one request -----------------------------------------------------------------------------


def _consequences_complete(recognition: Recognition) -> list[str]:
    due = timezone.localdate() + timedelta(days=DECISION_DAYS)
    return [
        _("The request is complete: the company has given everything the decision needs."),
        _("The decision is then due within 14 days, by %(due)s.") % {"due": _short(due)},
    ]


def _consequences_plan() -> list[str]:
    return [
        _("The company sees that a workplace visit is planned on this date."),
        _("After the visit, record its report and what the company can offer."),
    ]


def _consequences_decide(recognition: Recognition) -> list[str]:
    return [
        _(
            "Recognised: %(vestiging)s is recognised for %(opleiding)s for 5 years from today; "
            "schools can then place students there."
        )
        % {"vestiging": recognition.vestiging, "opleiding": recognition.opleiding},
        _(
            "Refused: the company reads your reason in the decision letter and may appeal "
            "within 10 days."
        ),
    ]


def _consequences_appeal(recognition: Recognition) -> list[str]:
    return [
        _("The refusal is then under appeal: you decide again within 14 days."),
        _("An appeal is accepted until 10 days after the refusal."),
    ]


def _actions(recognition: Recognition, today: date) -> dict[str, bool]:
    status = recognition.status
    last_appeal_day = (
        recognition.decided_on + timedelta(days=APPEAL_DAYS) if recognition.decided_on else None
    )
    return {
        "complete": status == S.SUBMITTED,
        "plan": status in (S.COMPLETE, S.VISIT_PLANNED, S.APPEAL),
        "decide": status in (S.COMPLETE, S.VISIT_PLANNED, S.APPEAL),
        "appeal": status == S.REFUSED and last_appeal_day is not None and today <= last_appeal_day,
        "letter": status in (S.RECOGNISED, S.REFUSED) or bool(recognition.decided_on),
    }


def _history(recognition: Recognition) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(
        object_type=Recognition._meta.label_lower, object_id=str(recognition.pk)
    ).order_by("-at", "-id")[:HISTORY_LIMIT]
    return [
        {
            "at": entry.at,
            "label": ACTIONS.get(entry.action, entry.action),
            "actor": entry.actor_label,
        }
        for entry in entries
    ]


def _mentors(recognition: Recognition, today: date) -> list[dict[str, Any]]:
    mentors = list(recognition.mentors.order_by("full_name", "pk"))
    profiles = {
        profile.user_id: profile for profile in MentorProfile.objects.filter(user__in=mentors)
    }
    rows = []
    for mentor in mentors:
        unmet = selectors.mentor_eligibility(
            mentor, on=today, requested_on=recognition.submitted_on
        )
        rows.append({"mentor": mentor, "profile": profiles.get(mentor.pk), "unmet": unmet})
    return rows


def _detail_context(
    request: HttpRequest, recognition: Recognition, **bound: forms.Form
) -> dict[str, Any]:
    today = timezone.localdate()
    visits = list(recognition.visits.select_related("visitor").prefetch_related("activities"))
    open_visit = next((visit for visit in reversed(visits) if visit.visited_on is None), None)
    days_left = (
        (recognition.decision_due - today).days
        if recognition.decision_due and recognition.status in selectors.AWAITING_DECISION
        else None
    )
    return {
        "recognition": recognition,
        "company": recognition.company,
        "vestiging": recognition.vestiging,
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
        "mentors": _mentors(recognition, today),
        "uploads": [
            (slug, Recognition._meta.get_field(name).verbose_name)
            for slug, name in REQUEST_FILE_SLUGS.items()
            if getattr(recognition, name)
        ],
        "visits": visits,
        "open_visit": open_visit,
        "history": _history(recognition),
        "actions": _actions(recognition, today),
        "complete_consequences": _consequences_complete(recognition),
        "plan_consequences": _consequences_plan(),
        "decide_consequences": _consequences_decide(recognition),
        "appeal_consequences": _consequences_appeal(recognition),
        "plan_form": bound.get("plan") or VisitPlanForm(initial={"planned_on": today}),
        "decide_form": bound.get("decide") or DecideForm(),
        "appeal_form": bound.get("appeal")
        or AppealForm(today=today, initial={"appealed_on": today}),
        "today": today,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def detail(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _recognition(request, recognition_id)
    return render(
        request, "recognition/consultant/detail.html", _detail_context(request, recognition)
    )


def _confirm_page(
    request: HttpRequest,
    recognition: Recognition,
    *,
    title: str,
    url_name: str,
    consequences: list[str],
    confirm_label: str,
    form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The confirmation page (partnerships' page, the catalogue's confirmation form with a
    primary button: these actions are decisions, not deletions)."""
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": title,
            "back_url": _detail_url(recognition),
            "confirm_template": CONFIRM_TEMPLATE,
            "confirm_class": "button--primary",
            "action_url": reverse(url_name, args=[recognition.public_id]),
            "consequences": consequences,
            "confirm_label": confirm_label,
            "form": form,
        },
        status=status,
    )


def _refused(
    request: HttpRequest, recognition: Recognition, error: ValidationError
) -> HttpResponse:
    """A transition the state does not allow (e.g. another consultant was quicker)."""
    messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(recognition))


def _act(
    request: HttpRequest,
    recognition: Recognition,
    *,
    form: forms.Form | None,
    act: Callable[[], object],
    success: Callable[[], str],
    **page: Any,
) -> HttpResponse:
    """The shape of every action: a confirmed (and valid) POST runs ``act`` (one service
    call) and returns to the request with ``success()``; a transition the state no longer
    allows (another consultant was quicker) returns with the service's message; a refused
    value lands on the form (400). Anything else shows the confirmation page (``page``:
    title, url_name, consequences, confirm_label)."""
    if confirmed(request) and (form is None or form.is_valid()):
        try:
            act()
        except ValidationError as error:
            if form is None or getattr(error, "code", "") == "invalid_transition":
                return _refused(request, recognition, error)
            _errors_onto(form, error)
        else:
            recognition.refresh_from_db()
            messages.success(request, success())
            return redirect(_detail_url(recognition))
    status = 400 if form is not None and form.errors else 200
    return _confirm_page(request, recognition, form=form, status=status, **page)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def complete(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _recognition(request, recognition_id)
    return _act(
        request,
        recognition,
        form=None,
        act=lambda: services.recognition_mark_complete(actor=request.user, recognition=recognition),
        success=lambda: (
            _("The request is complete. The decision is due by %(due)s.")
            % {"due": _short(recognition.decision_due)}
        ),
        title=_("Mark the request as complete?"),
        url_name="recognition:consultant_complete",
        consequences=_consequences_complete(recognition),
        confirm_label=_("Mark as complete"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visit_plan(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _recognition(request, recognition_id)
    form = VisitPlanForm(
        request.POST if confirmed(request) else None,
        not_before=recognition.complete_on,
        initial={"planned_on": timezone.localdate()},
    )
    return _act(
        request,
        recognition,
        form=form,
        act=lambda: services.visit_plan(
            actor=request.user,
            recognition=recognition,
            planned_on=form.cleaned_data["planned_on"],
        ),
        success=lambda: (
            _("The workplace visit is planned on %(day)s.")
            % {"day": _short(form.cleaned_data["planned_on"])}
        ),
        title=_("Plan the workplace visit"),
        url_name="recognition:consultant_visit_plan",
        consequences=_consequences_plan(),
        confirm_label=_("Plan the visit"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visit_record(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    """The report of the planned visit: general checks, the activiteitenlijst, the result."""
    recognition = _recognition(request, recognition_id)
    visit = (
        WorkplaceVisit.objects.filter(recognition=recognition, visited_on__isnull=True)
        .order_by("-planned_on", "-pk")
        .first()
    )
    if visit is None or recognition.status not in (S.VISIT_PLANNED, S.APPEAL):
        messages.error(request, _("There is no planned visit to report on."))
        return redirect(_detail_url(recognition))
    today = timezone.localdate()
    fiches = selectors.checklist_leerfiches(recognition)
    current = offers_of(vestiging_ids=[recognition.vestiging_id], opleiding=recognition.opleiding)
    data = request.POST if request.method == "POST" else None
    form = VisitRecordForm(
        data, visit=visit, today=today, initial={"visited_on": min(visit.planned_on, today)}
    )
    offers = OfferForm(
        data, fiches=fiches, current={key: entry for (_v, key), entry in current.items()}
    )
    if data is not None and form.is_valid() and offers.is_valid():
        try:
            services.visit_record(
                actor=request.user,
                visit=visit,
                visited_on=form.cleaned_data["visited_on"],
                checks=form.checks(),
                activities={fiche.key: (offer, note) for fiche, offer, note in offers.values()},
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request,
                _("The visit is recorded; the activiteitenlijst of %(vestiging)s is updated.")
                % {"vestiging": recognition.vestiging},
            )
            return redirect(_detail_url(recognition))
    return render(
        request,
        "recognition/consultant/visit_record.html",
        {"recognition": recognition, "visit": visit, "form": form, "offers": offers},
        status=400 if form.errors or offers.errors else 200,
    )


def _decided(form: DecideForm, recognition: Recognition) -> str:
    if form.recognised:
        return _("%(vestiging)s is recognised for %(opleiding)s until %(until)s.") % {
            "vestiging": recognition.vestiging,
            "opleiding": recognition.opleiding,
            "until": _short(recognition.valid_until),
        }
    return _("The recognition is refused. The company may appeal within 10 days.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _recognition(request, recognition_id)
    form = DecideForm(request.POST if confirmed(request) else None)
    return _act(
        request,
        recognition,
        form=form,
        act=lambda: services.recognition_decide(
            actor=request.user,
            recognition=recognition,
            recognised=form.recognised,
            reason=form.cleaned_data["refusal_reason"],
        ),
        success=lambda: _decided(form, recognition),
        title=_("Decide on the appeal")
        if recognition.status == S.APPEAL
        else _("Decide on the request"),
        url_name="recognition:consultant_decide",
        consequences=_consequences_decide(recognition),
        confirm_label=_("Record the decision"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    """Register an appeal the company sent to the sector body (letter or e-mail)."""
    recognition = _recognition(request, recognition_id)
    today = timezone.localdate()
    form = AppealForm(
        request.POST if confirmed(request) else None, today=today, initial={"appealed_on": today}
    )
    return _act(
        request,
        recognition,
        form=form,
        act=lambda: services.recognition_appeal(
            actor=request.user,
            recognition=recognition,
            reason=form.cleaned_data["appeal_reason"],
            on=form.cleaned_data["appealed_on"],
        ),
        success=lambda: (
            _("The appeal is registered. The new decision is due by %(due)s.")
            % {"due": _short(recognition.decision_due)}
        ),
        title=_("Register an appeal"),
        url_name="recognition:consultant_appeal",
        consequences=_consequences_appeal(recognition),
        confirm_label=_("Register the appeal"),
    )


urlpatterns: list[URLPattern] = [
    path("recognitions/inbox/", inbox, name="consultant_inbox"),
    path("recognitions/inbox/<uuid:recognition_id>/", detail, name="consultant_detail"),
    path(
        "recognitions/inbox/<uuid:recognition_id>/complete/",
        complete,
        name="consultant_complete",
    ),
    path(
        "recognitions/inbox/<uuid:recognition_id>/visit/",
        visit_plan,
        name="consultant_visit_plan",
    ),
    path(
        "recognitions/inbox/<uuid:recognition_id>/visit/report/",
        visit_record,
        name="consultant_visit_record",
    ),
    path(
        "recognitions/inbox/<uuid:recognition_id>/decision/",
        decide,
        name="consultant_decide",
    ),
    path(
        "recognitions/inbox/<uuid:recognition_id>/appeal/",
        appeal,
        name="consultant_appeal",
    ),
]
