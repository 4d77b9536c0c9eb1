from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisations import access, selectors, services
from organisations.forms import OrganisationForm
from organisations.middleware import SESSION_KEY


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Make one of the user's organisations the active one; 404 for any other organisation."""
    try:
        public_id = uuid.UUID(request.POST.get("organisation", ""))
    except ValueError as exc:
        raise Http404 from exc
    membership = access.get_membership_for_member(
        user=request.user, organisation_public_id=public_id
    )
    request.session[SESSION_KEY] = str(membership.organisation.public_id)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)


@login_required
@require_http_methods(["GET", "HEAD"])
def organisation_detail(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = access.get_membership_for_member(
        user=request.user, organisation_public_id=organisation_id
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "members": selectors.organisation_members(organisation=membership.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    membership = access.get_membership_for_admin(
        user=request.user, organisation_public_id=organisation_id
    )
    organisation = membership.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, actor=request.user, data=form.cleaned_data
        )
        messages.success(request, _("The organisation details were saved."))
        return redirect("organisations:organisation_detail", organisation_id=organisation.public_id)
    return render(
        request,
        "organisations/organisation_edit.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )
