"""A student's progress: per leerfiche each evaluator's status and its history (how far the
marks were after every session day, the day all criteria were reached), per soft skill the
ratings over the evaluation periods of the partnership, and the werkpunten, open and closed.

For the student, the parents (read-only, no forms) and the team; the team also asks for the
evaluation report (PDF, ``evaluation.documents.report``) from here.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from duaal.http import AuthenticatedHttpRequest
from evaluation.selectors.progress import LeerficheHistory, leerfiche_history, werkpunten_of
from evaluation.selectors.triangulation import (
    SKILL_COLUMNS,
    SkillPeriod,
    SkillRow,
    soft_skills,
    triangulation,
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


def history_rows(history: LeerficheHistory) -> list[tuple[str, SafeString]]:
    """The history table's rows of a leerfiche: (date, its cells' HTML) per session day. Built
    here rather than in the template: a long traject has about a thousand cells, and the
    template language spent most of the page's time on them (decision 0022). The numbers are
    whole (no localisation) and each column's label is escaped once."""
    total = history.total
    labels: dict[str, str] = {}
    rows = []
    for point in history.points:
        cells = []
        for cell in point.cells:
            label = labels.get(cell.short)
            if label is None:
                label = labels[cell.short] = escape(cell.short)
            if cell.marked:
                cells.append(
                    f'<td data-label="{label}"><strong>{cell.reached}/{total}</strong></td>'
                )
            else:
                cells.append(
                    f'<td data-label="{label}"><span class="muted">{cell.reached}/{total}</span></td>'
                )
        rows.append(
            (
                date_format(point.date, "SHORT_DATE_FORMAT"),
                mark_safe("".join(cells)),  # noqa: S308 - escaped labels and whole numbers
            )
        )
    return rows


@login_required
@require_http_methods(READ_ONLY)
def traject_progress(request: AuthenticatedHttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = permissions.get_traject_for_evaluation(user=request.user, public_id=traject_id)
    read_only(request)
    tri = triangulation(traject_id=traject.pk)
    periods = soft_skills(traject_ids=[traject.pk], partnership_ids=[traject.partnership_id])[
        traject.pk
    ]
    rated = [period for period in periods if period.rated]
    is_family = permissions.sees_traject_as_family(user=request.user, traject=traject)
    names = {evaluator: name for evaluator, _short, name in tri.column_heads}
    return render(
        request,
        "evaluation/progress.html",
        {
            "traject": traject,
            "student": traject.student,
            "tri": tri,
            # (history, its table's rows, [(status, the evaluator's name)])
            "histories": [
                (
                    history,
                    history_rows(history),
                    [(status, names[evaluator]) for evaluator, status in history.block.statuses],
                )
                for history in leerfiche_history(triangulation=tri)
            ],
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
