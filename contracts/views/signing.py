"""The signing screen, the contract PDF page and the download of the stored PDF.

Reading: ``contracts.access.get_contract_for_user`` (404 for whoever does not read the
contract). Signing: ``contracts.services.signing`` (who signs for which party is
``partnerships.permissions.may_sign_contract``). The PDF served is always a STORED one
(``contracts.pdf``), checked against its SHA-256 before it leaves the server.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from contracts import pdf
from contracts.access import get_contract_for_user
from contracts.models import Contract, ContractPdf, ContractState, PdfKind, Signature
from contracts.services import signing
from duaal.audit import client_ip


class SignForm(forms.Form):
    party = forms.TypedChoiceField(coerce=int, label=gettext_lazy("I sign for"))
    typed_name = forms.CharField(
        label=gettext_lazy("Your full name"),
        max_length=200,
        help_text=gettext_lazy("Type your first and last name as Duaal knows them."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    pdf_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    agree = forms.BooleanField(
        label=gettext_lazy("I have read the contract shown above and I agree to it."),
    )

    def __init__(self, *args, parties=(), **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [
            (party.pk, f"{party.get_role_display()}: {party.name}") for party in parties
        ]


def _voided(contract: Contract) -> list[Signature]:
    """Signatures that no longer count, newest first, with their reason (shared with all)."""
    return list(
        contract.signatures.filter(voided_at__isnull=False)
        .select_related("party")
        .order_by("-voided_at", "-pk")
    )


def _valid(contract: Contract) -> list[Signature]:
    return list(
        contract.signatures.filter(voided_at__isnull=True).select_related("party").order_by("pk")
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_sign(request: HttpRequest, contract_id: uuid.UUID) -> HttpResponse:
    contract = get_contract_for_user(user=request.user, public_id=contract_id)
    parties = signing.parties_signable_by(user=request.user, contract=contract)
    signed_party_ids = set(
        contract.signatures.filter(voided_at__isnull=True).values_list("party_id", flat=True)
    )
    open_parties = [party for party in parties if party.pk not in signed_party_ids]
    stored: ContractPdf | None = None
    if contract.state == ContractState.TO_SIGN:
        stored = signing.pdf_for_signing(actor=request.user, contract=contract)
    form = None
    if stored is not None and open_parties:
        initial = {"pdf_sha256": stored.sha256, "version": contract.version}
        if request.method == "POST":
            form = SignForm(request.POST, parties=open_parties, initial=initial)
            if form.is_valid():
                party = next(p for p in open_parties if p.pk == form.cleaned_data["party"])
                try:
                    signing.sign(
                        actor=request.user,
                        contract=contract,
                        party=party,
                        typed_name=form.cleaned_data["typed_name"],
                        pdf_sha256=form.cleaned_data["pdf_sha256"],
                        ip_address=client_ip(request),
                        version=form.cleaned_data["version"],
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for field, errors in error.error_dict.items():
                            form.add_error(field if field in form.fields else None, errors)
                    else:
                        form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("You signed the contract for %(party)s.") % {"party": party.name},
                    )
                    return redirect("contracts:sign", contract_id=contract.public_id)
        else:
            form = SignForm(parties=open_parties, initial=initial)
    elif request.method == "POST":
        if not parties:  # a reader who signs for no party of this contract
            raise PermissionDenied
        messages.error(request, _("There is nothing for you to sign on this contract right now."))
        return redirect("contracts:sign", contract_id=contract.public_id)
    required = list(contract.parties.filter(required=True).select_related("contact").order_by("pk"))
    context = {
        "contract": contract,
        "stored": stored,
        # A student or parent without an account signs once they accepted the account
        # invitation (partnerships' invitation flow, sent from the traject's page).
        "without_account": {
            party.pk
            for party in required
            if (party.role == "student" and contract.traject.student.user_id is None)
            or (party.role == "parent" and party.contact and party.contact.user_id is None)
        },
        "form": form,
        "parties": parties,
        "required": required,
        "signatures": {s.party_id: s for s in _valid(contract)},
        "voided": _voided(contract),
    }
    response = render(request, "contracts/sign.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def contract_pdf(request: HttpRequest, contract_id: uuid.UUID) -> HttpResponse:
    """The PDF page: the stored PDFs of the current version with their SHA-256, why earlier
    signatures were voided, and a check that each stored file still matches its hash."""
    contract = get_contract_for_user(user=request.user, public_id=contract_id)
    files = []
    for stored in contract.pdfs.filter(contract_version=contract.version).order_by("kind"):
        try:
            pdf.verified_bytes(stored)
            intact = True
        except pdf.PdfTampered:
            intact = False
        files.append({"stored": stored, "intact": intact})
    context = {"contract": contract, "files": files, "voided": _voided(contract)}
    response = render(request, "contracts/pdf.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def contract_pdf_download(
    request: HttpRequest, contract_id: uuid.UUID, pdf_id: uuid.UUID
) -> HttpResponse:
    contract = get_contract_for_user(user=request.user, public_id=contract_id)
    stored = contract.pdfs.filter(public_id=pdf_id).first()
    if stored is None:
        raise Http404
    try:
        content = pdf.verified_bytes(stored)
    except pdf.PdfTampered:
        messages.error(
            request,
            _(
                "The stored PDF no longer matches its SHA-256 fingerprint: it was changed after "
                "it was made, so Duaal does not hand it out. Tell the school's coordinator."
            ),
        )
        return redirect("contracts:pdf", contract_id=contract.public_id)
    stem = "getekend-contract" if stored.kind == PdfKind.SIGNED else "contract"
    filename = slugify(f"{stem}-{contract.traject.student.full_name}-v{stored.contract_version}")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = stored.sha256
    return response


urlpatterns = [
    path("contracts/<uuid:contract_id>/sign/", contract_sign, name="sign"),
    path("contracts/<uuid:contract_id>/pdf/", contract_pdf, name="pdf"),
    path(
        "contracts/<uuid:contract_id>/pdf/<uuid:pdf_id>/",
        contract_pdf_download,
        name="pdf_download",
    ),
]
