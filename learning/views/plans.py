"""Views of the learning app: the opleidingsplan (see learning/urls.py).

The partnership's plan page (adoption, the grid edited one cell at a time with htmx or a plain
form page, the activiteitenlijsten beside it, the team's comments), its periods, a company's
activiteitenlijst, and a traject's plan (read-only for the student and the parents; its own
copy for the plan's designers). Access: ``partnerships.permissions``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from learning import access
from learning.forms.plans import (
    AdoptForm,
    CellForm,
    CommentForm,
    OfferForm,
    PeriodForm,
    place_options,
)
from learning.models import Leerfiche, Opleidingsplan, Period, PlaceKind, PlanEntry
from learning.selectors import plans as selectors
from learning.services import plans as services
from learning.services.activiteitenlijsten import offers_of
from partnerships import permissions
from partnerships.models import Partnership, Traject
from partnerships.views.confirm import confirmed

# --- the partnership's plan --------------------------------------------------------------------


def _plan_or_404(partnership: Partnership) -> Opleidingsplan:
    plan = services.partnership_plan(partnership)
    if plan is None:
        raise Http404
    plan.partnership = partnership
    return plan


def render_plan_detail(
    request: HttpRequest,
    partnership: Partnership,
    *,
    adopt_form: AdoptForm | None = None,
    comment_form: CommentForm | None = None,
    comments_page: Any = 1,
    status: int = 200,
) -> HttpResponse:
    """The plan page; ``comments_page`` is the page of the team's comments shown (newest
    first, ``selectors.PLAN_COMMENTS_PER_PAGE`` a page, ``?comments=N``)."""
    plan = services.partnership_plan(partnership)
    can_design = permissions.may_design_plan(partnership=partnership)
    context: dict[str, Any] = {
        "partnership": partnership,
        "plan": plan,
        "can_design": can_design,
        "can_comment": permissions.may_comment_plan(partnership=partnership),
        "cell_url_name": "learning:plan_cell",
        "cell_url_arg": partnership.public_id,
    }
    versions = selectors.adoptable_versions(
        partnership=partnership, readable=access.versions_readable_by(user=request.user)
    )
    if can_design:
        newer = [v for v in versions if plan is None or v.pk != plan.set_version_id]
        if newer:
            context["adopt_form"] = adopt_form or AdoptForm(versions=newer)
    context["versions"] = versions
    if plan is not None:
        plan.partnership = partnership
        fiches = selectors.leerfiches_of(plan.set_version)
        links = selectors.company_links(partnership)
        offers = offers_of(
            vestiging_ids=[link.vestiging_id for link in links], opleiding=partnership.opleiding
        )
        context["grid"] = selectors.plan_grid(plan, fiches=fiches, links=links, offers=offers)
        context["vestiging_offers"] = selectors.vestiging_offers(
            partnership=partnership,
            fiches=fiches,
            links=links,
            offers=offers,
            editable=permissions.offer_vestigingen_editable_by(
                user=request.user, partnership=partnership
            ),
        )
        comments = selectors.plan_comments(plan, page=comments_page)
        context["comments"] = comments
        context["comments_range"] = comments.paginator.get_elided_page_range(comments.number)
        if context["can_comment"]:
            context["comment_form"] = comment_form or CommentForm(fiches=fiches)
    return render(request, "learning/plan_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def plan_detail(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(user=request.user, public_id=partnership_id)
    return render_plan_detail(request, partnership, comments_page=request.GET.get("comments"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_adopt(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    """GET: the adoption form on its own page; POST: adopt the chosen version."""
    partnership = permissions.get_partnership_for_plan_editor(
        user=request.user, public_id=partnership_id
    )
    plan = services.partnership_plan(partnership)
    versions = [
        v
        for v in selectors.adoptable_versions(
            partnership=partnership, readable=access.versions_readable_by(user=request.user)
        )
        if plan is None or v.pk != plan.set_version_id
    ]
    form = AdoptForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            adoption = services.adopt_version(
                partnership=partnership,
                set_version=form.cleaned_data["set_version"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if adoption.created:
                messages.success(request, _("The partnership follows this leerfiche version now."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The plan follows the new version; %(count)d entry moved along.",
                        "The plan follows the new version; %(count)d entries moved along.",
                        adoption.moved,
                    )
                    % {"count": adoption.moved},
                )
            if adoption.dropped:
                messages.warning(
                    request,
                    _(
                        "These entries were dropped: their leerfiche is no longer in the set: %(list)s"
                    )
                    % {"list": "; ".join(adoption.dropped)},
                )
            return redirect("learning:plan_detail", partnership_id=partnership.public_id)
    return render(
        request,
        "learning/plan_adopt.html",
        {"partnership": partnership, "plan": plan, "adopt_form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_comment_add(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_plan_commenter(
        user=request.user, public_id=partnership_id
    )
    plan = _plan_or_404(partnership)
    form = CommentForm(request.POST, fiches=selectors.leerfiches_of(plan.set_version))
    if form.is_valid():
        try:
            services.add_comment(
                plan=plan,
                author=request.user,
                text=form.cleaned_data["text"],
                leerfiche_key=form.cleaned_data["leerfiche_key"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your comment was added."))
            url = reverse("learning:plan_detail", args=[partnership.public_id])
            return redirect(f"{url}#comments")
    return render_plan_detail(request, partnership, comment_form=form, status=400)


# --- one cell, in place (htmx) or on its own page ----------------------------------------------


def _cell(
    request: HttpRequest,
    *,
    plan: Opleidingsplan,
    leerfiche_id: uuid.UUID,
    period_id: int,
    back_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the cell's edit form; POST: replace its places (htmx swaps the cell, a plain post
    goes back to the plan)."""
    partnership = plan.partnership
    fiche = Leerfiche.objects.filter(version_id=plan.set_version_id, public_id=leerfiche_id).first()
    period = Period.objects.filter(partnership=partnership, pk=period_id).first()
    if fiche is None or period is None:
        raise Http404
    links = selectors.company_links(partnership)
    centre = selectors.training_centre_name(partnership)
    options = place_options(
        vestigingen=[link.vestiging for link in links], training_centre_name=centre
    )
    entries = list(
        PlanEntry.objects.filter(plan=plan, leerfiche=fiche, period=period).select_related(
            "vestiging"
        )
    )
    current = {
        (f"company{e.vestiging_id}" if e.place == PlaceKind.COMPANY else e.place): (
            e.week_from,
            e.week_to,
        )
        for e in entries
    }
    form_kwargs: dict[str, Any] = {
        "options": options,
        "weeks": period.weeks,
        "current": current,
        "auto_id": f"cell-{fiche.pk}-{period.pk}-%s",
    }
    editing = request.GET.get("cancel") is None
    if request.method == "POST":
        form = CellForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.set_cell(
                    plan=plan,
                    leerfiche=fiche,
                    period=period,
                    places=form.places(),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not request.htmx:
                    messages.success(
                        request,
                        _("%(fiche)s in %(period)s was saved.")
                        % {"fiche": fiche.title, "period": period.name},
                    )
                    return redirect(f"{back_url}#cell-{fiche.pk}-{period.pk}")
                editing = False
    else:
        form = CellForm(**form_kwargs)
    offers = offers_of(
        vestiging_ids=[link.vestiging_id for link in links], opleiding=partnership.opleiding
    )
    grid = selectors.plan_grid(plan, fiches=[fiche], links=links, offers=offers)
    cell = next(c for c in grid.themes[0].rows[0].cells if c.period.pk == period.pk)
    context = {
        **context,
        "plan": plan,
        "cell": cell,
        "form": form,
        "editing": editing,
        "can_edit": True,
        "back_url": back_url,
    }
    template = "learning/plan_grid.html#plan-cell" if request.htmx else "learning/plan_cell.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_cell(
    request: HttpRequest, partnership_id: uuid.UUID, leerfiche_id: uuid.UUID, period_id: int
) -> HttpResponse:
    partnership = permissions.get_partnership_for_plan_editor(
        user=request.user, public_id=partnership_id
    )
    plan = _plan_or_404(partnership)
    return _cell(
        request,
        plan=plan,
        leerfiche_id=leerfiche_id,
        period_id=period_id,
        back_url=reverse("learning:plan_detail", args=[partnership.public_id]),
        context={
            "partnership": partnership,
            "cell_url_name": "learning:plan_cell",
            "cell_url_arg": partnership.public_id,
        },
    )


# --- periods -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def period_list(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    """The partnership's periods, and a form to add one (POST)."""
    partnership = permissions.get_partnership_for_plan_editor(
        user=request.user, public_id=partnership_id
    )
    form = PeriodForm(request.POST or None, prefix="period")
    if request.method == "POST" and form.is_valid():
        try:
            services.period_create(partnership=partnership, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The period was added."))
            return redirect("learning:period_list", partnership_id=partnership.public_id)
    periods = list(Period.objects.filter(partnership=partnership).order_by("order", "start_date"))
    return render(
        request,
        "learning/plan_periods.html",
        {"partnership": partnership, "periods": periods, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def period_defaults(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    """Create the three trimesters when the partnership has no periods yet."""
    partnership = permissions.get_partnership_for_plan_editor(
        user=request.user, public_id=partnership_id
    )
    services.default_periods(partnership, request.user)
    return redirect("learning:period_list", partnership_id=partnership.public_id)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _visible_trajects(request: HttpRequest, partnership: Partnership) -> set[int]:
    return set(
        permissions.trajects_visible_to(user=request.user)
        .filter(partnership=partnership)
        .values_list("pk", flat=True)
    )


def _period_or_404(partnership: Partnership, period_id: int) -> Period:
    period = Period.objects.filter(partnership=partnership, pk=period_id).first()
    if period is None:
        raise Http404
    period.partnership = partnership
    return period


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def period_edit(request: HttpRequest, partnership_id: uuid.UUID, period_id: int) -> HttpResponse:
    partnership = permissions.get_partnership_for_plan_editor(
        user=request.user, public_id=partnership_id
    )
    period = _period_or_404(partnership, period_id)
    form = PeriodForm(
        request.POST or None,
        prefix="period",
        initial={"name": period.name, "start_date": period.start_date, "end_date": period.end_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(period=period, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The period was saved."))
            return redirect("learning:period_list", partnership_id=partnership.public_id)
    return render(
        request,
        "learning/plan_period_edit.html",
        {
            "partnership": partnership,
            "period": period,
            "form": form,
            "consequences": services.period_removal_consequences(
                period, visible_traject_ids=_visible_trajects(request, partnership)
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def period_remove(request: HttpRequest, partnership_id: uuid.UUID, period_id: int) -> HttpResponse:
    """GET: the confirmation, saying which entries of the plan go with the period; POST with
    ``confirm=yes``: remove."""
    partnership = permissions.get_partnership_for_plan_editor(
        user=request.user, public_id=partnership_id
    )
    period = _period_or_404(partnership, period_id)
    errors: list[str] = []
    status = 200
    if confirmed(request):
        try:
            count = services.period_remove(period=period, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(
                request,
                ngettext(
                    "The period was removed, with %(count)d entry of the plan.",
                    "The period was removed, with %(count)d entries of the plan.",
                    count,
                )
                % {"count": count},
            )
            return redirect("learning:period_list", partnership_id=partnership.public_id)
    title = _("Remove %(period)s?") % {"period": period.name}
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": title,
            "partnership": partnership,
            "period": period,
            "confirm_template": "learning/plan_confirm_period_remove.html",
            "consequences": services.period_removal_consequences(
                period, visible_traject_ids=_visible_trajects(request, partnership)
            ),
            "errors": errors,
            "back_url": reverse("learning:period_list", args=[partnership.public_id]),
        },
        status=status,
    )


# --- a company's activiteitenlijst -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_edit(
    request: HttpRequest, partnership_id: uuid.UUID, vestiging_id: uuid.UUID
) -> HttpResponse:
    """What one vestiging can offer of the plan's leerfiches: yes, partly or no, with a note."""
    partnership, vestiging = permissions.get_vestiging_for_offer_editor(
        user=request.user, public_id=partnership_id, vestiging_id=vestiging_id
    )
    plan = _plan_or_404(partnership)
    fiches = selectors.leerfiches_of(plan.set_version)
    current = {
        key: entry
        for (_v, key), entry in offers_of(
            vestiging_ids=[vestiging.pk], opleiding=partnership.opleiding
        ).items()
    }
    form = OfferForm(request.POST or None, fiches=fiches, current=current)
    if request.method == "POST" and form.is_valid():
        for fiche, offer, note in form.values():
            entry = current.get(fiche.key)
            if (offer, note) == ((entry.offer, entry.note) if entry else ("", "")):
                continue
            services.set_offer(
                vestiging=vestiging,
                opleiding=partnership.opleiding,
                leerfiche_key=fiche.key,
                offer=offer,
                note=note,
                actor=request.user,
            )
        messages.success(request, _("The activiteitenlijst was saved."))
        url = reverse("learning:plan_detail", args=[partnership.public_id])
        return redirect(f"{url}#offers")
    return render(
        request,
        "learning/plan_offers.html",
        {"partnership": partnership, "vestiging": vestiging, "form": form},
        status=400 if form.errors else 200,
    )


# --- a traject's plan --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def traject_plan(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    """The plan the traject follows: its own or the partnership's. Read-only for the student,
    the parents and the team; the plan's designers edit the traject's own plan here."""
    traject = permissions.get_traject_for_plan(user=request.user, public_id=traject_id)
    plan = services.plan_for_traject(traject)
    can_design = permissions.DESIGN_PLAN in traject.partnership_perms
    own = plan is not None and plan.traject_id == traject.pk
    context: dict[str, Any] = {
        "traject": traject,
        "partnership": traject.partnership,
        "plan": plan,
        "own": own,
        "can_design": can_design,
        "is_team": permissions.may_read_plan_comments(partnership_perms=traject.partnership_perms),
        "can_edit": can_design and own,
        "cell_url_name": "learning:traject_plan_cell",
        "cell_url_arg": traject.public_id,
    }
    if plan is not None:
        plan.partnership = traject.partnership
        context["grid"] = selectors.plan_grid(plan)
        if own:
            context["entry_count"] = plan.entries.count()
    return render(request, "learning/plan_traject.html", context)


def _traject_own_plan(traject: Traject) -> Opleidingsplan:
    plan = Opleidingsplan.objects.filter(traject=traject).first()
    if plan is None:
        raise Http404
    plan.partnership = traject.partnership
    plan.traject = traject
    return plan


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def traject_plan_cell(
    request: HttpRequest, traject_id: uuid.UUID, leerfiche_id: uuid.UUID, period_id: int
) -> HttpResponse:
    traject = permissions.get_traject_for_plan_editor(user=request.user, public_id=traject_id)
    plan = _traject_own_plan(traject)
    return _cell(
        request,
        plan=plan,
        leerfiche_id=leerfiche_id,
        period_id=period_id,
        back_url=reverse("learning:traject_plan", args=[traject.public_id]),
        context={
            "partnership": traject.partnership,
            "traject": traject,
            "cell_url_name": "learning:traject_plan_cell",
            "cell_url_arg": traject.public_id,
        },
    )


@login_required
@require_POST
def traject_plan_override(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    """Give the student a plan of their own (a copy of the partnership's)."""
    traject = permissions.get_traject_for_plan_editor(user=request.user, public_id=traject_id)
    try:
        services.override_for_traject(traject=traject, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "%(name)s has a plan of their own now; changes to it leave the partnership's plan as it is."
            )
            % {"name": traject.student.full_name},
        )
    return redirect("learning:traject_plan", traject_id=traject.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def traject_plan_drop(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation (the traject's own changes are lost); POST with ``confirm=yes``:
    back to the partnership's plan."""
    traject = permissions.get_traject_for_plan_editor(user=request.user, public_id=traject_id)
    plan = _traject_own_plan(traject)
    if confirmed(request):
        services.drop_override(traject=traject, actor=request.user)
        messages.success(
            request,
            _("%(name)s follows the partnership's plan again.")
            % {"name": traject.student.full_name},
        )
        return redirect("learning:traject_plan", traject_id=traject.public_id)
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Back to the partnership's plan?"),
            "traject": traject,
            "plan": plan,
            "entry_count": plan.entries.count(),
            "confirm_template": "learning/plan_confirm_override_drop.html",
            "back_url": reverse("learning:traject_plan", args=[traject.public_id]),
        },
    )


urlpatterns: list[URLPattern] = [
    path("partnerships/<uuid:partnership_id>/plan/", plan_detail, name="plan_detail"),
    path("partnerships/<uuid:partnership_id>/plan/adopt/", plan_adopt, name="plan_adopt"),
    path(
        "partnerships/<uuid:partnership_id>/plan/comments/",
        plan_comment_add,
        name="plan_comment_add",
    ),
    path(
        "partnerships/<uuid:partnership_id>/plan/cells/<uuid:leerfiche_id>/<int:period_id>/",
        plan_cell,
        name="plan_cell",
    ),
    path("partnerships/<uuid:partnership_id>/plan/periods/", period_list, name="period_list"),
    path(
        "partnerships/<uuid:partnership_id>/plan/periods/defaults/",
        period_defaults,
        name="period_defaults",
    ),
    path(
        "partnerships/<uuid:partnership_id>/plan/periods/<int:period_id>/",
        period_edit,
        name="period_edit",
    ),
    path(
        "partnerships/<uuid:partnership_id>/plan/periods/<int:period_id>/remove/",
        period_remove,
        name="period_remove",
    ),
    path(
        "partnerships/<uuid:partnership_id>/plan/offers/<uuid:vestiging_id>/",
        offer_edit,
        name="offer_edit",
    ),
    path("trajects/<uuid:traject_id>/plan/", traject_plan, name="traject_plan"),
    path(
        "trajects/<uuid:traject_id>/plan/cells/<uuid:leerfiche_id>/<int:period_id>/",
        traject_plan_cell,
        name="traject_plan_cell",
    ),
    path(
        "trajects/<uuid:traject_id>/plan/own/", traject_plan_override, name="traject_plan_override"
    ),
    path("trajects/<uuid:traject_id>/plan/own/drop/", traject_plan_drop, name="traject_plan_drop"),
]
