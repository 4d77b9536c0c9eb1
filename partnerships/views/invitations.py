"""Invitations into a team role: sending, re-sending, revoking; and the public accept page of
every kind of invitation (team roles, and the accounts of students and parents)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from partnerships import permissions
from partnerships.forms.partnerships import InvitationForm, InvitationSignupForm
from partnerships.models import Invitation, Partnership
from partnerships.services import invitations as services
from partnerships.services.links import InvitationInvalid, link_path
from partnerships.views.partnerships import redirect_to_section, render_partnership_detail

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
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect_to_section(partnership, "invitations")
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
        services.invitation_resend(actor=request.user, invitation=invitation)
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


# --- the public accept page, for every kind of invitation ---------------------------------------


def _invalid(request: HttpRequest, reason: str) -> HttpResponse:
    """Unknown link: 404; used, revoked or expired: 410 Gone."""
    return render(
        request,
        "partnerships/invitation_invalid.html",
        {"message": INVALID_MESSAGES[reason], "reason": reason},
        status=404 if reason == "unknown" else 410,
    )


def _page(request: HttpRequest, context: dict[str, object], *, status: int = 200) -> HttpResponse:
    return render(request, "partnerships/invitation_accept.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    """Public: the link of the e-mail, of either kind. Sign up, log in first, or accept as the
    invited person. A visitor who has not chosen a language reads it in the mail's."""
    try:
        invitation = services.invitation_from_link(kind=kind, token=token)
    except InvitationInvalid as exc:
        return _invalid(request, exc.reason)
    user = request.user
    if not user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = translation.get_language()
    context: dict[str, object] = {"invitation": invitation, "kind": invitation.kind}
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return _page(request, context, status=403 if request.method == "POST" else 200)
        if request.method == "POST":
            return _accept(request, kind, token, user=user, context=context)
        return _page(request, context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["login_needed"] = True
        return _page(request, context)
    form = InvitationSignupForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.invitee_name}
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            kind,
            token,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            context=context,
        )
    return _page(request, context, status=400 if form.errors else 200)


def _accept(
    request: HttpRequest,
    kind: str,
    token: str,
    *,
    context: dict[str, object],
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> HttpResponse:
    try:
        invitation, user = services.invitation_accept(
            kind=kind,
            token=token,
            user=user,
            full_name=full_name,
            password=password,
            language=translation.get_language(),
        )
    except InvitationInvalid as exc:  # used or revoked between GET and POST
        return _invalid(request, exc.reason)
    except ValidationError as exc:
        context["errors"] = exc.messages
        return _page(request, context, status=400)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if isinstance(invitation, Invitation):
        messages.success(
            request,
            _("Welcome to the duaal team %(partnership)s.")
            % {"partnership": invitation.partnership.name},
        )
        return redirect(
            "partnerships:partnership_detail", partnership_id=invitation.partnership.public_id
        )
    messages.success(
        request, _("Welcome to Duaal, %(name)s.") % {"name": user.full_name or user.email}
    )
    trajects = list(
        permissions.trajects_visible_to(user=user)
        .filter(student_id=invitation.student_id)
        .values_list("public_id", flat=True)[:2]
    )
    if len(trajects) == 1:
        return redirect("partnerships:traject_detail", traject_id=trajects[0])
    return redirect("partnerships:traject_list")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept_legacy(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    """The links mailed before both kinds shared ``/invitations/<kind>/<token>/``
    (``/invitations/<token>/``, ``/account-invitations/<token>/``): on to the one accept page,
    method and form kept (307). Such links expire 14 days after they were sent."""
    return redirect(link_path(kind=kind, token=token), preserve_request=True)
