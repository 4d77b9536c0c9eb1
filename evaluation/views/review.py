"""The team's review: the overview of their students' evaluations and, per student, the
triangulation — LL / M / LK (and OC) side by side per criterion with the divergences marked,
the soft skills per period, and what the student learned at the workplace.

Read-only pages: anyone who sees the traject reads them (``permissions``: 404 otherwise); a
POST is refused with 403 once the traject is known to be visible.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from duaal.http import AuthenticatedHttpRequest
from evaluation.selectors.overview import team_overview
from evaluation.selectors.triangulation import soft_skills, triangulation, workplace_sessions
from partnerships import permissions

GET = ["GET", "HEAD"]
READ_ONLY = ["GET", "HEAD", "POST"]


def read_only(request: AuthenticatedHttpRequest) -> None:
    """A page of which the viewer may see the traject, but nothing here is written: 403."""
    if request.method not in GET:
        raise PermissionDenied


@login_required
@require_http_methods(GET)
def review_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = team_overview(user=request.user)
    return render(request, "evaluation/review_overview.html", {"rows": rows})


@login_required
@require_http_methods(READ_ONLY)
def traject_triangulation(request: AuthenticatedHttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_evaluation(user=request.user, public_id=traject_id)
    read_only(request)
    periods = soft_skills(traject_ids=[traject.pk], partnership_ids=[traject.partnership_id])[
        traject.pk
    ]
    workplace = workplace_sessions(traject=traject)
    return render(
        request,
        "evaluation/review_triangulation.html",
        {
            "traject": traject,
            "student": traject.student,
            "tri": triangulation(traject_id=traject.pk),
            "periods": [period for period in periods if period.rated],
            "workplace": workplace,
            "is_family": permissions.sees_traject_as_family(user=request.user, traject=traject),
        },
    )


urlpatterns: list[URLPattern] = [
    path("evaluations/", review_overview, name="review_overview"),
    path(
        "trajects/<uuid:traject_id>/evaluations/triangulation/",
        traject_triangulation,
        name="triangulation",
    ),
]
