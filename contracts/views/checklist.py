"""The start checklist of a contract and the coordinator's "starts in the next 30 days".

* ``contracts:checklist`` — the items of one contract as labelled cards (owner, due date,
  state, proof) with progress; those who may tick an item get a form beside it (date,
  reference, upload) or a button to reopen it.
* ``contracts:checklist_proof`` — an item's uploaded proof, for whoever reads the contract.
* ``contracts:starts`` — the contracts the viewer coordinates that start within 30 days (or
  should have started and have not), each with its open blocking items and their owners.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from contracts import checklist
from contracts.access import get_contract_for_user
from contracts.models import ChecklistItem, Contract
from contracts.selectors.starts import STARTS_WINDOW, starts_due
from contracts.services import checklist as services
from duaal.forms import errors_onto
from partnerships import permissions
from partnerships.models import TeamRole

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DoneForm(forms.Form):
    done_on = forms.DateField(label=gettext_lazy("Done on"), widget=DATE_WIDGET)
    reference = forms.CharField(
        label=gettext_lazy("Reference number"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("For example the Dimona number or the insurance policy number."),
    )
    proof = forms.FileField(
        label=gettext_lazy("Proof (PDF or photo)"),
        required=False,
        help_text=gettext_lazy("Optional. PDF, JPEG or PNG, at most 10 MB."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


OWNER_CHOICES = [
    ("", gettext_lazy("As the RACI matrix says")),
    *[(role.value, role.label) for role in TeamRole if role != TeamRole.OUDER],
]


class ManageForm(forms.Form):
    """Another owner (for the whole partnership) and another due date (this contract)."""

    owner = forms.ChoiceField(
        label=gettext_lazy("Owner in this partnership"), choices=OWNER_CHOICES, required=False
    )
    due_on = forms.DateField(label=gettext_lazy("Due date"), widget=DATE_WIDGET)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _contract(request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID) -> Contract:
    contract = get_contract_for_user(user=request.user, public_id=contract_id)
    if contract.traject.public_id != traject_id:
        raise Http404
    return contract


def _cards(
    request: HttpRequest, contract: Contract, bound: dict[str, DoneForm] | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    items = checklist.checklist_of(contract)
    owner_of = checklist.owners([contract])
    everything, organisations = permissions.checklist_tick_scope(
        user=request.user, traject=contract.traject
    )
    may_manage = _may_manage(request, contract)
    overrides = checklist.owner_choices(contract.traject.partnership_id)
    cards = []
    for item in items:
        owner = owner_of[(contract.pk, item.code)]
        is_open = checklist.is_open(item, contract)
        may_tick = (everything or owner.organisation_id in organisations) and (
            item.code not in checklist.AUTOMATIC or contract.taken_over
        )
        manage = None
        if may_manage:
            manage = (bound or {}).get(f"manage-{item.code}") or ManageForm(
                prefix=f"manage-{item.code}",
                initial={
                    "owner": overrides.get(item.code, ""),
                    "due_on": item.due_on,
                    "version": item.version,
                },
            )
        form = (bound or {}).get(item.code) or DoneForm(
            prefix=item.code, initial={"done_on": today, "version": item.version}
        )
        cards.append(
            {
                "item": item,
                "help": checklist.item_help(item.code, contract),
                "owner": owner,
                "open": is_open,
                "overdue": is_open and item.due_on < today,
                "renewal_due": checklist.renewal_due(item),
                "may_tick": may_tick,
                "form": form if may_tick and is_open else None,
                "manage": manage,
            }
        )
    done, total = checklist.progress(items, contract)
    return {
        "contract": contract,
        "traject": contract.traject,
        "cards": cards,
        "done": done,
        "total": total,
        "blocking": checklist.open_blocking(contract, items, owner_of),
        "today": today,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_checklist(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID
) -> HttpResponse:
    contract = _contract(request, traject_id, contract_id)
    bound: dict[str, DoneForm] = {}
    if request.method == "POST" and request.POST.get("action") == "manage":
        return _manage(request, contract)
    if request.method == "POST":
        everything, organisations = permissions.checklist_tick_scope(
            user=request.user, traject=contract.traject
        )
        if not everything and not organisations:
            raise PermissionDenied  # a reader who ticks nothing (a mentor, the family)
        item = _posted_item(request, contract)
        if item is None:
            messages.error(request, _("Choose an item of the checklist."))
            return render(
                request, "contracts/checklist.html", _cards(request, contract), status=400
            )
        owner = checklist.owners([contract])[(contract.pk, item.code)]
        if not permissions.may_tick_checklist_item(
            user=request.user, traject=contract.traject, owner_organisation_id=owner.organisation_id
        ):
            raise PermissionDenied
        label = item.get_code_display()
        if request.POST.get("action") == "reopen":
            try:
                version = int(request.POST.get("version", ""))
                services.item_reopen(actor=request.user, item=item, version=version)
            except (ValueError, ValidationError) as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("“%(item)s” is open again.") % {"item": label})
            return redirect(request.path)
        form = DoneForm(request.POST, request.FILES, prefix=item.code)
        if form.is_valid():
            try:
                services.item_mark_done(
                    actor=request.user,
                    item=item,
                    version=form.cleaned_data["version"],
                    done_on=form.cleaned_data["done_on"],
                    reference=form.cleaned_data["reference"],
                    proof=form.cleaned_data["proof"],
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("“%(item)s” is done.") % {"item": label})
                return redirect(request.path)
        bound[item.code] = form
    status = 400 if bound else 200
    return render(
        request, "contracts/checklist.html", _cards(request, contract, bound), status=status
    )


def _may_manage(request: HttpRequest, contract: Contract) -> bool:
    """Moves due dates (Opmaken contracten) and chooses owners (the RACI matrix)."""
    return permissions.may_manage_contracts(
        user=request.user, traject=contract.traject
    ) and permissions.may_choose_checklist_owners(
        user=request.user, partnership=contract.traject.partnership
    )


def _posted_item(request: HttpRequest, contract: Contract) -> ChecklistItem | None:
    return checklist.item_of(contract, request.POST.get("item", ""), make=True)


def _manage(request: HttpRequest, contract: Contract) -> HttpResponse:
    if not _may_manage(request, contract):
        raise PermissionDenied
    item = _posted_item(request, contract)
    if item is None:
        messages.error(request, _("Choose an item of the checklist."))
        return render(request, "contracts/checklist.html", _cards(request, contract), status=400)
    form = ManageForm(request.POST, prefix=f"manage-{item.code}")
    if form.is_valid():
        try:
            if form.cleaned_data["due_on"] != item.due_on:
                services.item_set_due(
                    actor=request.user,
                    item=item,
                    version=form.cleaned_data["version"],
                    due_on=form.cleaned_data["due_on"],
                )
            services.owner_set(
                actor=request.user,
                partnership=contract.traject.partnership,
                code=item.code,
                role=form.cleaned_data["owner"] or None,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("“%(item)s” is saved.") % {"item": item.get_code_display()})
            return redirect(request.path)
    bound = {f"manage-{item.code}": form}
    return render(request, "contracts/checklist.html", _cards(request, contract, bound), status=400)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Something went wrong — reload the page and try again.")


@login_required
@require_http_methods(["GET", "HEAD"])
def checklist_proof(
    request: HttpRequest, traject_id: uuid.UUID, contract_id: uuid.UUID, code: str
) -> FileResponse:
    contract = _contract(request, traject_id, contract_id)
    item = checklist.item_of(contract, code)
    if item is None or not item.proof:
        raise Http404
    try:
        handle = item.proof.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.proof_name or item.proof.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def starts(request: HttpRequest) -> HttpResponse:
    if not permissions.coordinates_contracts(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "contracts/starts.html",
        {"rows": starts_due(user=request.user, today=today), "window": STARTS_WINDOW},
    )


urlpatterns = [
    path("contracts/starts/", starts, name="starts"),
    path(
        "trajects/<uuid:traject_id>/contracts/<uuid:contract_id>/checklist/",
        contract_checklist,
        name="checklist",
    ),
    path(
        "trajects/<uuid:traject_id>/contracts/<uuid:contract_id>/checklist/<slug:code>/proof/",
        checklist_proof,
        name="checklist_proof",
    ),
]
