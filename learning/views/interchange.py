"""Views of the leerfiche JSON interchange: download a version, upload a set or a new version.

* ``version_export``: the JSON of any version the user may read (``learning.access``), as an
  attachment;
* ``set_import``: a file becomes a new set (a draft version 1) of an organisation the user
  authors for;
* ``set_import_draft``: a file becomes the next version (a draft) of a set the user edits.

Every problem of the file is listed at the top of the form, in Dutch; nothing is saved then.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from duaal.forms import ModelChoiceField
from learning import access, interchange
from learning.models import LeerficheSet
from organisations.models import Organisation

MAX_SHOWN_ERRORS = 50


class LeerficheImportForm(forms.Form):
    owner = ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("The new set belongs to this organisation."),
    )
    file = forms.FileField(
        label=gettext_lazy("JSON file"),
        help_text=gettext_lazy(
            "A leerfiche set exported from Duaal (format duaal-leerfiches, version 1), "
            "at most 2 MB. It is imported as a draft: you check it before you publish it."
        ),
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = organisations
            if organisations.count() == 1:
                self.fields["owner"].initial = organisations.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > interchange.MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s MB); at most 2 MB is allowed.")
                % {"size": interchange._mb(upload.size)}
            )
        return upload


def _import(
    form: LeerficheImportForm, *, owner: Organisation, actor: Any, into: LeerficheSet | None
) -> Any:
    """Import the form's file; the problems become the form's errors. The version or None."""
    upload = form.cleaned_data["file"]
    try:
        data = interchange.parse(upload.read())
        return interchange.import_version(data, owner=owner, actor=actor, into=into)
    except ValidationError as error:
        problems = error.messages
        for problem in problems[:MAX_SHOWN_ERRORS]:
            form.add_error(None, problem)
        hidden = len(problems) - MAX_SHOWN_ERRORS
        if hidden > 0:
            form.add_error(
                None,
                ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", hidden)
                % {"count": hidden},
            )
    return None


def _imported(request: HttpRequest, version: Any) -> None:
    messages.success(
        request,
        _("Version %(number)s of “%(set)s” was imported as a draft: %(count)s leerfiches.")
        % {
            "number": version.number,
            "set": version.leerfiche_set.name,
            "count": version.leerfiches.count(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def version_export(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = access.get_version_for_reader(user=request.user, public_id=version_id)
    return HttpResponse(
        interchange.dumps(version).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=interchange.export_filename(version)
            ),
            "X-Content-Type-Options": "nosniff",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def set_import(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_authoring_for(user=request.user).order_by("name")
    if not organisations.exists():
        raise PermissionDenied
    post = request.method == "POST"
    form = LeerficheImportForm(
        request.POST if post else None,
        request.FILES if post else None,
        organisations=organisations,
    )
    if post and form.is_valid():
        version = _import(form, owner=form.cleaned_data["owner"], actor=request.user, into=None)
        if version is not None:
            _imported(request, version)
            return redirect("learning:set_import")
    return render(
        request,
        "learning/set_import.html",
        {"form": form, "leerfiche_set": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def set_import_draft(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    leerfiche_set = access.get_set_for_editor(user=request.user, public_id=set_id)
    post = request.method == "POST"
    form = LeerficheImportForm(request.POST if post else None, request.FILES if post else None)
    if post and form.is_valid():
        version = _import(form, owner=leerfiche_set.owner, actor=request.user, into=leerfiche_set)
        if version is not None:
            _imported(request, version)
            return redirect("learning:set_import_draft", set_id=leerfiche_set.public_id)
    return render(
        request,
        "learning/set_import.html",
        {"form": form, "leerfiche_set": leerfiche_set},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path(
        "leerfiches/versions/<uuid:version_id>/export.json",
        version_export,
        name="version_export",
    ),
    path("leerfiches/import/", set_import, name="set_import"),
    path("leerfiches/sets/<uuid:set_id>/import/", set_import_draft, name="set_import_draft"),
]
