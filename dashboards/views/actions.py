"""The coordinator's action list (issue 14, item 3): ``dashboards:actions``.

For a school or company coördinator (a coördinator seat in a partnership team); anyone else gets 403, as the coordinator's other list
(``contracts:starts``). What is listed is ``dashboards.selectors.actions``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboards.selectors.actions import SHOWN, action_list
from partnerships import permissions


@login_required
@require_safe
def actions(request: HttpRequest) -> HttpResponse:
    # A coördinator seat in some team (``permissions.coordinates_contracts``), read together
    # with what each seat ticks on the start checklists.
    scopes = permissions.checklist_tick_scopes(user=request.user)
    if not scopes:
        raise PermissionDenied
    found = action_list(user=request.user, now=timezone.now(), scopes=scopes)
    return render(
        request,
        "dashboards/actions.html",
        {"groups": found.groups, "total": found.total, "shown": SHOWN},
    )
