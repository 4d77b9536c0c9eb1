"""The coordinator's action list (issue 14, item 3): ``dashboards:actions``.

For a school or company coördinator (a coördinator seat in a partnership team); anyone else
gets 403, as the coordinator's other list (``contracts:starts``). What is listed is
``dashboards.selectors.actions``; each group is a ``dashboards.tables.Table`` (labelled cards
on a phone), exported whole as CSV or XLSX (``?export=<group>&format=csv|xlsx``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dashboards.selectors.actions import SHOWN, Action, ActionGroup, action_list
from dashboards.tables import Column, Table, export_response
from partnerships import permissions


def _table(group: ActionGroup, rows: list[Action]) -> Table:
    return Table(
        slug=group.key,
        title=f"{group.title} ({group.count})",
        columns=[
            Column("what", _("What")),
            Column("detail", _("Details")),
            Column("date", _("Date")),
            Column("late", _("Late")),
        ],
        rows=[
            {
                "what": row.title,
                "detail": row.detail,
                "date": row.due,
                "late": _("Late") if row.late else "",
            }
            for row in rows
        ],
        links=[row.url for row in rows],
        empty=_("Nothing waits here."),
    )


@login_required
@require_safe
def actions(request: HttpRequest) -> HttpResponse:
    # A coördinator seat in some team (``permissions.coordinates_contracts``), read together
    # with what each seat ticks on the start checklists.
    scopes = permissions.checklist_tick_scopes(user=request.user)
    if not scopes:
        raise PermissionDenied
    found = action_list(user=request.user, now=timezone.now(), scopes=scopes)
    whole = [_table(group, group.rows) for group in found.groups]
    if (response := export_response(request, whole, filename_stem=_("actions"))) is not None:
        return response
    return render(
        request,
        "dashboards/actions.html",
        {
            "sections": [
                (group, _table(group, group.shown) if group.hidden else table)
                for group, table in zip(found.groups, whole, strict=True)
            ],
            "total": found.total,
            "shown": SHOWN,
        },
    )
