"""The company director's dashboard (issue 14, item 2): ``/dashboards/bedrijf/<company>/``.

Only the company's directie opens it (``permissions.get_company_for_director``: 404 for
someone outside the company, 403 for a member without the seat). Each table is shown as
labelled cards on a phone and exported as CSV or XLSX (``dashboards.tables``).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dashboards import charts
from dashboards.selectors.company import (
    CompanyDashboard,
    company_dashboard,
    company_school_years,
    pick_school_year,
)
from dashboards.tables import Column, Table, export_response
from partnerships import permissions
from partnerships.models.partnerships import school_year_label


def _training_text(status: str, on: object) -> str:
    day = date_format(on, "SHORT_DATE_FORMAT") if on else ""
    return {
        "done": _("Done on %(day)s") % {"day": day},
        "due": _("Due by %(day)s") % {"day": day},
        "overdue": _("Overdue since %(day)s") % {"day": day},
        "not_due": _("Not due yet (no recognition)"),
    }.get(status, "")


# The incentives' names are the Flemish government's (the same in every language).
INCENTIVE_TEXT = {
    "stagebonus": (
        "Stagebonus",
        gettext_lazy(
            "A bonus for the company per school year for each learner it trains on an OAO or SOAO."
        ),
    ),
    "rsz_mentor": (
        "RSZ-korting voor mentoren",
        gettext_lazy(
            "A reduction of the employer's social security contributions for the mentors who "
            "guide learners on an OAO or SOAO."
        ),
    ),
    "doelgroepvermindering": (
        "Doelgroepvermindering",
        gettext_lazy(
            "A reduction of the employer's social security contributions for learners on an "
            "OAO (they are paid a leervergoeding)."
        ),
    ),
}


def _tables(board: CompanyDashboard) -> list[Table]:
    company = board.company
    overview = reverse("partnerships:company_overview", args=[company.public_id])
    students = Table(
        slug="students",
        title=_("Students by school and status"),
        columns=[
            Column("school", _("School")),
            Column("opleiding", _("Opleiding")),
            Column("status", _("Status")),
            Column("count", _("Students"), numeric=True),
        ],
        rows=[
            {
                "school": r.school,
                "opleiding": r.opleiding,
                "status": r.status_label,
                "count": r.count,
            }
            for r in board.students
        ],
        links=[overview for _r in board.students],
        empty=_("No students at your company in this school year."),
    )
    mentors = Table(
        slug="mentors",
        title=_("Mentors"),
        columns=[
            Column("mentor", _("Mentor")),
            Column("load", _("Students today"), numeric=True),
            Column("limit", _("Maximum"), numeric=True),
            Column("training", _("Mentor training")),
            Column("recognition", _("Recognition valid until")),
            Column("due", _("Weekly check-ins due"), numeric=True),
            Column("done", _("Weekly check-ins done"), numeric=True),
            Column("rate", _("Done (%)"), numeric=True),
        ],
        rows=[
            {
                "mentor": r.name,
                "load": r.load,
                "limit": r.limit,
                "training": _training_text(r.training, r.training_on),
                "recognition": r.recognition_until,
                "due": r.checkins_due,
                "done": r.checkins_done,
                "rate": r.completion,
            }
            for r in board.mentors
        ],
        links=[
            reverse("recognition:mentor_profile", args=[company.public_id, r.public_id])
            for r in board.mentors
        ],
        empty=_("No mentors yet."),
    )
    contracts = Table(
        slug="contracts",
        title=_("Contracts by type and state"),
        columns=[
            Column("type", _("Contract type")),
            Column("state", _("State")),
            Column("count", _("Contracts"), numeric=True),
            Column("register_by", _("Register by")),
        ],
        rows=[
            {
                "type": r.type_label,
                "state": r.state_label,
                "count": r.count,
                "register_by": r.registration_deadline,
            }
            for r in board.contracts
        ],
        empty=_("No contracts in this school year."),
    )
    recognitions = Table(
        slug="recognitions",
        title=_("Recognitions in force"),
        columns=[
            Column("vestiging", _("Establishment")),
            Column("opleiding", _("Opleiding")),
            Column("valid_until", _("Valid until")),
        ],
        rows=[
            {"vestiging": r.vestiging, "opleiding": r.opleiding, "valid_until": r.valid_until}
            for r in board.recognitions
        ],
        empty=_("No recognition in force."),
    )
    incentives = Table(
        slug="incentives",
        title=_("Incentives that may apply"),
        columns=[
            Column("incentive", _("Incentive")),
            Column("applies_to", _("For")),
            Column("contracts", _("Registered contracts"), numeric=True),
        ],
        rows=[
            {
                "incentive": INCENTIVE_TEXT[i.key][0],
                "applies_to": " / ".join(i.applies_to),
                "contracts": i.contracts,
            }
            for i in board.incentives
        ],
    )
    return [students, mentors, contracts, recognitions, incentives]


def _charts(board: CompanyDashboard) -> dict[str, str]:
    """The check-ins per mentor (due against done) and the contracts by type and state, beside
    the tables with the same numbers; none when there is nothing to draw."""
    found = {}
    mentors = [row for row in board.mentors if row.checkins_due]
    if mentors:
        found["mentors"] = charts.grouped_bar_chart(
            chart_id="chart-checkins",
            title=_("Weekly check-ins per mentor"),
            description=_(
                "Per mentor, the weekly check-ins due this school year and how many of them are "
                "done. The same numbers are in the table of mentors below."
            ),
            labels=[row.name for row in mentors],
            series=[
                charts.Series(_("Weekly check-ins due"), [row.checkins_due for row in mentors]),
                charts.Series(_("Weekly check-ins done"), [row.checkins_done for row in mentors]),
            ],
        )
    if board.contracts:
        found["contracts"] = charts.bar_chart(
            chart_id="chart-contracts",
            title=_("Contracts by type and state"),
            description=_(
                "The number of contracts of this school year per contract type and state. The "
                "same numbers are in the table below."
            ),
            bars=[
                (f"{row.contract_type} · {row.state_label}", row.count) for row in board.contracts
            ],
        )
    return found


@login_required
@require_http_methods(["GET", "HEAD"])
def company_dashboard_view(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    company = permissions.get_company_for_director(
        user=request.user, organisation_id=organisation_id
    )
    today = timezone.localdate()
    years = company_school_years(company=company)
    year = pick_school_year(request.GET.get("year"), years=years, today=today)
    board = company_dashboard(
        user=request.user, company=company, school_year=year, school_years=years, today=today
    )
    tables = _tables(board)
    stem = f"{company.name}-{school_year_label(year)}"
    if (response := export_response(request, tables, filename_stem=stem)) is not None:
        return response
    students, mentors, contracts, recognitions, incentives = tables
    return render(
        request,
        "dashboards/company.html",
        {
            "board": board,
            "company": company,
            "year_label": school_year_label(year),
            "years": [(y, school_year_label(y)) for y in years],
            "students_table": students,
            "mentors_table": mentors,
            "contracts_table": contracts,
            "recognitions_table": recognitions,
            "incentives_table": incentives,
            "charts": _charts(board),
            "incentive_texts": [
                (INCENTIVE_TEXT[i.key][0], INCENTIVE_TEXT[i.key][1], i) for i in board.incentives
            ],
        },
    )
