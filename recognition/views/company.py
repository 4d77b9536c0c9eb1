"""Recognition screens: the company's side (and a school filing for a company with a mandate).

* ``mentor_profile`` — the company's coördinator (or administrator) records a mentor's profile
  (birth date, experience, the check of the criminal record extract, the mentor training) and
  sees the live eligibility; the mentor reads their own. ``mentor_profile_file`` serves a proof.
* ``company_requests`` — a company's requests (per vestiging × opleiding), or those a school
  filed; ``company_request_create`` files a new one (a school: for a partner company, with the
  mandate and the sworn statement).
* ``company_request_detail`` with its actions: change the mentors, submit (routed to the
  sector body), withdraw (a confirmation page), appeal within 10 days of a refusal;
  ``company_request_file`` serves the mandate and the sworn statement.

Access is decided in ``partnerships.permissions`` (section "Recognition — company side");
every change goes through ``recognition.services``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from duaal.forms import errors_onto
from organisations.models import Organisation, OrganisationKind
from partnerships import permissions
from partnerships.views.confirm import confirmed
from recognition import services
from recognition.forms.company import (
    CompanyPickForm,
    MandatedRecognitionCreateForm,
    MentorProfileForm,
    ReasonForm,
    RecognitionCreateForm,
    RecognitionMentorsForm,
)
from recognition.models import (
    APPEAL_DAYS,
    MENTORS_EDITABLE,
    PENDING_STATUSES,
    REQUEST_FILE_SLUGS,
    MentorProfile,
    Recognition,
    RecognitionStatus,
)
from recognition.selectors import Unmet, mentor_eligibilities, mentor_eligibility

S = RecognitionStatus
REQUESTS_PER_PAGE = 25
# URL slug → file field: the name a download is asked for by.
PROFILE_FILE_SLUGS = {
    "vooropleiding": "prior_education_proof",
    "vrijstelling": "experience_exemption_proof",
    "getuigschrift": "training_certificate",
}


def _attachment(file: FieldFile) -> FileResponse:
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response


# --- the mentor profile ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mentor_profile(
    request: HttpRequest, organisation_id: uuid.UUID, mentor_id: uuid.UUID
) -> HttpResponse:
    company, mentor, may_edit = permissions.get_mentor_profile_for_user(
        user=request.user,
        organisation_id=organisation_id,
        mentor_id=mentor_id,
        edit=request.method == "POST",
    )
    profile = MentorProfile.objects.select_related("extract_checked_by").filter(user=mentor).first()
    form = MentorProfileForm.for_profile(profile) if may_edit else None
    status = 200
    if request.method == "POST":
        form = MentorProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.mentor_profile_update(
                    actor=request.user, mentor=mentor, data=form.profile_data()
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(
                    request,
                    _("The mentor profile of %(person)s is saved.")
                    % {"person": mentor.full_name or mentor.email},
                )
                return redirect(request.path)
        status = 400
    return render(
        request,
        "recognition/company/mentor_profile.html",
        {
            "company": company,
            "mentor": mentor,
            "profile": profile,
            "form": form,
            "may_edit": may_edit,
            "unmet": mentor_eligibility(mentor, on=timezone.localdate()),
            "files": _profile_files(profile),
        },
        status=status,
    )


def _profile_files(profile: MentorProfile | None) -> dict[str, str]:
    """{field name: URL slug} of the proofs the profile holds."""
    if profile is None:
        return {}
    return {field: slug for slug, field in PROFILE_FILE_SLUGS.items() if getattr(profile, field)}


@login_required
@require_http_methods(["GET", "HEAD"])
def mentor_profile_file(
    request: HttpRequest, organisation_id: uuid.UUID, mentor_id: uuid.UUID, kind: str
) -> FileResponse:
    _company, mentor, _may_edit = permissions.get_mentor_profile_for_user(
        user=request.user, organisation_id=organisation_id, mentor_id=mentor_id, edit=False
    )
    field = PROFILE_FILE_SLUGS.get(kind)
    profile = MentorProfile.objects.filter(user=mentor).first()
    if field is None or profile is None:
        raise Http404
    return _attachment(getattr(profile, field))


# --- the requests ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def company_requests(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = permissions.get_organisation_for_recognitions(
        user=request.user, organisation_id=organisation_id
    )
    organisation = membership.organisation
    is_company = organisation.kind == OrganisationKind.COMPANY
    rows = (
        permissions.recognitions_visible_to(user=request.user)
        .filter(**{"company" if is_company else "filed_by_school": organisation})
        .select_related("company", "vestiging", "opleiding", "sector_body")
        .order_by("vestiging__name", "opleiding__name", "-created_at")
    )
    page = Paginator(rows, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    may_file = (
        permissions.may_file_recognition(user=request.user, company=organisation)
        if is_company
        else membership.is_admin
    )
    return render(
        request,
        "recognition/company/request_list.html",
        {
            "organisation": organisation,
            "is_company": is_company,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "may_file": may_file,
            "may_edit_listing": is_company
            and permissions.companies_listing_editable_by(user=request.user)
            .filter(pk=organisation.pk)
            .exists(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_request_create(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = permissions.get_organisation_for_recognitions(
        user=request.user, organisation_id=organisation_id
    )
    organisation = membership.organisation
    school: Organisation | None = None
    if organisation.kind == OrganisationKind.COMPANY:
        company = organisation
    else:
        school = organisation
        if not membership.is_admin:
            raise PermissionDenied
        companies = permissions.companies_school_may_file_for(school=school)
        pick = CompanyPickForm(request.GET or None, companies=companies)
        if not pick.is_valid():
            return render(
                request,
                "recognition/company/company_pick.html",
                {"organisation": school, "form": pick},
                status=400 if request.GET else 200,
            )
        company = pick.cleaned_data["company"]
    if not permissions.may_file_recognition(user=request.user, company=company, school=school):
        raise PermissionDenied
    form_class = RecognitionCreateForm if school is None else MandatedRecognitionCreateForm
    form = form_class(
        request.POST or None, request.FILES or None, company=company, statuses=_statuses(company)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recognition = services.recognition_create(
                actor=request.user,
                company=company,
                vestiging=data["vestiging"],
                opleiding=data["opleiding"],
                ondernemingsnummer=data["ondernemingsnummer"],
                vestigingsnummer=data["vestigingsnummer"],
                mentors=data["mentors"],
                filed_by_school=school,
                mandate=data.get("mandate"),
                sworn_statement=data.get("sworn_statement"),
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("The request is saved as a draft. Check it, then submit it."),
            )
            return redirect("recognition:company_request_detail", recognition.public_id)
    return render(
        request,
        "recognition/company/request_form.html",
        {
            "organisation": organisation,
            "company": company,
            "school": school,
            "form": form,
            "recognition": None,
        },
        status=400 if request.method == "POST" else 200,
    )


def _statuses(company: Organisation) -> dict[int, list[Unmet]]:
    people = User.objects.filter(memberships__organisation=company)
    return mentor_eligibilities(people, on=timezone.localdate())


def _request(
    request: HttpRequest, recognition_id: uuid.UUID, *, manage: bool = False
) -> Recognition:
    recognition = permissions.get_recognition_for_user(
        user=request.user, public_id=recognition_id, manage=manage
    )
    assert isinstance(recognition, Recognition)
    return recognition


def _appeal_until(recognition: Recognition) -> Any:
    if recognition.status == S.REFUSED and recognition.decided_on:
        return recognition.decided_on + timedelta(days=APPEAL_DAYS)
    return None


@login_required
@require_http_methods(["GET", "HEAD"])
def company_request_detail(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _request(request, recognition_id)
    today = timezone.localdate()
    mentors = list(recognition.mentors.order_by("full_name", "email"))
    # Against this request (as the consultant's page does): the extract must be at most a
    # year older than its submission, or than today while it is a concept.
    statuses = {
        mentor.pk: mentor_eligibility(
            mentor, on=today, requested_on=recognition.submitted_on or today
        )
        for mentor in mentors
    }
    may_manage = permissions.may_manage_recognition(user=request.user, recognition=recognition)
    appeal_until = _appeal_until(recognition)
    return render(
        request,
        "recognition/company/request_detail.html",
        {
            "recognition": recognition,
            "mentors": [(mentor, statuses.get(mentor.pk, [])) for mentor in mentors],
            "may_manage": may_manage,
            "may_read_files": permissions.may_read_recognition_files(
                user=request.user, recognition=recognition
            ),
            "may_edit_mentors": may_manage and recognition.status in MENTORS_EDITABLE,
            "may_submit": may_manage and recognition.status == S.CONCEPT,
            "may_withdraw": may_manage and recognition.status in (*PENDING_STATUSES, S.RECOGNISED),
            "may_appeal": may_manage and appeal_until is not None and today <= appeal_until,
            "appeal_until": appeal_until,
            "list_organisation": _list_organisation(request, recognition),
            "today": today,
        },
    )


def _list_organisation(request: HttpRequest, recognition: Recognition) -> Organisation | None:
    """Where the breadcrumb leads back to: the company's list for its people, the school's for
    the school that filed it, none for the sector body."""
    member_of = set(request.user.memberships.values_list("organisation_id", flat=True))
    if recognition.company_id in member_of:
        return recognition.company
    if recognition.filed_by_school_id in member_of:
        return recognition.filed_by_school
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_request_mentors(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _request(request, recognition_id, manage=True)
    detail = reverse("recognition:company_request_detail", args=[recognition.public_id])
    if recognition.status not in MENTORS_EDITABLE:
        messages.error(
            request,
            _("The mentors of a request that is %(status)s cannot change.")
            % {"status": recognition.get_status_display().lower()},
        )
        return redirect(detail)
    form = RecognitionMentorsForm(
        request.POST or None,
        company=recognition.company,
        statuses=_statuses(recognition.company),
        initial={"mentors": list(recognition.mentors.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_set_mentors(
                actor=request.user, recognition=recognition, mentors=form.cleaned_data["mentors"]
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The mentors of the request are saved."))
            return redirect(detail)
    return render(
        request,
        "recognition/company/request_form.html",
        {
            "organisation": recognition.company,
            "company": recognition.company,
            "form": form,
            "recognition": recognition,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_request_submit(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    """GET: what submitting does; POST with ``confirm=yes``: submit (routed by the service)."""
    recognition = _request(request, recognition_id, manage=True)
    detail = reverse("recognition:company_request_detail", args=[recognition.public_id])
    errors: list[str] = []
    if confirmed(request):
        try:
            services.recognition_submit(actor=request.user, recognition=recognition)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The request is submitted to the sector."))
            return redirect(detail)
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Submit the request for %(opleiding)s?")
            % {"opleiding": recognition.opleiding},
            "back_url": detail,
            "confirm_template": "recognition/company/confirm_submit.html",
            "recognition": recognition,
            "errors": errors,
            "can_confirm": recognition.status == S.CONCEPT,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_request_withdraw(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    """GET: what withdrawing does, with the reason to give; POST with ``confirm=yes``."""
    recognition = _request(request, recognition_id, manage=True)
    detail = reverse("recognition:company_request_detail", args=[recognition.public_id])
    form = ReasonForm(
        request.POST if confirmed(request) else None,
        label=_("Why do you withdraw it?"),
        help_text=_("The sector body reads this reason."),
    )
    if confirmed(request) and form.is_valid():
        try:
            services.recognition_withdraw(
                actor=request.user, recognition=recognition, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The request is withdrawn."))
            return redirect(detail)
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Withdraw the request for %(opleiding)s?")
            % {"opleiding": recognition.opleiding}
            if recognition.status != S.RECOGNISED
            else _("Give up the recognition for %(opleiding)s?")
            % {"opleiding": recognition.opleiding},
            "back_url": detail,
            "confirm_template": "recognition/company/confirm_withdraw.html",
            "recognition": recognition,
            "form": form,
            "can_confirm": recognition.status in (*PENDING_STATUSES, S.RECOGNISED),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_request_appeal(request: HttpRequest, recognition_id: uuid.UUID) -> HttpResponse:
    recognition = _request(request, recognition_id, manage=True)
    detail = reverse("recognition:company_request_detail", args=[recognition.public_id])
    form = ReasonForm(
        request.POST or None,
        label=_("Reason for the appeal"),
        help_text=_("Say why the refusal should be reconsidered; the sector body decides again."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_appeal(
                actor=request.user, recognition=recognition, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Your appeal is submitted."))
            return redirect(detail)
    appeal_until = _appeal_until(recognition)
    return render(
        request,
        "recognition/company/request_appeal.html",
        {
            "recognition": recognition,
            "form": form,
            "appeal_until": appeal_until,
            "open": appeal_until is not None and timezone.localdate() <= appeal_until,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def company_request_file(
    request: HttpRequest, recognition_id: uuid.UUID, kind: str
) -> FileResponse:
    recognition = _request(request, recognition_id)
    if not permissions.may_read_recognition_files(user=request.user, recognition=recognition):
        raise PermissionDenied
    field = REQUEST_FILE_SLUGS.get(kind)
    if field is None:
        raise Http404
    return _attachment(getattr(recognition, field))


urlpatterns: list[URLPattern] = [
    path(
        "organisations/<uuid:organisation_id>/mentors/<uuid:mentor_id>/profile/",
        mentor_profile,
        name="mentor_profile",
    ),
    path(
        "organisations/<uuid:organisation_id>/mentors/<uuid:mentor_id>/profile/<slug:kind>/",
        mentor_profile_file,
        name="mentor_profile_file",
    ),
    path(
        "organisations/<uuid:organisation_id>/recognitions/",
        company_requests,
        name="company_requests",
    ),
    path(
        "organisations/<uuid:organisation_id>/recognitions/new/",
        company_request_create,
        name="company_request_create",
    ),
    path(
        "recognitions/requests/<uuid:recognition_id>/",
        company_request_detail,
        name="company_request_detail",
    ),
    path(
        "recognitions/requests/<uuid:recognition_id>/mentors/",
        company_request_mentors,
        name="company_request_mentors",
    ),
    path(
        "recognitions/requests/<uuid:recognition_id>/submit/",
        company_request_submit,
        name="company_request_submit",
    ),
    path(
        "recognitions/requests/<uuid:recognition_id>/withdraw/",
        company_request_withdraw,
        name="company_request_withdraw",
    ),
    path(
        "recognitions/requests/<uuid:recognition_id>/appeal/",
        company_request_appeal,
        name="company_request_appeal",
    ),
    path(
        "recognitions/requests/<uuid:recognition_id>/files/<slug:kind>/",
        company_request_file,
        name="company_request_file",
    ),
]
