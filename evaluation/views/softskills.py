"""The soft-skill sheet (appendix 3) of one traject and evaluation period.

One form holds the viewer's own column (LL for the student, M for the mentor's side, LK for
the school's) with the other columns read-only beside it; the mentor's sterke punten; for the
team a werkpunt per item rated "voldoet nog niet" (the werkpunt text is required, a concrete
example and an afspraak are asked for), the afspraken at the end of each group and the open
werkpunten of earlier rounds to close with an outcome.

Saving follows the autosave contract (``static/js/autosave.js``): a change posts the form with
``X-Autosave: 1`` and gets JSON (saved / stale with the other person's values / invalid); the
autosave saves ratings, sterke punten and afspraken only. The buttons post the whole form
("Bewaren", "Indienen") and also open and close werkpunten. Parents and the team roles
without "Evalueren en feedback geven" read; a POST from them is 403; outsiders get 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duaal.http import AuthenticatedHttpRequest
from evaluation.models import EVALUATOR_SHORT, Evaluator, Outcome, Rating, Werkpunt
from evaluation.selectors import softskills as selectors
from evaluation.services import softskills as services
from evaluation.services import werkpunten
from evaluation.services.sheets import Locked, StaleVersion
from evaluation.skills import ABOVE_BASIC_NOTE, AGREEMENTS_LINE, GROUPS, SKILLS
from evaluation.views import autosave
from learning.models import Period
from partnerships import permissions
from partnerships.models import Traject

WERKPUNT_FIELDS = ("text", "example", "afspraak")


def _own_column(traject: Traject) -> str | None:
    """The sheet column the viewer writes (LL, M or LK); None: they read."""
    roles = traject.evaluator_roles
    for evaluator in (Evaluator.SELF, Evaluator.MENTOR, Evaluator.TEACHER):
        if evaluator in roles:
            return evaluator
    return None


def _period(request: AuthenticatedHttpRequest, traject: Traject, periods: list[Period]) -> Period:
    raw = request.POST.get("period") or request.GET.get("period")
    if not raw:
        period = selectors.current_period(periods)
        if period is None:
            raise Http404
        return period
    for period in periods:
        if str(period.pk) == raw:
            return period
    raise Http404


def _url(traject: Traject, period: Period) -> str:
    return reverse("evaluation:softskills", args=[traject.public_id]) + f"?period={period.pk}"


def _column_values(state: services.SoftSkillState) -> dict[str, str]:
    values = {f"rating-{key}": state.ratings.get(key, "") for key in SKILLS}
    values.update({f"strong-{key}": "1" if key in state.strong else "" for key in SKILLS})
    return values


def _message_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


# --- reading the posted form -------------------------------------------------------------------


def _posted_ratings(request: AuthenticatedHttpRequest) -> dict[str, str | None]:
    return {key: request.POST[f"rating-{key}"] for key in SKILLS if f"rating-{key}" in request.POST}


def _posted_strong(request: AuthenticatedHttpRequest, column: str) -> dict[str, bool] | None:
    if column != Evaluator.MENTOR or "strong-shown" not in request.POST:
        return None
    return {key: request.POST.get(f"strong-{key}") == "1" for key in SKILLS}


def _posted_agreements(request: AuthenticatedHttpRequest) -> dict[str, str]:
    return {
        group.key: request.POST[f"agreement-{group.key}"]
        for group in GROUPS
        if f"agreement-{group.key}" in request.POST
    }


def _posted_werkpunten(request: AuthenticatedHttpRequest) -> dict[str, dict[str, str]]:
    found = {}
    for key in SKILLS:
        values = {name: request.POST.get(f"werkpunt-{key}-{name}", "") for name in WERKPUNT_FIELDS}
        if any(value.strip() for value in values.values()):
            found[key] = values
    return found


def _posted_closes(
    request: AuthenticatedHttpRequest, sheet: selectors.Sheet
) -> dict[Werkpunt, dict]:
    closes = {}
    for werkpunt in sheet.earlier_open:
        outcome = request.POST.get(f"close-{werkpunt.public_id}", "")
        if outcome:
            closes[werkpunt] = {
                "outcome": outcome,
                "note": request.POST.get(f"close-{werkpunt.public_id}-note", ""),
                "version": request.POST.get(f"close-{werkpunt.public_id}-version", ""),
            }
    return closes


# --- the view ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def softskills(request: AuthenticatedHttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    writing = request.method == "POST"
    traject = permissions.get_traject_for_evaluation(
        user=request.user, public_id=traject_id, write=writing
    )
    column = _own_column(traject)
    if writing and column is None:
        raise PermissionDenied
    periods = selectors.periods_of(traject)
    period = _period(request, traject, periods)
    if not writing or column is None:  # a writer without a column was refused above
        return _render(request, traject, period, periods, column)
    if autosave.is_autosave(request):
        return _autosave(request, traject, period, column)
    return _save(request, traject, period, periods, column)


def _autosave(
    request: AuthenticatedHttpRequest, traject: Traject, period: Period, column: str
) -> JsonResponse:
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return autosave.invalid({"version": _("Reload the page and try again.")})
    try:
        with transaction.atomic():
            found = services.open_round(actor=request.user, traject=traject, period=period)
            state = services.rate_soft_skills(
                actor=request.user,
                traject=traject,
                round=found,
                evaluator=column,
                ratings=_posted_ratings(request),
                strong=_posted_strong(request, column),
                version=version,
            )
            if column != Evaluator.SELF:
                for group_key, text in _posted_agreements(request).items():
                    try:
                        services.set_agreement(
                            actor=request.user,
                            traject=traject,
                            round=found,
                            group_key=group_key,
                            text=text,
                        )
                    except ValidationError as error:
                        raise ValidationError({f"agreement-{group_key}": error.messages}) from None
    except StaleVersion as exc:
        return autosave.stale(
            _message_of(exc), version=exc.current.version, values=_column_values(exc.current)
        )
    except Locked as exc:
        return autosave.refused(_message_of(exc))
    except ValidationError as error:
        return autosave.invalid(autosave.error_messages(error))
    return autosave.saved(state.version)


def _save(
    request: AuthenticatedHttpRequest,
    traject: Traject,
    period: Period,
    periods: list[Period],
    column: str,
) -> HttpResponse:
    sheet = selectors.sheet(traject=traject, period=period)
    submit = request.POST.get("hand_in") == "1"
    ratings = _posted_ratings(request)
    team = column != Evaluator.SELF
    new_werkpunten = _posted_werkpunten(request) if team else {}
    closes = _posted_closes(request, sheet) if team else {}
    errors: dict[str, str] = {}
    general: list[str] = []
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
        general.append(_("Reload the page and try again."))
    if team:
        # "Voldoet nog niet" from the team is a werkpunt: one that stays open, or a new one.
        still_open = {w.skill_key for w in sheet.earlier_open if w not in closes} | {
            w.skill_key
            for block in sheet.groups
            for item in block.items
            for w in item.werkpunten
            if w.is_open
        }
        current = {item.key: item.ratings.get(column) for b in sheet.groups for item in b.items}
        for key in SKILLS:
            rating = ratings.get(key, current.get(key))
            if rating != Rating.NOT_YET or key in still_open:
                continue
            if not new_werkpunten.get(key, {}).get("text", "").strip():
                errors[f"werkpunt-{key}-text"] = _(
                    "Rated voldoet nog niet: say what the student should work on."
                )
        for werkpunt, values in closes.items():
            if values["outcome"] not in Outcome.values:
                errors[f"close-{werkpunt.public_id}"] = _("Choose how the werkpunt ended.")
    status = 400
    if not errors and not general:
        try:
            with transaction.atomic():
                found = services.open_round(actor=request.user, traject=traject, period=period)
                services.rate_soft_skills(
                    actor=request.user,
                    traject=traject,
                    round=found,
                    evaluator=column,
                    ratings=ratings,
                    strong=_posted_strong(request, column),
                    version=version,
                    submit=submit,
                )
                if team:
                    for group_key, text in _posted_agreements(request).items():
                        try:
                            services.set_agreement(
                                actor=request.user,
                                traject=traject,
                                round=found,
                                group_key=group_key,
                                text=text,
                            )
                        except ValidationError as error:
                            errors[f"agreement-{group_key}"] = _message_of(error)
                    for key, values in new_werkpunten.items():
                        try:
                            werkpunten.open_werkpunt(
                                actor=request.user,
                                traject=traject,
                                skill_key=key,
                                soft_skill_round=found,
                                text=values["text"],
                                example=values["example"],
                                afspraak=values["afspraak"],
                            )
                        except ValidationError as error:
                            for name, messages_ in error.message_dict.items():
                                errors[f"werkpunt-{key}-{name}"] = " ".join(messages_)
                    for werkpunt, values in closes.items():
                        try:
                            werkpunten.close_werkpunt(
                                actor=request.user,
                                traject=traject,
                                werkpunt=werkpunt,
                                outcome=values["outcome"],
                                note=values["note"],
                                version=int(values["version"] or -1),
                            )
                        except (ValidationError, ValueError) as error:
                            message = (
                                _message_of(error)
                                if isinstance(error, ValidationError)
                                else _("Reload the page and try again.")
                            )
                            errors[f"close-{werkpunt.public_id}"] = message
                if errors:
                    raise _Rollback
        except _Rollback:
            pass
        except StaleVersion as stale:
            # Someone saved the column in between: show what is there now, keep nothing.
            general.append(_message_of(stale))
            return _render(request, traject, period, periods, column, general=general, status=409)
        except ValidationError as error:
            general.append(_message_of(error))
        else:
            if submit:
                messages.success(request, _("Your evaluation was handed in."))
            else:
                messages.success(request, _("Your evaluation was saved."))
            return redirect(_url(traject, period))
    return _render(
        request,
        traject,
        period,
        periods,
        column,
        errors=errors,
        general=general,
        posted=request.POST,
        status=status,
    )


@dataclass
class EarlierWerkpunt:
    """An open werkpunt of an earlier round on the form: what the team posted to close it."""

    werkpunt: Werkpunt
    close_value: str = ""
    close_note: str = ""
    close_error: str = ""


class _Rollback(Exception):
    """Undo the whole save when one of its parts was refused."""


def _render(
    request: AuthenticatedHttpRequest,
    traject: Traject,
    period: Period,
    periods: list[Period],
    column: str | None,
    *,
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    sheet = selectors.sheet(traject=traject, period=period)
    own = sheet.columns.get(column) if column else None
    locked = bool(
        own is not None and own.submitted_at is not None and own.author_id != request.user.pk
    )
    writes = column is not None and not locked
    team = writes and column != Evaluator.SELF
    errors = errors or {}
    general = general or []
    posted = posted or {}
    labels = dict(Rating.choices)
    # What the form shows: the posted values after a refused save, else what is stored.
    for block in sheet.groups:
        for item in block.items:
            item.mine = posted.get(f"rating-{item.key}", item.ratings.get(column or "", ""))
            if posted:
                item.mine_strong = posted.get(f"strong-{item.key}") == "1"
            else:
                item.mine_strong = item.strong
            item.cells = [
                (
                    EVALUATOR_SHORT[evaluator],
                    labels.get(item.ratings.get(evaluator, ""), "–"),
                    item.ratings.get(evaluator, ""),
                )
                for evaluator in selectors.SHEET_COLUMNS
                if not writes or evaluator != column
            ]
            item.open_werkpunt = any(w.is_open for w in item.werkpunten)
            item.werkpunt_fields = [
                {
                    "id": f"werkpunt-{item.key}-{name}",
                    "label": label,
                    "long": name != "text",
                    "required": name == "text",
                    "value": posted.get(f"werkpunt-{item.key}-{name}", ""),
                    "error": errors.get(f"werkpunt-{item.key}-{name}", ""),
                }
                for name, label in (
                    ("text", _("Werkpunt")),
                    ("example", _("Concrete example")),
                    ("afspraak", _("Afspraak")),
                )
            ]
            item.werkpunt_error = any(f["error"] for f in item.werkpunt_fields)
            item.asks_werkpunt = team and item.mine == Rating.NOT_YET and not item.open_werkpunt
        block.agreement_value = posted.get(f"agreement-{block.group.key}", block.agreement)
        block.agreement_error = errors.get(f"agreement-{block.group.key}", "")
    earlier_open = [
        EarlierWerkpunt(
            werkpunt=werkpunt,
            close_value=posted.get(f"close-{werkpunt.public_id}", ""),
            close_note=posted.get(f"close-{werkpunt.public_id}-note", ""),
            close_error=errors.get(f"close-{werkpunt.public_id}", ""),
        )
        for werkpunt in sheet.earlier_open
    ]
    context = {
        "traject": traject,
        "student": traject.student,
        "period": period,
        "periods": periods,
        "sheet": sheet,
        "earlier_open": earlier_open,
        "column": column,
        "column_short": EVALUATOR_SHORT[column] if column else "",
        "own_column": own,
        "writes": writes,
        "locked": locked,
        "team": team,
        "is_mentor": writes and column == Evaluator.MENTOR,
        "version": sheet.column_version(column) if column else 0,
        "ratings": [(value, label) for value, label in Rating.choices],
        "outcomes": [(Outcome.RESOLVED, _("Resolved")), ("", _("Stays open"))],
        "errors": errors,
        "error_list": [*general, *errors.values()],
        "agreements_line": AGREEMENTS_LINE,
        "above_basic_note": ABOVE_BASIC_NOTE,
        "columns_short": [EVALUATOR_SHORT[e] for e in selectors.SHEET_COLUMNS],
    }
    return render(request, "evaluation/softskills_sheet.html", context, status=status)


urlpatterns = [
    path(
        "trajects/<uuid:traject_id>/soft-skills/",
        softskills,
        name="softskills",
    ),
]
