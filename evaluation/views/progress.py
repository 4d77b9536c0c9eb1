"""A student's progress: per leerfiche each evaluator's status and its history (how far the
marks were after every session day, the day all criteria were reached), per soft skill the
ratings over the evaluation periods of the partnership, and the werkpunten, open and closed.

For the student, the parents (read-only, no forms) and the team; the team also asks for the
evaluation report (PDF, ``evaluation.documents.report``) from here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from duaal.http import AuthenticatedHttpRequest
from evaluation.models import Evaluator
from evaluation.selectors.marks import PROGRESS_LABELS, Progress, Status
from evaluation.selectors.progress import (
    HistoryCell,
    LeerficheHistory,
    TrajectProgress,
    leerfiche_progress,
    werkpunten_of,
)
from evaluation.selectors.triangulation import (
    SKILL_COLUMNS,
    SkillPeriod,
    SkillRow,
    short,
    soft_skills,
)
from evaluation.skills import GROUPS, Skill, SkillGroup
from evaluation.views.review import READ_ONLY, read_only
from learning.models import Period
from partnerships import permissions


def skill_timeline(
    periods: list[SkillPeriod],
) -> list[tuple[SkillGroup, list[tuple[Skill, list[tuple[Period, SkillRow]]]]]]:
    """Per soft skill (in sheet order), its cells per period: [(group, [(skill, [(period,
    row)])])]."""
    rows: dict[str, list[tuple[Period, SkillRow]]] = {}
    for period in periods:
        for group in period.groups:
            for row in group.rows:
                rows.setdefault(row.skill.key, []).append((period.period, row))
    return [
        (group, [(skill, rows.get(skill.key, [])) for skill in group.skills]) for group in GROUPS
    ]


def history_rows(history: LeerficheHistory, *, dates: dict[dt.date, str]) -> SafeString:
    """The history table's rows of a leerfiche, one ``<tr>`` per session day. Built here rather
    than in the template: a long traject has about a thousand cells, and the template language
    spent most of the page's time on them (decision 0022). The numbers are whole (no
    localisation), each distinct cell is built once, each date formatted once per request
    (``dates``: a date to its text, shared by the leerfiches)."""
    total = history.total
    html: dict[HistoryCell, str] = {}  # a cell's HTML (cells repeat: reuse it)
    rows = []
    for point in history.points:
        cells = []
        for cell in point.cells:
            found = html.get(cell)
            if found is None:
                label = escape(cell.short)
                found = html[cell] = (
                    f'<td data-label="{label}"><strong>{cell.reached}/{total}</strong></td>'
                    if cell.marked
                    else f'<td data-label="{label}"><span class="muted">'
                    f"{cell.reached}/{total}</span></td>"
                )
            cells.append(found)
        date = dates.get(point.date)
        if date is None:
            date = dates[point.date] = escape(date_format(point.date, "SHORT_DATE_FORMAT"))
        rows.append(
            f'<tr data-testid="history-point"><th scope="row">{date}</th>{"".join(cells)}</tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - escaped labels and dates, whole numbers


class StatusLines:
    """Each evaluator's status line of a leerfiche ("Practising — Mentor: 2 of 3 criteria
    reached"), as ``<li>`` elements. The sentences are translated and escaped once per page,
    not once per line, and a line seen before is reused (a traject has about 40 leerfiches,
    three or four lines each, many alike); only whole numbers and escaped dates are put in."""

    def __init__(self, columns: tuple[str, ...], *, dates: dict[dt.date, str]) -> None:
        self.names = {evaluator: escape(Evaluator(evaluator).label) for evaluator in columns}
        self.labels = {
            progress: escape(capfirst(str(label))) for progress, label in PROGRESS_LABELS.items()
        }
        self.reached = escape(gettext("%(reached)s of %(total)s criteria reached"))
        self.reached_on = escape(gettext("all reached on %(date)s"))
        self.dates = dates
        self.lines: dict[tuple[str, Status], str] = {}

    def line(self, evaluator: str, status: Status) -> str:
        found = self.lines.get((evaluator, status))
        if found is not None:
            return found
        badge = ""
        if status.progress == Progress.REACHED and status.date:
            date = self.dates.get(status.date)
            if date is None:
                date = self.dates[status.date] = escape(
                    date_format(status.date, "SHORT_DATE_FORMAT")
                )
            badge = f' <span class="badge badge--ok">{self.reached_on % {"date": date}}</span>'
        sentence = self.reached % {"reached": int(status.reached), "total": int(status.total)}
        found = self.lines[(evaluator, status)] = (
            f"<li><strong>{self.labels[status.progress]}</strong> — {self.names[evaluator]}: "
            f"{sentence}{badge}</li>"
        )
        return found

    def __call__(self, statuses: list[tuple[str, Status]]) -> SafeString:
        # Escaped labels, names and sentences, escaped dates and whole numbers.
        return mark_safe("\n".join(self.line(e, status) for e, status in statuses))  # noqa: S308


@dataclass
class LeerficheSection:
    """What the page shows of one leerfiche: its title, the status lines, the history table's
    caption and rows."""

    title: str
    statuses: SafeString
    caption: str
    rows: SafeString


def leerfiche_sections(progress: TrajectProgress) -> list[LeerficheSection]:
    dates: dict[dt.date, str] = {}
    status_lines = StatusLines(progress.columns, dates=dates)
    captions: dict[int, str] = {}
    sections = []
    for history in progress.leerfiches:
        caption = captions.get(history.total)
        if caption is None:
            caption = captions[history.total] = ngettext(
                "History: criteria on V after each session day (%(counter)s criterion)",
                "History: criteria on V after each session day (%(counter)s criteria)",
                history.total,
            ) % {"counter": history.total}
        sections.append(
            LeerficheSection(
                title=history.title,
                statuses=status_lines(history.statuses),
                caption=caption,
                rows=history_rows(history, dates=dates),
            )
        )
    return sections


@login_required
@require_http_methods(READ_ONLY)
def traject_progress(request: AuthenticatedHttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_evaluation(user=request.user, public_id=traject_id)
    read_only(request)
    progress = leerfiche_progress(traject_id=traject.pk)
    periods = soft_skills(
        traject_ids=[traject.pk], partnership_ids=[traject.partnership_id], agreements=False
    )[traject.pk]
    rated = [period for period in periods if period.rated]
    is_family = permissions.sees_traject_as_family(user=request.user, traject=traject)
    return render(
        request,
        "evaluation/progress.html",
        {
            "traject": traject,
            "student": traject.student,
            "column_heads": format_html_join(
                "",
                '<th scope="col"><abbr title="{}">{}</abbr></th>',
                ((Evaluator(evaluator).label, short(evaluator)) for evaluator in progress.columns),
            ),
            "leerfiches": leerfiche_sections(progress),
            "periods": periods,
            "rated_periods": rated,
            "skill_columns": SKILL_COLUMNS,
            "skills": skill_timeline(rated),
            "werkpunten": list(werkpunten_of(traject_id=traject.pk)),
            "is_family": is_family,
            "may_request_report": not is_family,
        },
    )


urlpatterns: list[URLPattern] = [
    path("trajects/<uuid:traject_id>/evaluations/progress/", traject_progress, name="progress"),
]
