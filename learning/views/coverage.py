"""Views of the learning app: the coverage matrix of a partnership's opleidingsplan and the
rotation of its students (see learning/urls.py).

A team tool: who may read the plan (``VIEW_PARTNERSHIP``, every team role with a RACI letter)
reads its coverage. Students and parents do not see the partnership, so they get 404 like
everyone outside it: the matrix shows what each company can and cannot offer and where every
student is placed, which is the team's business, not one student's.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from learning.selectors.coverage import coverage_for_viewer
from partnerships import permissions


@login_required
@require_http_methods(["GET", "HEAD"])
def coverage(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_user(
        user=request.user, public_id=partnership_id, perm=permissions.VIEW_PARTNERSHIP
    )
    return render(
        request,
        "learning/coverage.html",
        coverage_for_viewer(partnership=partnership, viewer=request.user),
    )


urlpatterns: list[URLPattern] = [
    path("partnerships/<uuid:partnership_id>/coverage/", coverage, name="coverage"),
]
