"""Invitations into a team role: sending, re-sending, revoking, and the public accept page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from partnerships import permissions
from partnerships.forms.partnerships import InvitationForm, InvitationSignupForm
from partnerships.models import Invitation, Partnership
from partnerships.services import invitations as services
from partnerships.views.partnerships import render_partnership_detail

INVALID_MESSAGES = {
    "unknown": gettext_lazy(
        "This invitation link is not valid. Check that you copied it completely."
    ),
    "used": gettext_lazy("This invitation was already used."),
    "revoked": gettext_lazy("This invitation was withdrawn."),
    "expired": gettext_lazy("This invitation has expired: ask for a new one."),
}


def _get_invitation(partnership: Partnership, invitation_id: uuid.UUID) -> Invitation:
    invitation = (
        Invitation.objects.select_related("partnership", "organisation")
        .filter(partnership=partnership, public_id=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def _invalid(request: HttpRequest, reason: str) -> HttpResponse:
    """Unknown link: 404; used, revoked or expired: 410 Gone."""
    return render(
        request,
        "partnerships/invitation_invalid.html",
        {"message": INVALID_MESSAGES[reason], "reason": reason},
        status=404 if reason == "unknown" else 410,
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_POST
def invitation_create(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.MANAGE_TEAM
    )
    form = InvitationForm(request.POST, partnership=partnership)
    if form.is_valid() and not permissions.may_manage_team_side(
        user=request.user,
        partnership=partnership,
        organisation_id=form.cleaned_data["organisation"].pk,
    ):
        raise PermissionDenied
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                partnership=partnership,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("partnerships:partnership_detail", partnership_id=partnership.public_id)
    return render_partnership_detail(request, partnership, invite_form=form, status=400)


@login_required
@require_POST
def invitation_resend(
    request: HttpRequest, partnership_id: uuid.UUID, invitation_id: uuid.UUID
) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.MANAGE_TEAM
    )
    invitation = _get_invitation(partnership, invitation_id)
    if not permissions.may_manage_team_side(
        user=request.user, partnership=partnership, organisation_id=invitation.organisation_id
    ):
        raise PermissionDenied
    try:
        services.invitation_resend(
            actor=request.user, invitation=invitation, base_url=_base_url(request)
        )
    except ValidationError as exc:
        return render_partnership_detail(request, partnership, errors=exc.messages, status=400)
    messages.success(
        request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
    )
    return redirect("partnerships:partnership_detail", partnership_id=partnership.public_id)


@login_required
@require_POST
def invitation_revoke(
    request: HttpRequest, partnership_id: uuid.UUID, invitation_id: uuid.UUID
) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.MANAGE_TEAM
    )
    invitation = _get_invitation(partnership, invitation_id)
    if not permissions.may_manage_team_side(
        user=request.user, partnership=partnership, organisation_id=invitation.organisation_id
    ):
        raise PermissionDenied
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        return render_partnership_detail(request, partnership, errors=exc.messages, status=400)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("partnerships:partnership_detail", partnership_id=partnership.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link of the e-mail. Sign up, log in first, or join as the invited person."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as exc:
        return _invalid(request, exc.reason)
    context: dict[str, object] = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return render(
                request,
                "partnerships/invitation_accept.html",
                context,
                status=403 if request.method == "POST" else 200,
            )
        if request.method == "POST":
            return _accept(request, token, user=user, context=context)
        return render(request, "partnerships/invitation_accept.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["login_needed"] = True
        return render(request, "partnerships/invitation_accept.html", context)
    form = InvitationSignupForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            token,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            context=context,
        )
    return render(
        request,
        "partnerships/invitation_accept.html",
        context,
        status=400 if form.errors else 200,
    )


def _accept(
    request: HttpRequest,
    token: str,
    *,
    context: dict[str, object],
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> HttpResponse:
    invitation = context["invitation"]
    try:
        user = services.invitation_accept(
            token=token, user=user, full_name=full_name, password=password
        )
    except services.InvitationInvalid as exc:  # used or revoked between GET and POST
        return _invalid(request, exc.reason)
    except ValidationError as exc:
        context["errors"] = exc.messages
        return render(request, "partnerships/invitation_accept.html", context, status=400)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        _("Welcome to the duaal team %(partnership)s.")
        % {"partnership": invitation.partnership.name},
    )
    return redirect(
        "partnerships:partnership_detail", partnership_id=invitation.partnership.public_id
    )
