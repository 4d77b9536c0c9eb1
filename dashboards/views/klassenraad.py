"""The klassenraad report of a class (issue 14, item 6): ``/dashboards/klassenraad/``.

GET shows the form (a school year, a class of it); POST makes the PDF through the PDF engine
and leads to the document's status page (which polls until it is ready and offers the
download). The form sits on the school dashboard too. Who may: the school's directie and
coördinator duaal, the class's trajectbegeleiders and leerkrachten
(``permissions.trajects_in_klassenraad_of``); anyone with no class to choose gets 404. A class
that is not one of the offered ones is a form error, never a 500."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from dashboards.documents import KlassenraadReport
from dashboards.forms import KlassenraadForm
from dashboards.models import ClassYear
from documents import services as documents
from documents.registry import kinds
from partnerships import permissions


def klassenraad_years(*, user: User) -> list[int]:
    """The school years in which ``user`` may ask for a class's report, newest first."""
    return list(
        permissions.trajects_in_klassenraad_of(user=user)
        .order_by("-partnership__school_year")
        .values_list("partnership__school_year", flat=True)
        .distinct()
    )


def klassenraad_form(
    *, user: User, year: int | None, data: QueryDict | None = None, fixed_year: bool = False
) -> KlassenraadForm:
    """The form for ``year`` (else the newest), its classes those of that year; with
    ``fixed_year`` (the school dashboard, which has chosen it) the year is a hidden field."""
    years = [year] if fixed_year and year is not None else klassenraad_years(user=user)
    chosen = year if year in years else (years[0] if years else None)
    classes = (
        list(
            permissions.klassenraad_classes(user=user, school_year=chosen).select_related("school")
        )
        if chosen is not None
        else []
    )
    form = KlassenraadForm(data, years=years, classes=classes, initial={"year": chosen})
    if fixed_year:
        form.fields["year"].widget = forms.HiddenInput()
    return form


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) == 4 else None


def _class_year(school_class_id: int, school_year: int) -> ClassYear:
    try:
        with transaction.atomic():
            found, _created = ClassYear.objects.get_or_create(
                school_class_id=school_class_id, school_year=school_year
            )
    except IntegrityError:  # made meanwhile by a second click
        found = ClassYear.objects.get(school_class_id=school_class_id, school_year=school_year)
    return found


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def klassenraad(request: HttpRequest) -> HttpResponse:
    years = klassenraad_years(user=request.user)
    if not years:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    year = _year(source.get("year"))
    chosen = year if year in years else years[0]
    data = request.POST if request.method == "POST" else None
    # A POST names its year: one the user has no class in stays a form error.
    form_year = year if data is not None and year is not None else chosen
    form = klassenraad_form(user=request.user, year=form_year, data=data, fixed_year=True)
    if data is not None and form.is_valid():
        class_year = _class_year(form.cleaned_data["school_class"], form.cleaned_data["year"])
        kind = kinds[KlassenraadReport.code]
        subject = kind.get_subject_for_user(user=request.user, subject_id=class_year.public_id)
        document = documents.document_request(actor=request.user, kind=kind.code, subject=subject)
        return redirect("documents:document_detail", document_id=document.public_id)
    context = {"form": form, "years": years, "year": chosen}
    status = 400 if form.is_bound else 200
    return render(request, "dashboards/klassenraad.html", context, status=status)
