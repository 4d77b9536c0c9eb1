"""Students, trajects, placements, the CSV import and the company's overview of its students.

Each view: fetch and authorise (``permissions`` / ``selectors.trajects``) -> form -> service ->
render or redirect. 404 for what the user may not see, 403 for what their role may not do.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from partnerships import permissions
from partnerships.audit import HistoryItem
from partnerships.forms.trajects import (
    KlassenraadForm,
    PlacementForm,
    StudentContactForm,
    StudentForm,
    StudentImportForm,
    TrajectCreateForm,
    TrajectEditForm,
    TrajectFilterForm,
    add_service_errors,
)
from partnerships.models import (
    ENDED_TRAJECT_STATUSES,
    Placement,
    SchoolClass,
    StudentImport,
    StudentImportStatus,
    TeamRole,
    Traject,
    TrajectStatus,
)
from partnerships.selectors import history as history_selectors
from partnerships.selectors import removals as removal_selectors
from partnerships.selectors import trajects as selectors
from partnerships.selectors.mentors import mentor_max_students, with_mentor_load
from partnerships.services import imports as import_services
from partnerships.services import trajects as services
from partnerships.views.confirm import confirmed
from recognition.selectors import mentor_eligibilities

TRAJECTS_PER_PAGE = 25
COMPANY_PLACEMENTS_PER_PAGE = 50
IMPORT_ROWS_PER_PAGE = 100


def _form_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap asks for the region only; a history restore (cache miss) needs the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


# --- trajects --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
@vary_on_headers("HX-Request")
def traject_list(request: HttpRequest) -> HttpResponse:
    options = selectors.traject_filter_options(user=request.user)
    form = TrajectFilterForm(request.GET, options=options)
    filters = form.filters()
    paginator = Paginator(
        selectors.traject_list(user=request.user, filters=filters), TRAJECTS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    selectors.attach_current_placements(page.object_list)
    rows = traject_list_rows(page.object_list)
    template = "partnerships/traject_list.html"
    if _wants_fragment(request):
        template += "#traject-results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "page_range": paginator.get_elided_page_range(page.number),
        },
    )


def history_entries(items: list[HistoryItem]) -> list[SafeString]:
    """The history's entries (``<li>``) as the traject page shows them, built here rather than
    in the template: a traject keeps the newest 50, each with its changes, and the template
    language spent a third of the page's time on them (decision 0022). Every value is escaped;
    the markup is the template's, whitespace included."""
    becomes = escape(_("becomes"))
    entries = []
    for item in items:
        at = timezone.template_localtime(item.at)
        what = f"<strong>{escape(item.action_label)}</strong>"
        if item.object_label:
            what += ": " + escape(item.object_label)
        who = escape(item.actor)
        if item.organisation:
            who += f" ({escape(item.organisation)})"
        changes = ""
        if item.changes:
            changes = (
                '\n              <dl class="history__changes">\n                '
                + "".join(
                    f'\n                  <div data-testid="history-change" '
                    f'data-field="{escape(change.field)}">\n'
                    f"                    <dt>{escape(capfirst(change.label))}</dt>\n"
                    f'                    <dd><span class="history__old" data-testid="history-old">'
                    f'{escape(change.old)}</span> <span aria-hidden="true">→</span>'
                    f'<span class="visually-hidden">{becomes}</span> <span class="history__new" '
                    f'data-testid="history-new">{escape(change.new)}</span></dd>\n'
                    "                  </div>\n                "
                    for change in item.changes
                )
                + "\n              </dl>\n            "
            )
        entries.append(
            mark_safe(  # noqa: S308 - every value above is escaped
                f'\n          <li class="history__item" data-testid="history-entry" '
                f'data-action="{escape(item.action)}">\n'
                f'            <p class="history__what">{what}</p>\n'
                f'            <p class="history__who muted"><time datetime="'
                f'{at.isoformat()}">{escape(date_filter(at, "SHORT_DATETIME_FORMAT"))}'
                f"</time> · {who}</p>\n            {changes}\n          </li>\n        "
            )
        )
    return entries


def traject_list_rows(trajects: list[Traject]) -> SafeString:
    """The students list's rows (a page of 20), built here rather than in the template: the
    template language spent about a third of the page on them (decision 0022). Each row: the
    student (link, stamnummer), class, school, partnership, opleiding, school year, the current
    placement's company and mentors (``attach_current_placements``), status."""
    labels = [
        _("Student"),
        _("Class"),
        _("School"),
        _("Partnership"),
        _("Opleiding"),
        _("School year"),
        _("Company and mentor"),
        _("Status"),
    ]
    no_placement = format_html('<span class="muted">{}</span>', _("No placement yet"))
    rows = []
    for traject in trajects:
        student, partnership = traject.student, traject.partnership
        placement = traject.current_placement  # type: ignore[attr-defined]
        if placement is None:
            company = no_placement
        else:
            company = format_html(
                "{}{}",
                placement.company.name,
                format_html_join(
                    "",
                    '<br><span class="muted">{}</span>',
                    (
                        (supervisor.user.full_name or supervisor.user.email,)
                        for supervisor in placement.supervisors.all()
                        if supervisor.kind == TeamRole.MENTOR
                    ),
                ),
            )
        cells = [
            format_html(
                '<a href="{}">{} {}</a>{}',
                reverse("partnerships:traject_detail", args=[traject.public_id]),
                student.last_name,
                student.first_name,
                format_html('<br><span class="muted">{}</span>', student.stamnummer)
                if student.stamnummer
                else "",
            ),
            student.school_class.name if student.school_class else "",
            partnership.school.name,
            partnership.name,
            partnership.opleiding.name,
            partnership.school_year_label,
            company,
            traject.get_status_display(),
        ]
        rows.append(
            format_html(
                '<tr data-testid="traject-row">{}</tr>',
                format_html_join(
                    "", '<td data-label="{}">{}</td>', zip(labels, cells, strict=True)
                ),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every row built by format_html


@login_required
@require_http_methods(["GET", "HEAD"])
def traject_detail(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, with_partnership_perms=True
    )
    return render_traject_detail(request, traject)


def render_traject_detail(
    request: HttpRequest,
    traject: Traject,
    *,
    contact_form: StudentContactForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The traject page; the account actions re-render it with their form or errors (400)."""
    student = traject.student
    on_partnership = getattr(traject, "partnership_perms", None)
    if on_partnership is None:
        on_partnership = permissions.partnership_permissions(
            user=request.user, partnership=traject.partnership
        )
    can_manage_accounts = permissions.CREATE_TRAJECTS in on_partnership
    invitations = selectors.open_account_invitations(student=student)
    contacts = selectors.student_contacts(student=student, invitations=invitations)
    show_internal = permissions.may_see_internal_text(user=request.user, traject=traject)
    placements = selectors.traject_placements(traject=traject)
    if permissions.MANAGE_PLACEMENTS in traject.user_perms:
        for placement in placements:
            placement.delete_consequences = removal_selectors.placement_delete_consequences(
                placement=placement, traject=traject, placements=placements
            )
    minor = selectors.is_minor(birth_date=student.birth_date)
    history = history_selectors.traject_history(traject=traject, internal=show_internal)
    # Subject access (partnerships/views/privacy.py): the school's student managers, the
    # adult student, the parents of a minor (permissions.get_student_for_export decides).
    is_parent = any(getattr(contact, "user_id", None) == request.user.pk for contact in contacts)
    may_export_data = (
        can_manage_accounts
        or (student.user_id == request.user.pk and not minor)
        or (is_parent and minor)
    )
    return render(
        request,
        "partnerships/traject_detail.html",
        {
            "may_export_data": may_export_data,
            "show_internal": show_internal,
            "traject": traject,
            "student": student,
            "is_minor": minor,
            "contacts": contacts,
            "team": selectors.team_with_role_labels(partnership=traject.partnership),
            "placements": placements,
            "today": timezone.localdate(),
            "can_manage_accounts": can_manage_accounts,
            "student_invitation": invitations.get(None),
            "contact_form": (contact_form or StudentContactForm()) if can_manage_accounts else None,
            "account_errors": errors or [],
            "history": history,
            "history_entries": history_entries(history.items),
            "traject_delete_consequences": removal_selectors.traject_delete_consequences(
                traject=traject, placements=placements
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def traject_edit(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user,
        public_id=traject_id,
        perm=(permissions.CHANGE_INTAKE, permissions.CHANGE_STATUS),
    )
    # Screening: R and A record the intake, only the A decides the status.
    fields = tuple(
        name
        for name, perm in TrajectEditForm.FIELD_PERMISSIONS.items()
        if perm in traject.user_perms
    )
    return _traject_form(
        request,
        traject,
        form_class=TrajectEditForm,
        fields=fields,
        template="partnerships/traject_edit.html",
        saved=_("The traject was saved."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def traject_klassenraad(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.CHANGE_KLASSENRAAD
    )
    return _traject_form(
        request,
        traject,
        form_class=KlassenraadForm,
        fields=("klassenraad_advice",),
        template="partnerships/traject_klassenraad.html",
        saved=_("The advice of the klassenraad was saved."),
    )


def _traject_form(
    request: HttpRequest,
    traject: Traject,
    *,
    form_class: type,
    fields: tuple[str, ...],
    template: str,
    saved: str,
) -> HttpResponse:
    """Edit ``fields`` of an authorised traject with ``traject_update`` (other fields of the
    form are left out, so a post cannot change them).

    A status that ends the traject is confirmed first: the valid form, without ``confirm=yes``,
    shows the confirmation page with the values carried along.
    """
    form = form_class(
        _form_data(request), initial={name: getattr(traject, name) for name in fields}
    )
    for name in [name for name in form.fields if name not in fields]:
        del form.fields[name]
    if request.method == "POST" and form.is_valid():
        ending = (
            "status" in form.cleaned_data
            and form.cleaned_data["status"] in ENDED_TRAJECT_STATUSES
            and form.cleaned_data["status"] != traject.status
        )
        if ending and not confirmed(request):
            return render(
                request,
                "partnerships/confirm_page.html",
                {
                    "title": _("End the traject of %(name)s?")
                    % {"name": traject.student.full_name},
                    "back_url": reverse("partnerships:traject_edit", args=[traject.public_id]),
                    "confirm_template": "partnerships/confirm/traject_end.html",
                    "traject": traject,
                    "form": form,
                    "consequences": removal_selectors.traject_end_consequences(
                        traject=traject, status=form.cleaned_data["status"]
                    ),
                },
            )
        try:
            services.traject_update(actor=request.user, traject=traject, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("partnerships:traject_detail", traject_id=traject.public_id)
    return render(request, template, {"traject": traject, "form": form}, status=_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def traject_delete(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: delete (``views.confirm``)."""
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.DELETE_TRAJECT
    )
    name = traject.student.full_name
    if confirmed(request):
        services.traject_delete(actor=request.user, traject=traject)
        messages.success(request, _("The traject of %(name)s was deleted.") % {"name": name})
        return redirect("partnerships:traject_list")
    placements = list(traject.placements.all())
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Delete the traject of %(name)s?") % {"name": name},
            "back_url": reverse("partnerships:traject_detail", args=[traject.public_id]),
            "confirm_template": "partnerships/confirm/traject_delete.html",
            "traject": traject,
            "traject_delete_consequences": removal_selectors.traject_delete_consequences(
                traject=traject, placements=placements
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def traject_create(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_enrolment(
        user=request.user, public_id=partnership_id
    )
    q = selectors.clean_search(request.GET.get("q"))
    candidates, more = selectors.traject_student_candidates(partnership=partnership, q=q)
    form = TrajectCreateForm(
        _form_data(request),
        students=selectors.students_without_traject(partnership=partnership),
        shown=candidates,
    )
    if request.method == "POST" and form.is_valid():
        try:
            traject = services.traject_create(
                actor=request.user,
                partnership=partnership,
                student=form.cleaned_data["student"],
                intake_notes=form.cleaned_data["intake_notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The traject was started."))
            return redirect("partnerships:traject_detail", traject_id=traject.public_id)
    return render(
        request,
        "partnerships/traject_create.html",
        {
            "partnership": partnership,
            "form": form,
            "q": q,
            "candidates": candidates,
            "more_candidates": more,
            "picker_limit": selectors.STUDENT_PICKER_LIMIT,
            "any_student": bool(candidates)
            or selectors.students_without_traject(partnership=partnership).exists(),
        },
        status=_status(form),
    )


# --- placements ------------------------------------------------------------------------------


def _placement_form(request: HttpRequest, traject: Traject, **kwargs: Any) -> PlacementForm:
    return PlacementForm(
        _form_data(request),
        partnership=traject.partnership,
        mentor_candidates=with_mentor_load(
            selectors.placement_candidates(
                partnership=traject.partnership, roles=(TeamRole.MENTOR,)
            ),
            partnership=traject.partnership,
            on=timezone.localdate(),
        ),
        begeleider_candidates=selectors.placement_candidates(partnership=traject.partnership),
        **kwargs,
    )


def _placement_arguments(form: PlacementForm) -> dict[str, Any]:
    """The keyword arguments of ``placement_create`` / ``placement_update`` from the form."""
    data = form.cleaned_data
    return {
        "company": data["company_vestiging"].company,
        "vestiging": data["company_vestiging"].vestiging,
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "weekly_pattern": form.weekly_pattern(),
        "workplace_hours_per_week": data["workplace_hours_per_week"],
        "mentors": list(data["mentors"]),
        "begeleiders": list(data["begeleiders"]),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def placement_create(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.MANAGE_PLACEMENTS
    )
    # The weekdays default to the partnership's usual pattern (its most recent placement).
    form = _placement_form(
        request, traject, initial=selectors.usual_weekly_pattern(traject=traject)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_create(
                actor=request.user, traject=traject, **_placement_arguments(form)
            )
        except ValidationError as error:
            add_service_errors(form, error, {"vestiging": "company_vestiging"})
        else:
            if traject.status == TrajectStatus.INTAKE:
                messages.success(
                    request,
                    _(
                        "The placement was added. The traject stays in intake until its "
                        "contract with the company starts."
                    ),
                )
            else:
                messages.success(request, _("The placement was added."))
            return redirect("partnerships:traject_detail", traject_id=traject.public_id)
    return render(
        request,
        "partnerships/placement_create.html",
        {"traject": traject, "form": form},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def placement_edit(
    request: HttpRequest, traject_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.MANAGE_PLACEMENTS
    )
    placement = get_object_or_404(
        Placement.objects.select_related("company", "vestiging"),
        traject=traject,
        public_id=placement_id,
    )
    form = _placement_form(request, traject, initial=selectors.placement_initial(placement))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(
                actor=request.user, placement=placement, **_placement_arguments(form)
            )
        except ValidationError as error:
            add_service_errors(form, error, {"vestiging": "company_vestiging"})
        else:
            messages.success(request, _("The placement was saved."))
            return redirect("partnerships:traject_detail", traject_id=traject.public_id)
    return render(
        request,
        "partnerships/placement_create.html",
        {"traject": traject, "form": form, "placement": placement},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def placement_delete(
    request: HttpRequest, traject_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: delete (``views.confirm``)."""
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.MANAGE_PLACEMENTS
    )
    placement = get_object_or_404(
        Placement.objects.select_related("company"), traject=traject, public_id=placement_id
    )
    if confirmed(request):
        services.placement_delete(actor=request.user, placement=placement)
        messages.success(request, _("The placement was removed."))
        return redirect("partnerships:traject_detail", traject_id=traject.public_id)
    placement.traject = traject
    placement.delete_consequences = removal_selectors.placement_delete_consequences(
        placement=placement
    )
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Delete the placement at %(company)s?") % {"company": placement.company},
            "back_url": reverse("partnerships:traject_detail", args=[traject.public_id]),
            "confirm_template": "partnerships/confirm/placement_delete.html",
            "traject": traject,
            "placement": placement,
        },
    )


# --- students --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def student_create(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = permissions.get_school_for_student_manager(
        user=request.user, organisation_id=organisation_id
    )
    school = membership.organisation
    form = StudentForm(
        _form_data(request),
        classes=SchoolClass.objects.filter(school=school),
        partnerships=permissions.partnerships_of_school_with_permission(
            user=request.user, codename=permissions.CREATE_TRAJECTS, school=school
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            student, traject = services.student_enrol(
                actor=request.user,
                school=school,
                student_data={
                    key: data[key]
                    for key in (
                        "first_name",
                        "last_name",
                        "birth_date",
                        "school_class",
                        "stamnummer",
                        "email",
                    )
                },
                parent={
                    "full_name": data["parent_name"],
                    "relation": data["parent_relation"],
                    "email": data["parent_email"],
                    "phone": data["parent_phone"],
                }
                if data["parent_name"]
                else None,
                partnership=data["partnership"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": student.full_name})
            if traject is not None:
                return redirect("partnerships:traject_detail", traject_id=traject.public_id)
            return redirect("partnerships:student_create", organisation_id=school.public_id)
    return render(
        request,
        "partnerships/student_create.html",
        {"school": school, "form": form},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def student_import(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = permissions.get_school_for_student_manager(
        user=request.user, organisation_id=organisation_id
    )
    school = membership.organisation
    partnerships = permissions.partnerships_of_school_with_permission(
        user=request.user, codename=permissions.CREATE_TRAJECTS, school=school
    )
    form = StudentImportForm(
        _form_data(request),
        request.FILES if request.method == "POST" else None,
        partnerships=partnerships,
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = import_services.student_import_start(
                actor=request.user,
                school=school,
                upload=form.cleaned_data["file"],
                partnership=form.cleaned_data["partnership"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                form.add_error("file", error)
        else:
            return redirect(
                "partnerships:student_import_detail",
                organisation_id=school.public_id,
                import_id=job.public_id,
            )
    return render(
        request,
        "partnerships/student_import.html",
        {
            "school": school,
            "form": form,
            "imports": selectors.student_imports_of(school=school),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def student_import_template(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    """A CSV to fill in: the header row the importer reads and one example row (with one of
    the school's classes), UTF-8 with a BOM and ``;`` so Excel opens it in columns."""
    membership = permissions.get_school_for_student_manager(
        user=request.user, organisation_id=organisation_id
    )
    school_class = (
        SchoolClass.objects.filter(school=membership.organisation).order_by("name").first()
    )
    content = import_services.student_import_template(
        class_name=school_class.name if school_class else ""
    )
    filename = _("students-template") + ".csv"
    return HttpResponse(
        content.encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )


def _import_preview(request: HttpRequest, job: StudentImport) -> dict[str, Any]:
    """The page of rows to show, each with its error sentences; invalid imports show the
    rows with errors unless all rows were asked for."""
    rows = job.rows if job.status != StudentImportStatus.VALIDATING else []
    only_errors = job.status == StudentImportStatus.INVALID and request.GET.get("show") != "all"
    if only_errors:
        rows = [r for r in rows if r["errors"]]
    paginator = Paginator(rows, IMPORT_ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [
        {
            "row": r["row"],
            "values": r["values"],
            "messages": [
                import_services.row_error_message(row=r["row"], error=e) for e in r["errors"]
            ],
        }
        for r in page.object_list
    ]
    return {
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number),
        "only_errors": only_errors,
        "error_rows": sum(1 for r in job.rows if r.get("errors")),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def student_import_detail(
    request: HttpRequest, organisation_id: uuid.UUID, import_id: uuid.UUID
) -> HttpResponse:
    membership = permissions.get_school_for_student_manager(
        user=request.user, organisation_id=organisation_id
    )
    school = membership.organisation
    job = selectors.get_student_import(school=school, import_id=import_id)
    status = 200
    if request.method == "POST":
        if (
            job.partnership is not None
            and not permissions.partnerships_of_school_with_permission(
                user=request.user, codename=permissions.CREATE_TRAJECTS, school=school
            )
            .filter(pk=job.partnership_id)
            .exists()
        ):
            raise PermissionDenied
        if job.status != StudentImportStatus.VALID:
            messages.error(request, _("This import has errors or was already imported."))
            status = 400
        else:
            try:
                import_services.student_import_run(actor=request.user, student_import=job)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                # The page says how many were imported (and keeps saying so): no message too.
                return redirect(
                    "partnerships:student_import_detail",
                    organisation_id=school.public_id,
                    import_id=job.public_id,
                )
        job = selectors.get_student_import(school=school, import_id=import_id)
    template = "partnerships/student_import_detail.html"
    if _wants_fragment(request) and request.method != "POST":
        template += "#import-status"
    reupload_form = None
    if job.status == StudentImportStatus.INVALID:
        # Start over in one step: the corrected file, for the same partnership.
        partnerships = permissions.partnerships_of_school_with_permission(
            user=request.user, codename=permissions.CREATE_TRAJECTS, school=school
        )
        reupload_form = StudentImportForm(
            partnerships=partnerships,
            initial={
                "partnership": job.partnership_id
                if partnerships.filter(pk=job.partnership_id).exists()
                else None
            },
            auto_id="reupload_%s",
        )
    return render(
        request,
        template,
        {
            "school": school,
            "job": job,
            "reupload_form": reupload_form,
            **_import_preview(request, job),
        },
        status=status,
    )


# --- company overview ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def company_overview(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = permissions.get_company_membership(
        user=request.user, organisation_id=organisation_id
    )
    company = membership.organisation
    q = selectors.clean_search(request.GET.get("q"))
    placements = selectors.company_placements(user=request.user, company=company, q=q)
    paginator = Paginator(placements, COMPANY_PLACEMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/company_overview.html",
        {
            "company": company,
            "q": q,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "mentors": _with_eligibility(list(selectors.company_mentors(company=company))),
            "mentor_limit": mentor_max_students(company=company),
            "may_edit_profiles": permissions.may_edit_mentor_profiles(
                user=request.user, company=company
            ),
            "may_edit_listing": permissions.companies_listing_editable_by(user=request.user)
            .filter(pk=company.pk)
            .exists(),
            "today": timezone.localdate(),
        },
    )


def _with_eligibility(mentors: list[User]) -> list[User]:
    """Each mentor with ``unmet``: the recognition rules they do not meet today (issue 12),
    for all of them at once."""
    statuses = mentor_eligibilities(mentors, on=timezone.localdate())
    for mentor in mentors:
        mentor.unmet = statuses.get(mentor.pk, [])  # type: ignore[attr-defined]
    return mentors
