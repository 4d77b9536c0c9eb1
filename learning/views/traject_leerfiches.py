"""The leerfiches of a student's own traject, for the student, the parents and the team.

Access: ``partnerships.permissions.get_traject_for_user`` with ``VIEW_TRAJECT`` (404 for
whoever does not see the traject). Only the leerfiches of the version the traject's plan
adopted are reachable here; a leerfiche of another version is 404. Leerfiches are shared
content: no internal text appears on these pages.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from learning.models import Leerfiche
from learning.selectors import catalogue as catalogue_selectors
from learning.selectors.traject_leerfiches import adopted_version, themes_with_leerfiches
from partnerships import permissions

GET = ["GET", "HEAD"]


@login_required
@require_http_methods(GET)
def traject_leerfiches(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.VIEW_TRAJECT
    )
    version = adopted_version(traject=traject)
    return render(
        request,
        "learning/traject_leerfiches.html",
        {
            "traject": traject,
            "student": traject.student,
            "version": version,
            "themes": themes_with_leerfiches(version=version) if version else [],
        },
    )


@login_required
@require_http_methods(GET)
def traject_leerfiche(
    request: HttpRequest, traject_id: uuid.UUID, leerfiche_id: uuid.UUID
) -> HttpResponse:
    traject = permissions.get_traject_for_user(
        user=request.user, public_id=traject_id, perm=permissions.VIEW_TRAJECT
    )
    version = adopted_version(traject=traject)
    if version is None:
        raise Http404
    leerfiche = (
        Leerfiche.objects.filter(version=version, public_id=leerfiche_id)
        .select_related("theme")
        .first()
    )
    if leerfiche is None:
        raise Http404
    catalogue_selectors.with_content([leerfiche])
    return render(
        request,
        "learning/traject_leerfiche.html",
        {
            "traject": traject,
            "student": traject.student,
            "version": version,
            "leerfiche": leerfiche,
        },
    )


urlpatterns = [
    path("trajects/<uuid:traject_id>/leerfiches/", traject_leerfiches, name="traject_leerfiches"),
    path(
        "trajects/<uuid:traject_id>/leerfiches/<uuid:leerfiche_id>/",
        traject_leerfiche,
        name="traject_leerfiche",
    ),
]
