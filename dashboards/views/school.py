"""The school director's dashboard (issue 14, item 1): ``/dashboards/school/``.

Who may see it: the directie and the coördinator duaal of a school in a partnership
(``permissions.partnerships_with_school_dashboard``); anyone else gets 404, as for a
partnership they cannot see. ``?year=`` and ``?partnership=`` choose what it shows; a bad value
falls back to the newest school year and its first partnership."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dashboards import charts
from dashboards.selectors.school import SchoolDashboard, school_dashboard
from dashboards.tables import Column, Table, export_response
from dashboards.views.klassenraad import klassenraad_form


def _tables(board: SchoolDashboard) -> dict[str, Table]:
    weeks = [
        {
            "week": date_format(week.week_start, "SHORT_DATE_FORMAT"),
            "self": week.self_pct,
            "mentor": week.mentor_pct,
            "teacher": week.teacher_pct,
        }
        for week in board.weeks
    ]
    gaps = [{"what": title} for title in board.untaught]
    return {
        "students": Table(
            slug="students",
            title=_("Students by status"),
            columns=[Column("status", _("Status")), Column("count", _("Students"), numeric=True)],
            rows=[{"status": label, "count": count} for _s, label, count in board.by_status],
            # The students list, filtered on the partnership's opleiding, year and the status:
            # it shows only the students the viewer may see.
            links=[
                reverse("partnerships:traject_list")
                + "?"
                + urlencode(
                    {
                        "opleiding": board.partnership.opleiding.code,
                        "year": board.partnership.school_year,
                        "status": status,
                    }
                )
                for status, _l, _n in board.by_status
            ]
            if board.partnership
            else [],
            empty=_("No students in this partnership yet."),
        ),
        "contracts": Table(
            slug="contracts",
            title=_("Contracts"),
            columns=[
                Column("type", _("Type")),
                Column("state", _("State")),
                Column("count", _("Contracts"), numeric=True),
                Column("complete", _("Start checklist complete"), numeric=True),
            ],
            rows=[
                {
                    "type": row.contract_type,
                    "state": row.state,
                    "count": row.count,
                    "complete": row.checklists_complete,
                }
                for row in board.contracts
            ],
            empty=_("No contracts yet."),
        ),
        "weeks": Table(
            slug="weeks",
            title=_("Evaluations per week (percentage of running students)"),
            columns=[
                Column("week", _("Week of")),
                Column("self", _("Self-evaluation %"), numeric=True),
                Column("mentor", _("Mentor check-in %"), numeric=True),
                Column("teacher", _("Teacher %"), numeric=True),
            ],
            rows=weeks,
            empty=_("No weeks yet in this school year."),
        ),
        "rounds": Table(
            slug="softskills",
            title=_("Soft-skill rounds (percentage of running students)"),
            columns=[
                Column("period", _("Period")),
                Column("self", _("Student %"), numeric=True),
                Column("mentor", _("Mentor %"), numeric=True),
                Column("teacher", _("Teacher %"), numeric=True),
            ],
            rows=[
                {
                    "period": row.period,
                    "self": row.self_pct,
                    "mentor": row.mentor_pct,
                    "teacher": row.teacher_pct,
                }
                for row in board.rounds
            ],
            empty=_("No soft-skill round handed in yet."),
        ),
        "fiches": Table(
            slug="leerfiches",
            title=_("Criteria reached per leerfiche"),
            columns=[
                Column("fiche", _("Leerfiche")),
                Column("students", _("Students practising"), numeric=True),
                Column("complete", _("All criteria reached"), numeric=True),
                Column("reached", _("Criteria reached"), numeric=True),
                Column("total", _("Criteria"), numeric=True),
            ],
            rows=[
                {
                    "fiche": row.title,
                    "students": row.students,
                    "complete": row.students_complete,
                    "reached": row.reached,
                    "total": row.total,
                }
                for row in board.fiches
            ],
            empty=_("No leerfiche practised yet."),
        ),
        "risk": Table(
            slug="at-risk",
            title=_("Students who need attention"),
            columns=[Column("student", _("Student")), Column("reasons", _("Why"))],
            rows=[{"student": row.name, "reasons": row.text} for row in board.at_risk],
            links=[row.link for row in board.at_risk],
            empty=_("Nobody needs extra attention right now."),
        ),
        "gaps": Table(
            slug="coverage-gaps",
            title=_("Opleidingsplan: leerfiches without a place"),
            columns=[Column("what", _("Leerfiche"))],
            rows=gaps,
            empty=(
                _("Every leerfiche has a place in the opleidingsplan.")
                if board.plan_exists
                else _("This partnership has no opleidingsplan yet.")
            ),
        ),
    }


def _charts(board: SchoolDashboard) -> dict[str, str]:
    if not board.weeks:
        return {}
    labels = [date_format(week.week_start, "j/n") for week in board.weeks]
    found = {
        "weeks": charts.line_chart(
            chart_id="chart-weeks",
            title=_("Evaluations per week"),
            description=_(
                "The share of running students with a self-evaluation, a finished mentor "
                "check-in and a teacher's evaluation, per week of the school year. The same "
                "numbers are in the table below."
            ),
            labels=labels,
            series=[
                charts.Series(_("Self-evaluation"), [w.self_pct for w in board.weeks]),
                charts.Series(_("Mentor check-in"), [w.mentor_pct for w in board.weeks]),
                charts.Series(_("Teacher"), [w.teacher_pct for w in board.weeks]),
            ],
        )
    }
    if board.fiches:
        found["fiches"] = charts.bar_chart(
            chart_id="chart-fiches",
            title=_("Criteria reached per leerfiche"),
            description=_(
                "Per leerfiche, the share of its criteria the students practising it have "
                "reached. The same numbers are in the table below."
            ),
            bars=[
                (row.title, round(100 * row.reached / row.total) if row.total else 0)
                for row in board.fiches
            ],
            maximum=100,
            unit="%",
        )
    return found


@login_required
def school(request: HttpRequest) -> HttpResponse:
    board = school_dashboard(
        user=request.user,
        year=request.GET.get("year"),
        partnership_id=request.GET.get("partnership"),
    )
    if board.partnership is None:
        raise Http404
    tables = _tables(board)
    stem = f"{board.partnership.name}-{board.partnership.school_year}"
    if (
        response := export_response(request, list(tables.values()), filename_stem=stem)
    ) is not None:
        return response
    week = board.weeks[-1] if board.weeks else None
    return render(
        request,
        "dashboards/school.html",
        {
            "board": board,
            "tables": tables,
            "charts": _charts(board),
            "this_week": week,
            "in_year": [p for p in board.partnerships if p.school_year == board.year],
            "klassenraad_form": klassenraad_form(
                user=request.user, year=board.year, fixed_year=True
            ),
        },
    )
