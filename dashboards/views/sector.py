"""The sector consultant's dashboard (issue 14, item 4): ``dashboards:sector``.

For a member of a sector body (``partnerships.permissions.sector_bodies_of``; 403 for anyone
else, as the consultant's inbox answers): the recognition pipeline per state and per
opleiding, the recognitions expiring within six months and the state of the mentor training,
counted over the requests routed to their bodies (``recognition_inbox_of``). Each table is
exported as CSV or XLSX (``?export=<slug>&format=csv|xlsx``). A consultant sees companies and
mentors, never a student: nothing here names a person at all.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dashboards import charts
from dashboards.selectors.sector import SectorDashboard, expiry_window, sector_dashboard
from dashboards.tables import Column, Table, export_response
from partnerships import permissions


def _inbox(**filters: str) -> str:
    return f"{reverse('recognition:consultant_inbox')}?{urlencode(filters)}"


def tables(dashboard: SectorDashboard) -> list[Table]:
    """The dashboard's four tables, as shown and as exported."""
    pipeline = Table(
        slug="pipeline",
        title=_("Requests by state"),
        columns=[
            Column("state", _("State")),
            Column("requests", _("Requests"), numeric=True),
            Column("due_soon", _("Decision due within 14 days"), numeric=True),
            Column("overdue", _("Decision overdue"), numeric=True),
        ],
        rows=[
            {
                "state": row.label,
                "requests": row.requests,
                "due_soon": row.due_soon,
                "overdue": row.overdue,
            }
            for row in dashboard.pipeline
        ],
        links=[_inbox(state=row.status) if row.requests else None for row in dashboard.pipeline],
    )
    opleidingen = Table(
        slug="opleidingen",
        title=_("Requests and recognitions by opleiding"),
        columns=[
            Column("opleiding", _("Opleiding")),
            Column("open", _("Open requests"), numeric=True),
            Column("due_soon", _("Decision due within 14 days"), numeric=True),
            Column("overdue", _("Decision overdue"), numeric=True),
            Column("in_force", _("Recognitions in force"), numeric=True),
        ],
        rows=[
            {
                "opleiding": row.name,
                "open": row.open,
                "due_soon": row.due_soon,
                "overdue": row.overdue,
                "in_force": row.in_force,
            }
            for row in dashboard.opleidingen
        ],
        links=[_inbox(state="all", opleiding=row.code) for row in dashboard.opleidingen],
        empty=_("No open request and no recognition in force."),
    )
    expiring = Table(
        slug="expiring",
        title=_("Recognitions expiring within six months"),
        columns=[
            Column("month", _("Month")),
            Column("expiring", _("Expiring"), numeric=True),
            Column("renewal_filed", _("Renewal filed"), numeric=True),
            Column("without_renewal", _("No renewal yet"), numeric=True),
        ],
        rows=[
            {
                "month": date_format(row.month, "YEAR_MONTH_FORMAT"),
                "expiring": row.expiring,
                "renewal_filed": row.renewal_filed,
                "without_renewal": row.without_renewal,
            }
            for row in dashboard.expiring
        ],
    )
    counts = dashboard.training
    training = Table(
        slug="training",
        title=_("Mentor training of the mentors of recognitions in force"),
        columns=[
            Column("state", _("Mentor training")),
            Column("mentors", _("Mentors"), numeric=True),
        ],
        rows=[
            {"state": _("Overdue"), "mentors": counts.overdue},
            {"state": _("Due within 90 days"), "mentors": counts.due_soon},
            {"state": _("Due later"), "mentors": counts.due_later},
            {"state": _("Completed"), "mentors": counts.completed},
        ],
    )
    return [pipeline, opleidingen, expiring, training]


def chart_of(dashboard: SectorDashboard) -> dict[str, str]:
    """The charts beside the tables (by the table's slug): the requests per state of the
    pipeline and the recognitions expiring per month; none when all is zero."""
    found = {}
    if any(row.requests for row in dashboard.pipeline):
        found["pipeline"] = charts.bar_chart(
            chart_id="chart-pipeline",
            title=_("Requests by state"),
            description=_(
                "The number of recognition requests in each state, in the order a request goes "
                "through them. The same numbers are in the table below."
            ),
            bars=[(row.label, row.requests) for row in dashboard.pipeline],
        )
    if dashboard.expiring_total:
        found["expiring"] = charts.grouped_bar_chart(
            chart_id="chart-expiring",
            title=_("Recognitions expiring per month"),
            description=_(
                "Per month of the coming six months, the recognitions that expire: those with a "
                "renewal filed and those without one yet. The same numbers are in the table below."
            ),
            labels=[date_format(row.month, "YEAR_MONTH_FORMAT") for row in dashboard.expiring],
            series=[
                charts.Series(
                    _("Renewal filed"), [row.renewal_filed for row in dashboard.expiring]
                ),
                charts.Series(
                    _("No renewal yet"), [row.without_renewal for row in dashboard.expiring]
                ),
            ],
        )
    return found


@login_required
@require_http_methods(["GET", "HEAD"])
def sector(request: HttpRequest) -> HttpResponse:
    bodies = permissions.sector_bodies_of(user=request.user)
    if not bodies:
        raise PermissionDenied
    today = timezone.localdate()
    dashboard = sector_dashboard(permissions.recognition_inbox_of(user=request.user), today=today)
    shown = tables(dashboard)
    if (response := export_response(request, shown, filename_stem="sector")) is not None:
        return response
    _first, last = expiry_window(today)
    drawn = chart_of(dashboard)
    return render(
        request,
        "dashboards/sector.html",
        {
            "bodies": bodies,
            "dashboard": dashboard,
            "sections": [(table, drawn.get(table.slug)) for table in shown],
            "expiry_until": last,
            "inbox_soon": _inbox(due="soon"),
            "inbox_overdue": _inbox(due="overdue"),
        },
    )
