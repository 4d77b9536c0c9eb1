"""Partnerships: list, create, detail with the duaal team, and the RACI matrix."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRefresh

from partnerships import permissions, raci
from partnerships.forms.partnerships import (
    CompanyAddForm,
    InvitationForm,
    PartnershipCreateForm,
    RaciCellForm,
    TeamMemberForm,
    TeamMemberRemoveForm,
)
from partnerships.models import Partnership, TeamMember, TeamRole, Traject
from partnerships.selectors import partnerships as selectors
from partnerships.selectors import removals as removal_selectors
from partnerships.services import partnerships as services
from partnerships.views.confirm import confirmed

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "HEAD"])
def partnership_list(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses NUL characters in text; a search needs no more than 100 characters.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    try:
        school_year = int(request.GET.get("year", ""))
    except ValueError:
        school_year = None
    partnerships = selectors.partnership_list(
        user=request.user, query=query, school_year=school_year
    )
    page = Paginator(partnerships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "page_obj": page,
            "query": query,
            "school_year": school_year,
            "school_years": selectors.partnership_school_years(user=request.user),
            "can_create": selectors.schools_administered_by(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    if not selectors.schools_administered_by(user=request.user).exists():
        raise PermissionDenied
    form = PartnershipCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                actor=request.user,
                school=form.cleaned_data["school"],
                name=form.cleaned_data["name"],
                opleiding=form.cleaned_data["opleiding"],
                school_year=form.cleaned_data["school_year"],
                companies=form.companies,
                training_centre=form.cleaned_data["training_centre"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The partnership was created."))
            return redirect("partnerships:partnership_detail", partnership_id=partnership.public_id)
    return render(
        request,
        "partnerships/partnership_create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def redirect_to_section(partnership: Partnership, section: str) -> HttpResponse:
    """Back to the detail page at ``section``: a form posted to ``…#<prefix>-error-summary`` (so
    a refused post opens on its error summary, focused) would otherwise pass that fragment on to
    the redirect."""
    url = resolve_url("partnerships:partnership_detail", partnership_id=partnership.public_id)
    return redirect(f"{url}#{section}")


def render_partnership_detail(
    request: HttpRequest,
    partnership: Partnership,
    *,
    member_form: Form | None = None,
    invite_form: Form | None = None,
    company_form: Form | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The detail page; a POST view that refuses its input re-renders it with the bound form."""
    perms = partnership.user_perms
    trajects = list(selectors.partnership_trajects(partnership=partnership, user=request.user))
    context = {
        "partnership": partnership,
        "companies": selectors.partnership_companies(partnership=partnership),
        "team": selectors.team_by_role(partnership=partnership),
        "invitations": selectors.open_invitations(partnership=partnership),
        "trajects": trajects,
        "traject_rows": traject_rows(trajects),
        "can_manage_team": permissions.MANAGE_TEAM in perms,
        "can_change": permissions.CHANGE_PARTNERSHIP in perms,
        "can_create_trajects": permissions.CREATE_TRAJECTS in perms,
        "errors": errors or [],
    }
    if context["can_manage_team"]:
        _mark_removable(request, partnership, context["team"])
        context["member_form"] = member_form or TeamMemberForm(
            partnership=partnership, actor=request.user
        )
        context["invite_form"] = invite_form or InvitationForm(
            partnership=partnership, initial={"language": request.user.language}
        )
    if context["can_change"]:
        context["company_form"] = company_form or CompanyAddForm(school=partnership.school)
    context["team_rows"] = [
        (group, team_rows(partnership, group, manage=context["can_manage_team"]))
        for group in context["team"]
    ]
    return render(request, "partnerships/partnership_detail.html", context, status=status)


def _mark_removable(request: HttpRequest, partnership: Partnership, team: list) -> None:
    """Sets ``removable`` on the members the user may remove: they get a "Remove" button. Its
    confirmation dialog is fetched when the button is pressed (``team_member_remove`` answers an
    htmx GET with the dialog alone), so the page does not build a removal plan and a form per
    member (decision 0022)."""
    members = [member for group in team for member in group.members]
    allowed = permissions.team_members_manageable_by(
        user=request.user,
        partnership=partnership,
        organisation_ids={m.organisation_id for m in members},
    )
    for member in members:
        member.removable = member.organisation_id in allowed


def team_rows(partnership: Partnership, group: selectors.RoleGroup, *, manage: bool) -> SafeString:
    """The team table's rows of one role, built here rather than in the template (a partnership
    has dozens of members, and the template language spent a fifth of the page on them;
    decision 0022). With ``manage``, an actions cell; a member the user may remove
    (``removable``) gets the "Remove" button: without JavaScript it opens the confirmation
    page, with it that page's form as a dialog, fetched when pressed (``duaal.js``)."""
    name, organisation, email = _("Name"), _("Organisation"), _("E-mail address")
    actions, remove = _("Actions"), _("Remove")
    rows = []
    for member in group.members:
        user = member.user
        cell = ""
        if manage:
            button = ""
            if getattr(member, "removable", False):
                url = reverse(
                    "partnerships:team_member_remove", args=[partnership.public_id, member.pk]
                )
                button = format_html(
                    '<form method="get" action="{url}" class="inline-form"><button type="submit" '
                    'class="button button--quiet button--small" data-confirm="remove-member-{pk}" '
                    'data-confirm-url="{url}" data-testid="remove-member-{pk}">{remove}<span '
                    'class="visually-hidden"> {who} ({role})</span></button></form>',
                    url=url,
                    pk=member.pk,
                    remove=remove,
                    who=user.full_name or user.email,
                    role=member.get_role_display().lower(),
                )
            cell = format_html(
                '<td class="table__actions" data-label="{}">{}</td>', actions, button
            )
        rows.append(
            format_html(
                '<tr><td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">'
                '<a href="mailto:{}">{}</a></td>{}</tr>',
                name,
                user.full_name,
                organisation,
                member.organisation.name,
                email,
                user.email,
                user.email,
                cell,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every row built by format_html


def traject_rows(trajects: Iterable[Traject]) -> SafeString:
    """The trajects table's rows (built here for the same reason as ``team_rows``)."""
    student, school_class, status = _("Student"), _("Class"), _("Status")
    rows = [
        format_html(
            '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td></tr>',
            student,
            reverse("partnerships:traject_detail", args=[traject.public_id]),
            traject.student.full_name,
            school_class,
            traject.student.school_class.name if traject.student.school_class else "",
            status,
            traject.get_status_display(),
        )
        for traject in trajects
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - every row built by format_html


@login_required
@require_http_methods(["GET", "HEAD"])
def partnership_detail(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(user=request.user, public_id=partnership_id)
    return render_partnership_detail(request, partnership)


@login_required
@require_POST
def team_member_add(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.MANAGE_TEAM
    )
    form = TeamMemberForm(request.POST, partnership=partnership, actor=request.user)
    if form.is_valid():
        try:
            member = services.team_member_add(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(person)s was added as %(role)s.")
                % {"person": member.user, "role": member.get_role_display().lower()},
            )
            return redirect_to_section(partnership, "team")
    return render_partnership_detail(request, partnership, member_form=form, status=400)


def _team_member_for_removal(
    request: HttpRequest, partnership_id: uuid.UUID, member_id: int
) -> TeamMember:
    """The member ``request.user`` may remove: 404 when not visible, 403 without manage_team
    or for another organisation's people (``permissions.may_manage_team_side``)."""
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.MANAGE_TEAM
    )
    member = (
        TeamMember.objects.select_related("user", "organisation")
        .filter(partnership=partnership, pk=member_id)
        .first()
    )
    if member is None:
        raise Http404
    member.partnership = partnership
    if not permissions.may_manage_team_side(
        user=request.user, partnership=partnership, organisation_id=member.organisation_id
    ):
        raise PermissionDenied
    return member


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def team_member_remove(
    request: HttpRequest, partnership_id: uuid.UUID, member_id: int
) -> HttpResponse:
    """GET: the confirmation page (what the removal does); an htmx GET (the "Remove" button on
    the partnership page) gets the same form as a confirmation dialog alone. POST with
    ``confirm=yes``: remove. A POST without it removes nothing and shows the confirmation."""
    member = _team_member_for_removal(request, partnership_id, member_id)
    partnership = member.partnership
    plan = removal_selectors.removal_plans(
        partnership=partnership, members=[member], actor=request.user
    )[member.pk]
    form = TeamMemberRemoveForm(request.POST if confirmed(request) else None, plan=plan)
    status = 200
    if confirmed(request):
        if form.is_valid():
            try:
                services.team_member_remove(
                    actor=request.user, member=member, replacements=form.replacements()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(person)s is no longer %(role)s.")
                    % {"person": member.user, "role": member.get_role_display().lower()},
                )
                if (
                    not permissions.partnerships_visible_to(user=request.user)
                    .filter(pk=partnership.pk)
                    .exists()
                ):
                    # The actor removed their own last role.
                    return redirect("partnerships:partnership_list")
                return redirect(
                    "partnerships:partnership_detail", partnership_id=partnership.public_id
                )
        status = 400
    context = {
        "title": plan.title,
        "partnership": partnership,
        "confirm_template": "partnerships/confirm/team_member_remove.html",
        "plan": plan,
        "form": form,
    }
    if request.method != "POST" and request.htmx:
        return render(
            request, "includes/confirm_dialog.html", {**context, "dialog_id": plan.dialog_id}
        )
    context["back_url"] = reverse("partnerships:partnership_detail", args=[partnership.public_id])
    return render(request, "partnerships/confirm_page.html", context, status=status)


@login_required
@require_POST
def company_add(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.CHANGE_PARTNERSHIP
    )
    form = CompanyAddForm(request.POST, school=partnership.school)
    if form.is_valid():
        vestiging = form.cleaned_data["vestiging"]
        try:
            services.partnership_company_add(
                actor=request.user,
                partnership=partnership,
                company=vestiging.organisation,
                vestiging=vestiging,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The company was added."))
            return redirect_to_section(partnership, "companies")
    return render_partnership_detail(request, partnership, company_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def raci_matrix(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(user=request.user, public_id=partnership_id)
    return render(
        request,
        "partnerships/raci_matrix.html",
        {
            "partnership": partnership,
            "phases": selectors.raci_matrix(partnership=partnership),
            "columns": selectors.raci_role_columns(partnership=partnership),
            "can_edit": permissions.CHANGE_RACI in partnership.user_perms,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def raci_cell(
    request: HttpRequest, partnership_id: uuid.UUID, task: str, role: str
) -> HttpResponse:
    """One cell of the matrix: GET gives its edit form, POST sets the letter (htmx or not)."""
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.CHANGE_RACI
    )
    if task not in raci.TASKS_BY_CODE or role not in raci.MATRIX_ROLES:
        raise Http404
    form_kwargs = {"auto_id": f"raci-{task}-{role}-%s"}
    editing = request.GET.get("cancel") is None
    if request.method == "POST":
        form = RaciCellForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                demoted = services.raci_set_letter(
                    actor=request.user,
                    partnership=partnership,
                    task=task,
                    role=role,
                    letter=form.cleaned_data["letter"],
                )
            except ValidationError as exc:
                form.add_error("letter", exc)
            else:
                if demoted:
                    messages.info(
                        request,
                        _("%(task)s: the A moved to %(new)s; %(old)s is now R.")
                        % {
                            "task": raci.TASKS_BY_CODE[task].name,
                            "new": TeamRole(role).label,
                            "old": TeamRole(demoted).label,
                        },
                    )
                    if request.htmx:  # two cells changed: reload the matrix
                        return HttpResponseClientRefresh()
                if not request.htmx:
                    messages.success(request, _("The RACI matrix was saved."))
                    return redirect(
                        "partnerships:raci_matrix", partnership_id=partnership.public_id
                    )
                editing = False
    letter = selectors.raci_cell_letter(partnership=partnership, task=task, role=role)
    if request.method != "POST":
        form = RaciCellForm(initial={"letter": letter}, **form_kwargs)
    if request.htmx:  # the swapped-in select takes the focus (htmx focuses [autofocus])
        form.fields["letter"].widget.attrs["autofocus"] = True
    context = {
        "partnership": partnership,
        "task": raci.TASKS_BY_CODE[task],
        "role_label": TeamRole(role).label,
        "cell": selectors.raci_cell(task=raci.TASKS_BY_CODE[task], role=role, letter=letter),
        "form": form,
        "editing": editing,
        "can_edit": True,
    }
    template = (
        "partnerships/raci_matrix.html#raci-cell" if request.htmx else "partnerships/raci_cell.html"
    )
    return render(request, template, context, status=400 if form.errors else 200)
