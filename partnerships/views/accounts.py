"""Parents and guardians of a student, and accounts for students and parents (by invitation).

The traject's page holds the forms; these views act and redirect back to it, or re-render it
with the errors (400). Managing needs ``create_trajects`` on the traject's partnership
(``permissions.get_traject_for_partnership_perm``: 404 not visible, 403 without the right). The
accept page is public, like the team invitations' one.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from partnerships import permissions
from partnerships.forms.partnerships import InvitationSignupForm
from partnerships.forms.trajects import StudentContactForm
from partnerships.models import AccountInvitation, StudentContact, Traject
from partnerships.selectors import trajects as selectors
from partnerships.services import accounts as services
from partnerships.services import trajects as traject_services
from partnerships.views.trajects import render_traject_detail

INVALID_MESSAGES = {
    "unknown": gettext_lazy(
        "This invitation link is not valid. Check that you copied it completely."
    ),
    "used": gettext_lazy("This invitation was already used."),
    "revoked": gettext_lazy("This invitation was withdrawn."),
    "expired": gettext_lazy("This invitation has expired: ask for a new one."),
}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _back(traject: Traject) -> HttpResponse:
    return redirect("partnerships:traject_detail", traject_id=traject.public_id)


def _invite(request: HttpRequest, traject: Traject, contact: StudentContact | None) -> HttpResponse:
    try:
        invitation = services.account_invitation_create(
            actor=request.user,
            student=traject.student,
            contact=contact,
            base_url=_base_url(request),
        )
    except ValidationError as exc:
        return render_traject_detail(request, traject, errors=exc.messages, status=400)
    messages.success(
        request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
    )
    return _back(traject)


@login_required
@require_POST
def student_contact_add(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_partnership_perm(
        user=request.user, public_id=traject_id, perm=permissions.CREATE_TRAJECTS
    )
    form = StudentContactForm(request.POST)
    if form.is_valid():
        contact = traject_services.student_contact_add(
            actor=request.user, student=traject.student, **form.cleaned_data
        )
        messages.success(request, _("%(name)s was added.") % {"name": contact.full_name})
        return _back(traject)
    return render_traject_detail(request, traject, contact_form=form, status=400)


@login_required
@require_POST
def student_account_invite(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_partnership_perm(
        user=request.user, public_id=traject_id, perm=permissions.CREATE_TRAJECTS
    )
    return _invite(request, traject, contact=None)


@login_required
@require_POST
def contact_account_invite(
    request: HttpRequest, traject_id: uuid.UUID, contact_id: int
) -> HttpResponse:
    traject = permissions.get_traject_for_partnership_perm(
        user=request.user, public_id=traject_id, perm=permissions.CREATE_TRAJECTS
    )
    contact = selectors.get_student_contact(traject=traject, contact_id=contact_id)
    return _invite(request, traject, contact=contact)


@login_required
@require_POST
def account_invitation_resend(
    request: HttpRequest, traject_id: uuid.UUID, invitation_id: uuid.UUID
) -> HttpResponse:
    traject = permissions.get_traject_for_partnership_perm(
        user=request.user, public_id=traject_id, perm=permissions.CREATE_TRAJECTS
    )
    invitation = selectors.get_account_invitation(traject=traject, invitation_id=invitation_id)
    try:
        services.account_invitation_resend(
            actor=request.user, invitation=invitation, base_url=_base_url(request)
        )
    except ValidationError as exc:
        return render_traject_detail(request, traject, errors=exc.messages, status=400)
    messages.success(
        request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
    )
    return _back(traject)


@login_required
@require_POST
def account_invitation_revoke(
    request: HttpRequest, traject_id: uuid.UUID, invitation_id: uuid.UUID
) -> HttpResponse:
    traject = permissions.get_traject_for_partnership_perm(
        user=request.user, public_id=traject_id, perm=permissions.CREATE_TRAJECTS
    )
    invitation = selectors.get_account_invitation(traject=traject, invitation_id=invitation_id)
    try:
        services.account_invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        return render_traject_detail(request, traject, errors=exc.messages, status=400)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return _back(traject)


# --- the public accept page --------------------------------------------------------------------


def _invalid(request: HttpRequest, reason: str) -> HttpResponse:
    """Unknown link: 404; used, revoked or expired: 410 Gone."""
    return render(
        request,
        "partnerships/account_invitation_invalid.html",
        {"message": INVALID_MESSAGES[reason], "reason": reason},
        status=404 if reason == "unknown" else 410,
    )


def _page(request: HttpRequest, context: dict[str, object], *, status: int = 200) -> HttpResponse:
    return render(request, "partnerships/account_invitation_accept.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def account_invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link of the e-mail. Sign up, log in first, or link the logged-in account."""
    try:
        invitation = services.account_invitation_from_token(token)
    except services.AccountInvitationInvalid as exc:
        return _invalid(request, exc.reason)
    context: dict[str, object] = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return _page(request, context, status=403 if request.method == "POST" else 200)
        if request.method == "POST":
            return _accept(request, token, user=user, context=context)
        return _page(request, context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["login_needed"] = True
        return _page(request, context)
    form = InvitationSignupForm(
        request.POST or None,
        email=invitation.email,
        initial={"full_name": invitation.invitee_name},
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
    return _page(request, context, status=400 if form.errors else 200)


def _accept(
    request: HttpRequest,
    token: str,
    *,
    context: dict[str, object],
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> HttpResponse:
    invitation: AccountInvitation = context["invitation"]
    try:
        user = services.account_invitation_accept(
            token=token, user=user, full_name=full_name, password=password
        )
    except services.AccountInvitationInvalid as exc:  # used or revoked between GET and POST
        return _invalid(request, exc.reason)
    except ValidationError as exc:
        context["errors"] = exc.messages
        return _page(request, context, status=400)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
