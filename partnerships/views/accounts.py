"""Parents and guardians of a student, and accounts for students and parents (by invitation).

The traject's page holds the forms; these views act and redirect back to it, or re-render it
with the errors (400). Managing needs ``create_trajects`` on the traject's partnership
(``permissions.get_traject_for_partnership_perm``: 404 not visible, 403 without the right). The
public accept page is the one of every invitation (``views/invitations.py``).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships import permissions
from partnerships.forms.trajects import StudentContactForm
from partnerships.models import StudentContact, Traject
from partnerships.selectors import trajects as selectors
from partnerships.services import accounts as services
from partnerships.services import invitations as invitation_services
from partnerships.services import trajects as traject_services
from partnerships.views.trajects import render_traject_detail


def _back(traject: Traject, section: str = "") -> HttpResponse:
    url = resolve_url("partnerships:traject_detail", traject_id=traject.public_id)
    return redirect(f"{url}#{section}" if section else url)


def _invite(request: HttpRequest, traject: Traject, contact: StudentContact | None) -> HttpResponse:
    try:
        invitation = services.account_invitation_create(
            actor=request.user,
            student=traject.student,
            contact=contact,
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
        return _back(traject, "contacts-title")
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
        invitation_services.invitation_resend(actor=request.user, invitation=invitation)
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
        invitation_services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        return render_traject_detail(request, traject, errors=exc.messages, status=400)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return _back(traject)
