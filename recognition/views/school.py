"""Recognition screens: the school's side (issue 12 items 6 and 7).

* ``recognition:partner_search`` — a school's administrator finds companies for an opleiding
  near a postcode: recognised for it today or interested in it, findable, sorted by distance,
  with their mentors' free places (``partnerships.selectors.partner_search``).
* ``recognition:partner_listing`` — a company's administrator sets whether the company may be
  found and which opleidingen interest it.
* ``recognition:programmatie_list`` / ``programmatie_create`` / ``programmatie_detail`` /
  ``programmatie_step`` — the school's programmatie requests with their deadlines
  (``recognition.programmatie``).

Every access question is asked of ``partnerships.permissions`` (section "recognition — school
side"); every change goes through a service that writes the audit trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duaal.forms import errors_onto
from partnerships import permissions
from partnerships.selectors.partner_search import find_partners
from recognition import interests, programmatie
from recognition.forms.school import (
    AnswerForm,
    LapseForm,
    ListingForm,
    PartnerSearchForm,
    ProgrammatieForm,
    StartForm,
)
from recognition.models import Programmatie, ProgrammatieStatus

SEARCH_FIELDS = ("opleiding", "postcode", "only_free")


# --- partner search ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def partner_search(request: HttpRequest) -> HttpResponse:
    if not permissions.may_search_partners(user=request.user):
        raise PermissionDenied
    searched = any(name in request.GET for name in SEARCH_FIELDS)
    form = PartnerSearchForm(request.GET if searched else None)
    hits = None
    if searched and form.is_valid():
        hits = find_partners(
            opleiding=form.cleaned_data["opleiding"],
            postcode=form.cleaned_data["postcode"],
            today=timezone.localdate(),
            only_free=form.cleaned_data["only_free"],
        )
    return render(
        request,
        "recognition/school/partner_search.html",
        {"form": form, "hits": hits, "searched": searched},
        status=400 if searched and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_listing(request: HttpRequest, company_id: uuid.UUID) -> HttpResponse:
    company = permissions.get_company_for_listing(user=request.user, public_id=company_id)
    current = interests.interests_of(company)
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            interests.listing_update(
                actor=request.user,
                company=company,
                findable=form.cleaned_data["findable"],
                opleidingen=form.cleaned_data["opleidingen"],
            )
            messages.success(request, _("Your listing in the partner search is saved."))
            return redirect(request.path)
    else:
        form = ListingForm(initial={"findable": company.findable, "opleidingen": current})
    return render(
        request,
        "recognition/school/partner_listing.html",
        {"company": company, "form": form, "interests": current},
        status=400 if form.errors else 200,
    )


# --- programmatie -----------------------------------------------------------------------------


def _row(item: Programmatie, *, today: Any) -> dict[str, Any]:
    return {
        "item": item,
        "warning": programmatie.deadline_warning(item, today=today),
        "submit_deadline": programmatie.submit_deadline(item.school_year),
        "first_student_deadline": programmatie.first_student_deadline(item.school_year),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def programmatie_list(request: HttpRequest) -> HttpResponse:
    schools = permissions.programmatie_schools(user=request.user)
    if not schools.exists():
        raise PermissionDenied
    today = timezone.localdate()
    items = permissions.programmaties_visible_to(user=request.user).select_related(
        "school", "opleiding"
    )
    rows = [_row(item, today=today) for item in items]
    open_rows = [row for row in rows if row["item"].status in ACTIVE]
    closed_rows = [row for row in rows if row["item"].status not in ACTIVE]
    first = programmatie.first_open_school_year(today)
    return render(
        request,
        "recognition/school/programmatie_list.html",
        {
            "open_rows": open_rows,
            "closed_rows": closed_rows,
            "may_create": permissions.schools_managing_programmatie(user=request.user).exists(),
            "first_year": programmatie.school_year_label(first),
            "first_deadline": programmatie.submit_deadline(first),
        },
    )


ACTIVE = (
    ProgrammatieStatus.CONCEPT,
    ProgrammatieStatus.SUBMITTED,
    ProgrammatieStatus.APPROVED,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def programmatie_create(request: HttpRequest) -> HttpResponse:
    schools = permissions.schools_managing_programmatie(user=request.user)
    if not schools.exists():
        raise PermissionDenied
    today = timezone.localdate()
    form = ProgrammatieForm(
        request.POST if request.method == "POST" else None, schools=schools, today=today
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = programmatie.programmatie_create(
                actor=request.user,
                school=form.cleaned_data["school"],
                opleiding=form.cleaned_data["opleiding"],
                school_year=form.cleaned_data["school_year"],
                today=today,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("The draft request is saved. Submit it by %(date)s.")
                % {"date": programmatie.long_date(programmatie.submit_deadline(item.school_year))},
            )
            return redirect("recognition:programmatie_detail", item.public_id)
    return render(
        request,
        "recognition/school/programmatie_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, item: Programmatie, *, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    today = timezone.localdate()
    may_manage = permissions.may_manage_programmatie(user=request.user, programmatie=item)
    context: dict[str, Any] = {
        **_row(item, today=today),
        "may_manage": may_manage,
        "answer_form": forms_.get("answer") or AnswerForm(initial={"answered_on": today}),
        "start_form": forms_.get("start") or StartForm(initial={"started_on": today}),
        "lapse_form": forms_.get("lapse") or LapseForm(),
        "S": ProgrammatieStatus,
    }
    return render(request, "recognition/school/programmatie_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def programmatie_detail(request: HttpRequest, programmatie_id: uuid.UUID) -> HttpResponse:
    item = permissions.get_programmatie_for_user(user=request.user, public_id=programmatie_id)
    return _detail(request, item)


STEPS = ("submit", "answer", "start", "lapse")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def programmatie_step(request: HttpRequest, programmatie_id: uuid.UUID, step: str) -> HttpResponse:
    """One step of the request (POST); a GET (a reloaded form) shows the request's page."""
    if step not in STEPS:
        raise Http404
    item = permissions.get_programmatie_for_user(
        user=request.user, public_id=programmatie_id, manage=request.method == "POST"
    )
    if request.method != "POST":
        return _detail(request, item)
    today = timezone.localdate()
    form: forms.Form | None = None
    try:
        if step == "submit":
            programmatie.programmatie_submit(actor=request.user, programmatie=item, on=today)
            done = _("The request is submitted. The answer is expected within four months.")
        elif step == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                return _detail(request, item, status=400, answer=form)
            programmatie.programmatie_answer(
                actor=request.user,
                programmatie=item,
                approved=form.cleaned_data["decision"] == "approved",
                on=form.cleaned_data["answered_on"],
                reason=form.cleaned_data["reason"],
            )
            done = _("The answer is recorded.")
        elif step == "start":
            form = StartForm(request.POST)
            if not form.is_valid():
                return _detail(request, item, status=400, start=form)
            if form.cleaned_data["started_on"] > today:
                form.add_error("started_on", _("Record the first student once they started."))
                return _detail(request, item, status=400, start=form)
            programmatie.programmatie_start(
                actor=request.user, programmatie=item, on=form.cleaned_data["started_on"]
            )
            done = _("The programmatie has started.")
        else:
            form = LapseForm(request.POST)
            if not form.is_valid():
                return _detail(request, item, status=400, lapse=form)
            programmatie.programmatie_lapse(
                actor=request.user, programmatie=item, on=today, reason=form.cleaned_data["reason"]
            )
            done = _("The request is marked as lapsed.")
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("recognition:programmatie_detail", item.public_id)
        errors_onto(form, error)
        item.refresh_from_db()
        return _detail(request, item, status=400, **{step: form})
    messages.success(request, done)
    return redirect(reverse("recognition:programmatie_detail", args=[item.public_id]))


urlpatterns: list[URLPattern] = [
    path("recognition/partners/", partner_search, name="partner_search"),
    path(
        "recognition/companies/<uuid:company_id>/listing/",
        partner_listing,
        name="partner_listing",
    ),
    path("recognition/programmatie/", programmatie_list, name="programmatie_list"),
    path("recognition/programmatie/new/", programmatie_create, name="programmatie_create"),
    path(
        "recognition/programmatie/<uuid:programmatie_id>/",
        programmatie_detail,
        name="programmatie_detail",
    ),
    path(
        "recognition/programmatie/<uuid:programmatie_id>/<slug:step>/",
        programmatie_step,
        name="programmatie_step",
    ),
]
