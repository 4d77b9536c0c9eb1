"""Bedrijfsfiches: the list per partnership, create, the page of a version, edit a draft,
publish, start a new draft, photos (add, caption, reorder, remove, serve), and the student's
list for their traject.

Every view fetches and authorises through ``partnerships.permissions`` (404 for who may not
see, 403 for who sees but may not write) and changes state only through
``learning.services.bedrijfsfiches``.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning import bedrijfsfiche_access, images
from learning.forms.bedrijfsfiches import (
    BedrijfsficheCreateForm,
    BedrijfsficheForm,
    CaptionForm,
    PhotoForm,
)
from learning.models import BedrijfsficheVersion, Leerfiche
from learning.selectors import bedrijfsfiches as selectors
from learning.services import bedrijfsfiches as services
from partnerships import permissions
from partnerships.views.confirm import confirmed


def _status(form) -> int:  # noqa: ANN001
    return 400 if form.is_bound and form.errors else 200


def _posted(request: HttpRequest):  # noqa: ANN202 - QueryDict | None
    """The POST data of a POST (an empty one included: it must show the errors), else None."""
    return request.POST if request.method == "POST" else None


def _detail_url(version: BedrijfsficheVersion) -> str:
    return reverse("learning:bedrijfsfiche_detail", args=[version.public_id])


# --- list and create ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def bedrijfsfiche_list(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_bedrijfsfiches(
        user=request.user, public_id=partnership_id
    )
    can_create = permissions.vestigingen_editable_by(
        user=request.user, partnership=partnership
    ).exists()
    return render(
        request,
        "learning/bedrijfsfiche_list.html",
        {
            "partnership": partnership,
            "groups": selectors.bedrijfsfiches_by_vestiging(partnership=partnership),
            "adopted": services.adopted_version(partnership=partnership),
            "can_create": can_create,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bedrijfsfiche_create(request: HttpRequest, partnership_id: uuid.UUID) -> HttpResponse:
    partnership = permissions.get_partnership_for_bedrijfsfiches(
        user=request.user, public_id=partnership_id, edit=True
    )
    vestigingen = permissions.vestigingen_editable_by(user=request.user, partnership=partnership)
    adopted = services.adopted_version(partnership=partnership)
    leerfiches = (
        Leerfiche.objects.filter(version=adopted)
        .select_related("theme")
        .order_by("theme__order", "order", "pk")
        if adopted is not None
        else Leerfiche.objects.none()
    )
    form = BedrijfsficheCreateForm(_posted(request), vestigingen=vestigingen, leerfiches=leerfiches)
    if request.method == "POST" and adopted is not None and form.is_valid():
        try:
            version = services.create(
                actor=request.user,
                partnership=partnership,
                vestiging=form.cleaned_data["vestiging"],
                leerfiche=form.cleaned_data["leerfiche"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The bedrijfsfiche was created as a draft."))
            return redirect("learning:bedrijfsfiche_edit", version_id=version.public_id)
    return render(
        request,
        "learning/bedrijfsfiche_create.html",
        {"partnership": partnership, "form": form, "adopted": adopted},
        status=_status(form) if adopted is not None else 200,
    )


# --- one version ------------------------------------------------------------------------------


def _page_context(request: HttpRequest, version: BedrijfsficheVersion) -> dict:
    partnership = version.bedrijfsfiche.partnership
    photos = list(version.photos.all())
    editing = version.may_edit and not version.is_published
    for index, photo in enumerate(photos):
        photo.first = index == 0
        photo.last = index == len(photos) - 1
        if editing:
            photo.caption_form = CaptionForm(
                initial={"caption": photo.caption}, prefix=f"photo-{photo.public_id.hex}"
            )
    return {
        "version": version,
        "bedrijfsfiche": version.bedrijfsfiche,
        "partnership": partnership,
        "leerfiche": version.leerfiche,
        **selectors.leerfiche_parts(version=version),
        "steps": selectors.steps(version),
        "photos": photos,
        "versions": selectors.other_versions(version=version, drafts=version.is_team),
        "editing": editing,
        "photo_form": PhotoForm() if editing else None,
        "can_new_draft": version.may_edit and version.is_published,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def bedrijfsfiche_detail(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=request.user, public_id=version_id
    )
    return render(request, "learning/bedrijfsfiche_detail.html", _page_context(request, version))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bedrijfsfiche_edit(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=request.user, public_id=version_id, edit=True
    )
    if version.is_published:
        messages.info(request, _("This version is published: start a new draft to change it."))
        return redirect(_detail_url(version))
    form = BedrijfsficheForm(_posted(request), initial=_initial(version))
    if request.method == "POST" and form.is_valid():
        try:
            services.update(
                actor=request.user,
                version=version,
                **{name: form.cleaned_data[name] for name in services.CONTENT_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The bedrijfsfiche was saved."))
            return redirect(_detail_url(version))
    return render(
        request,
        "learning/bedrijfsfiche_edit.html",
        {
            "version": version,
            "partnership": version.bedrijfsfiche.partnership,
            "form": form,
        },
        status=_status(form),
    )


def _initial(version: BedrijfsficheVersion) -> dict:
    return {name: getattr(version, name) for name in services.CONTENT_FIELDS}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bedrijfsfiche_publish(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: publish."""
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=request.user, public_id=version_id, edit=True
    )
    errors: list[str] = []
    if confirmed(request):
        try:
            services.publish(actor=request.user, version=version)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("The bedrijfsfiche was published."))
            return redirect(_detail_url(version))
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Publish “%(title)s”?") % {"title": version.title},
            "back_url": _detail_url(version),
            "confirm_template": "partnerships/confirm/bedrijfsfiche_publish.html",
            "version": version,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bedrijfsfiche_new_draft(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: start (or open) the draft."""
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=request.user, public_id=version_id, edit=True
    )
    if confirmed(request):
        draft = services.start_draft(actor=request.user, bedrijfsfiche=version.bedrijfsfiche)
        messages.success(request, _("A new draft was started; the published version stays."))
        return redirect("learning:bedrijfsfiche_edit", version_id=draft.public_id)
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Start a new draft of “%(title)s”?") % {"title": version.title},
            "back_url": _detail_url(version),
            "confirm_template": "partnerships/confirm/bedrijfsfiche_new_draft.html",
            "version": version,
        },
    )


# --- photos -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bedrijfsfiche_photo_add(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=request.user, public_id=version_id, edit=True
    )
    if version.is_published:
        raise Http404
    posted = request.method == "POST"
    form = PhotoForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_add(
                actor=request.user,
                version=version,
                upload=form.cleaned_image,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The photo was added."))
            return redirect(_detail_url(version) + "#photos")
    return render(
        request,
        "learning/bedrijfsfiche_photo_add.html",
        {"version": version, "partnership": version.bedrijfsfiche.partnership, "form": form},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def bedrijfsfiche_photo(request: HttpRequest, photo_id: uuid.UUID) -> FileResponse:
    """The photo's file, for who may read its version (published: the students placed there
    too; drafts: the team only). Private storage, never a public URL."""
    photo = bedrijfsfiche_access.get_bedrijfsfiche_photo_for_user(
        user=request.user, public_id=photo_id
    )
    try:
        handle = photo.image.storage.open(photo.image.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=images.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="foto-{photo.public_id.hex[:8]}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def bedrijfsfiche_photo_edit(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponse:
    photo = bedrijfsfiche_access.get_bedrijfsfiche_photo_for_user(
        user=request.user, public_id=photo_id, edit=True
    )
    form = CaptionForm(request.POST, prefix=f"photo-{photo.public_id.hex}")
    if form.is_valid():
        try:
            services.photo_caption(
                actor=request.user, photo=photo, caption=form.cleaned_data["caption"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The caption was saved."))
    else:
        messages.error(request, _("The caption is too long (at most 200 characters)."))
    return redirect(_detail_url(photo.version) + "#photos")


@login_required
@require_POST
def bedrijfsfiche_photo_move(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponse:
    photo = bedrijfsfiche_access.get_bedrijfsfiche_photo_for_user(
        user=request.user, public_id=photo_id, edit=True
    )
    try:
        services.photo_move(
            actor=request.user, photo=photo, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(photo.version) + "#photos")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bedrijfsfiche_photo_remove(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: remove the photo."""
    photo = bedrijfsfiche_access.get_bedrijfsfiche_photo_for_user(
        user=request.user, public_id=photo_id, edit=True
    )
    if confirmed(request):
        try:
            services.photo_remove(actor=request.user, photo=photo)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The photo was removed."))
        return redirect(_detail_url(photo.version) + "#photos")
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": _("Remove this photo?"),
            "back_url": _detail_url(photo.version),
            "confirm_template": "partnerships/confirm/bedrijfsfiche_photo_remove.html",
            "photo": photo,
        },
    )


# --- the student's view -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def traject_bedrijfsfiches(request: HttpRequest, traject_id: uuid.UUID) -> HttpResponse:
    """The published bedrijfsfiches of the vestigingen where the traject has a placement."""
    traject = permissions.get_traject_for_user(user=request.user, public_id=traject_id)
    versions = list(
        bedrijfsfiche_access.bedrijfsfiches_of_traject(traject=traject)
        .select_related("bedrijfsfiche__vestiging", "leerfiche__theme")
        .order_by("bedrijfsfiche__vestiging__name", "leerfiche__theme__order", "title")
    )
    return render(
        request,
        "learning/traject_bedrijfsfiches.html",
        {"traject": traject, "student": traject.student, "versions": versions},
    )


urlpatterns: list[URLPattern] = [
    path(
        "partnerships/<uuid:partnership_id>/bedrijfsfiches/",
        bedrijfsfiche_list,
        name="bedrijfsfiche_list",
    ),
    path(
        "partnerships/<uuid:partnership_id>/bedrijfsfiches/new/",
        bedrijfsfiche_create,
        name="bedrijfsfiche_create",
    ),
    path("bedrijfsfiches/<uuid:version_id>/", bedrijfsfiche_detail, name="bedrijfsfiche_detail"),
    path("bedrijfsfiches/<uuid:version_id>/edit/", bedrijfsfiche_edit, name="bedrijfsfiche_edit"),
    path(
        "bedrijfsfiches/<uuid:version_id>/publish/",
        bedrijfsfiche_publish,
        name="bedrijfsfiche_publish",
    ),
    path(
        "bedrijfsfiches/<uuid:version_id>/new-draft/",
        bedrijfsfiche_new_draft,
        name="bedrijfsfiche_new_draft",
    ),
    path(
        "bedrijfsfiches/<uuid:version_id>/photos/add/",
        bedrijfsfiche_photo_add,
        name="bedrijfsfiche_photo_add",
    ),
    path(
        "bedrijfsfiches/photos/<uuid:photo_id>/",
        bedrijfsfiche_photo,
        name="bedrijfsfiche_photo",
    ),
    path(
        "bedrijfsfiches/photos/<uuid:photo_id>/caption/",
        bedrijfsfiche_photo_edit,
        name="bedrijfsfiche_photo_edit",
    ),
    path(
        "bedrijfsfiches/photos/<uuid:photo_id>/move/",
        bedrijfsfiche_photo_move,
        name="bedrijfsfiche_photo_move",
    ),
    path(
        "bedrijfsfiches/photos/<uuid:photo_id>/remove/",
        bedrijfsfiche_photo_remove,
        name="bedrijfsfiche_photo_remove",
    ),
    path(
        "trajects/<uuid:traject_id>/bedrijfsfiches/",
        traject_bedrijfsfiches,
        name="traject_bedrijfsfiches",
    ),
]
