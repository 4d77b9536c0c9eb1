"""The contract page of a traject and its lifecycle actions (issue 11, screens).

``traject_contracts`` lists the contracts of a traject the user reads (one per company) and,
for who may manage them (RACI "Opmaken contracten"), draws up a concept for a placement's
company. ``contract`` shows one contract: its state as lifecycle steps, the parties and who
signed when, the hours the type was derived from with the warnings, the leervergoeding of an
OAO, and the actions. Every change goes through ``contracts.services.lifecycle``; a stale
version or an invalid transition comes back as a message, bad input beside its field.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from contracts import checklist
from contracts.access import contracts_visible_to
from contracts.hours import contract_hours
from contracts.models import SIGNING_STATES, Contract, ContractState, Signature
from contracts.models.rates import monthly_leervergoeding
from contracts.services import lifecycle, signing
from contracts.views.lifecycle_forms import (
    CreateForm,
    EditForm,
    EndForm,
    RegisterForm,
    SuspendForm,
    VersionForm,
)
from learning.models import ContractType
from partnerships import permissions
from partnerships.forms.trajects import add_service_errors
from partnerships.models import Traject

State = ContractState
# The lifecycle as the page shows it: a suspension is a pause of "running", both ends one step.
STEPS = (State.CONCEPT, State.TO_SIGN, State.SIGNED, State.REGISTERED, State.RUNNING, State.ENDED)
STEP_OF = {State.SUSPENDED: State.RUNNING, State.ENDED_EARLY: State.ENDED}


def _traject(request: HttpRequest, traject_id: uuid.UUID, *, manage: bool = False) -> Traject:
    return permissions.get_traject_for_contracts(
        user=request.user, public_id=traject_id, manage=manage
    )


def _managed_contract(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> tuple[Traject, Contract]:
    """The traject and contract for an action: 404 unless the user reads the contract, then
    403 unless they hold "Opmaken contracten" on the traject."""
    traject = _traject(request, traject_id)
    contract = _contract(request, traject, contract_id)
    if not permissions.may_manage_contracts(user=request.user, traject=traject):
        raise PermissionDenied
    return traject, contract


def _contract(request: HttpRequest, traject: Traject, contract_id: uuid.UUID) -> Contract:
    """The contract of ``traject`` the user reads (404 otherwise: another company's contract
    does not exist for them)."""
    contract = (
        contracts_visible_to(user=request.user)
        .filter(traject=traject, public_id=contract_id)
        .select_related("company", "vestiging", "traject__student", "traject__partnership")
        .first()
    )
    if contract is None:
        raise Http404
    contract.traject = traject  # keeps ``user_perms`` for the permission answers
    return contract


def _contract_url(contract: Contract) -> str:
    return reverse("contracts:contract", args=[contract.traject.public_id, contract.public_id])


def _steps(contract: Contract) -> list[dict[str, Any]]:
    current = STEP_OF.get(contract.state, contract.state)
    index = STEPS.index(current)
    labels = dict(State.choices)
    steps = []
    for position, step in enumerate(STEPS):
        label = labels[step]
        if step == current:
            label = contract.get_state_display()
        steps.append(
            {
                "label": label,
                "done": position < index or (step == State.ENDED and position == index),
                "current": position == index,
            }
        )
    return steps


def _parties(contract: Contract) -> list[dict[str, Any]]:
    signatures = list(
        Signature.objects.filter(contract=contract).select_related("user").order_by("signed_at")
    )
    return [
        {
            "party": party,
            "valid": next((s for s in signatures if s.party_id == party.pk and s.is_valid), None),
            "voided": [s for s in signatures if s.party_id == party.pk and not s.is_valid],
        }
        for party in contract.parties.select_related("contact").order_by("pk")
    ]


def _actions(contract: Contract) -> dict[str, bool]:
    state = contract.state
    return {
        "edit": contract.is_editable,
        "send": state == State.CONCEPT,
        "register": state == State.SIGNED,
        "suspend": state == State.RUNNING,
        "resume": state == State.SUSPENDED,
        "end": state in lifecycle.ENDABLE,
    }


def _to_sign(request: HttpRequest, contract: Contract) -> list[Any]:
    """The parties the user signs for that have not signed yet (while out for signing)."""
    if contract.state != State.TO_SIGN:
        return []
    signed = set(
        Signature.objects.filter(contract=contract, voided_at__isnull=True).values_list(
            "party_id", flat=True
        )
    )
    return [
        party
        for party in signing.parties_signable_by(user=request.user, contract=contract)
        if party.pk not in signed
    ]


def _checklist(contract: Contract) -> dict[str, Any]:
    """Progress of the start checklist and, before the start, what still blocks it."""
    items = checklist.checklist_of(contract)
    done, total = checklist.progress(items, contract)
    before_start = contract.state in (*SIGNING_STATES, State.REGISTERED)
    blocking = (
        checklist.open_blocking(contract, items, checklist.owners([contract]))
        if before_start
        else []
    )
    return {"done": done, "total": total, "blocking": blocking, "before_start": before_start}


def render_contract(
    request: HttpRequest,
    contract: Contract,
    *,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    traject = contract.traject
    may_manage = permissions.may_manage_contracts(user=request.user, traject=traject)
    hours = contract_hours(traject=traject, company=contract.company_id)
    amount = None
    if contract.contract_type == ContractType.OAO and contract.leervergoeding_category:
        amount = monthly_leervergoeding(
            category=contract.leervergoeding_category, on=contract.start_date
        )
    others = (
        contracts_visible_to(user=request.user)
        .filter(traject=traject)
        .exclude(pk=contract.pk)
        .select_related("company")
    )
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "traject": traject,
            "student": traject.student,
            "contract": contract,
            "steps": _steps(contract),
            "parties": _parties(contract),
            "missing": lifecycle.missing_signatures(contract),
            "periods": contract.hours_basis,
            "threshold": 20,
            "warnings": hours.warnings,
            "hours_changed": bool(hours.periods) and hours.basis() != contract.hours_basis,
            "amount": amount,
            "show_internal": permissions.may_see_internal_text(user=request.user, traject=traject),
            "may_manage": may_manage,
            "actions": _actions(contract) if may_manage else {},
            "has_signatures": Signature.objects.filter(
                contract=contract, voided_at__isnull=True
            ).exists(),
            "others": others,
            "to_sign": _to_sign(request, contract),
            "checklist": _checklist(contract),
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def traject_contracts(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    """The contracts of a traject the user reads; a manager draws up the missing ones."""
    traject = _traject(request, traject_id)
    return _render_list(request, traject)


def _companies_without_contract(traject: Traject) -> list[tuple[int, str]]:
    have = set(Contract.objects.filter(traject=traject).values_list("company_id", flat=True))
    companies: dict[int, str] = {}
    for placement in traject.placements.select_related("company").order_by("start_date", "pk"):
        if placement.company_id not in have:
            companies.setdefault(placement.company_id, placement.company.name)
    return list(companies.items())


def _render_list(
    request: HttpRequest, traject: Traject, *, form: CreateForm | None = None, status: int = 200
) -> HttpResponse:
    may_manage = permissions.may_manage_contracts(user=request.user, traject=traject)
    companies = _companies_without_contract(traject) if may_manage else []
    if may_manage and companies and form is None:
        form = CreateForm(companies=companies)
    return render(
        request,
        "contracts/traject_contracts.html",
        {
            "traject": traject,
            "student": traject.student,
            "contracts": contracts_visible_to(user=request.user)
            .filter(traject=traject)
            .select_related("company"),
            "may_manage": may_manage,
            "form": form if companies else None,
        },
        status=status,
    )


@login_required
@require_POST
def contract_create(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    traject = _traject(request, traject_id, manage=True)
    form = CreateForm(request.POST, companies=_companies_without_contract(traject))
    if form.is_valid():
        company = (
            traject.placements.filter(company_id=form.cleaned_data["company"])
            .select_related("company")
            .first()
        )
        try:
            contract = lifecycle.contract_create(
                actor=request.user,
                traject=traject,
                company=company.company,  # type: ignore[union-attr]
                leervergoeding_category=form.cleaned_data["leervergoeding_category"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The concept of the contract is drawn up: check it, then send it for signing."),
            )
            return redirect(_contract_url(contract))
    return _render_list(request, traject, form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def contract_detail(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    traject = _traject(request, traject_id)
    return render_contract(request, _contract(request, traject, contract_id))


# --- actions -----------------------------------------------------------------------------------


def _simple_action(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID, service: Any, done: str
) -> HttpResponse:
    """An action without fields (send for signing, resume): the page's version, the service."""
    traject, contract = _managed_contract(request, traject_id, contract_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return render_contract(
            request, contract, error=_("Reload the page and try again."), status=400
        )
    try:
        service(actor=request.user, contract=contract, version=form.cleaned_data["version"])
    except ValidationError as exc:
        return render_contract(request, contract, error=" ".join(exc.messages), status=400)
    messages.success(request, done)
    return redirect(_contract_url(contract))


@login_required
@require_POST
def contract_send(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    return _simple_action(
        request,
        traject_id,
        contract_id,
        lifecycle.contract_send_for_signing,
        _("The contract is sent for signing: every party can sign it now."),
    )


@login_required
@require_POST
def contract_resume(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    return _simple_action(
        request,
        traject_id,
        contract_id,
        lifecycle.contract_resume,
        _("The contract runs again, and so do its placements."),
    )


def _edit(contract: Contract, form: forms.Form, actor: Any) -> None:
    data = form.cleaned_data
    lifecycle.contract_update(
        actor=actor,
        contract=contract,
        version=data["version"],
        data={k: data[k] for k in ("start_date", "end_date", "leervergoeding_category")},
        rederive_hours=data["rederive_hours"],
    )


def _register(contract: Contract, form: forms.Form, actor: Any) -> None:
    data = form.cleaned_data
    lifecycle.contract_register(
        actor=actor,
        contract=contract,
        version=data["version"],
        reference=data["registration_reference"],
        registered_on=data["registered_on"],
    )


def _suspend(contract: Contract, form: forms.Form, actor: Any) -> None:
    data = form.cleaned_data
    lifecycle.contract_suspend(
        actor=actor,
        contract=contract,
        version=data["version"],
        on=data["suspended_on"],
        reason=data["suspension_reason"],
    )


def _end(contract: Contract, form: forms.Form, actor: Any) -> None:
    data = form.cleaned_data
    lifecycle.contract_end(
        actor=actor,
        contract=contract,
        version=data["version"],
        on=data["ended_on"],
        reason=data["end_reason"],
        early=data["early"],
    )


# action → (form, service call, success message); ``_actions`` says when it is available
FORM_ACTIONS: dict[str, tuple[type[forms.Form], Any, Any]] = {
    "edit": (EditForm, _edit, gettext_lazy("The contract was changed.")),
    "register": (RegisterForm, _register, gettext_lazy("The contract is registered.")),
    "suspend": (
        SuspendForm,
        _suspend,
        gettext_lazy("The contract is suspended, and its placements pause."),
    ),
    "end": (EndForm, _end, gettext_lazy("The contract has ended, and so have its placements.")),
}


def _initial(contract: Contract, action: str) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": contract.version}
    if action == "edit":
        initial.update(
            start_date=contract.start_date,
            end_date=contract.end_date,
            leervergoeding_category=contract.leervergoeding_category,
        )
    return initial


def _form_action(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID, action: str
) -> HttpResponse:
    traject, contract = _managed_contract(request, traject_id, contract_id)
    form_class, perform, done = FORM_ACTIONS[action]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                perform(contract, form, request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, str(done))
                return redirect(_contract_url(contract))
    else:
        form = form_class(initial=_initial(contract, action))
    available = _actions(contract)[action]
    return render(
        request,
        f"contracts/contract_{action}.html",
        {
            "traject": traject,
            "student": traject.student,
            "contract": contract,
            "form": form,
            "available": available,
            "has_signatures": Signature.objects.filter(
                contract=contract, voided_at__isnull=True
            ).exists(),
            "back_url": _contract_url(contract),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_edit(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    return _form_action(request, traject_id, contract_id, "edit")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_register(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    return _form_action(request, traject_id, contract_id, "register")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_suspend(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    return _form_action(request, traject_id, contract_id, "suspend")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_end(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    return _form_action(request, traject_id, contract_id, "end")
