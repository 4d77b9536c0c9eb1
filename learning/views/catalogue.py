"""Views of the learning catalogue: the leerfiche sets, their versions and leerfiches, and
the authoring of a draft (see learning/urls.py).

Reading: ``learning.access`` (published versions for anyone with a membership, drafts for the
owner's members; 404 otherwise). Writing: the owner's administrators and the set's editors
(403 for other readers); every write goes through ``learning.services.authoring`` or
``learning.services.versions``, which refuse a published version. A published version is
never editable through any URL: the views answer 403 with a page that says why
(``_locked``), and the services refuse it again should a version be published meanwhile.

Layering: the catalogue imports no domain app but ``organisations``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from learning import access
from learning.forms.catalogue import (
    SECTION_KINDS,
    CriterionForm,
    EditorAddForm,
    ItemForm,
    LeerficheAddForm,
    LeerficheForm,
    PublishForm,
    SetCreateForm,
    ThemeForm,
)
from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    SetEditor,
    SetVersion,
    Theme,
    VersionStatus,
)
from learning.selectors import catalogue as selectors
from learning.services import authoring, versions
from learning.templatetags.leerfiches import norm_label

GET = ["GET", "HEAD"]
# The confirmation convention of partnerships/views/confirm.py (not imported: the catalogue
# sits below partnerships): only a POST with confirm=yes acts.
CONFIRM_FIELD, CONFIRM_VALUE = "confirm", "yes"
GET_POST = ["GET", "HEAD", "POST"]


def _data(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one: it is validated), else None."""
    return request.POST if request.method == "POST" else None


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def _locked(request: HttpRequest, version: SetVersion) -> HttpResponse:
    """403: the version is published and cannot change; say how to edit the set instead."""
    leerfiche_set = version.leerfiche_set
    return render(
        request,
        "learning/version_locked.html",
        {
            "version": version,
            "leerfiche_set": leerfiche_set,
            "may_edit": access.may_edit_set(user=request.user, leerfiche_set=leerfiche_set),
        },
        status=403,
    )


def authoring_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required, and a published version (``VersionLocked`` from the checks or the
    services) answered with the 403 page that explains it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except versions.VersionLocked as error:
            version = getattr(error, "version", None)
            if version is None:
                raise PermissionDenied from error
            return _locked(request, version)

    return login_required(wrapper)


def _check_draft(version: SetVersion) -> SetVersion:
    try:
        return versions.editable(version)
    except versions.VersionLocked as error:
        error.version = version  # type: ignore[attr-defined]
        raise


def _draft_for_editor(request: HttpRequest, version_id: uuid.UUID) -> SetVersion:
    """The draft the user edits: 404 not readable, 403 not an editor, locked page if
    published."""
    version = access.get_version_for_editor(user=request.user, public_id=version_id)
    return _check_draft(version)


def _leerfiche_for_editor(request: HttpRequest, leerfiche_id: uuid.UUID) -> Leerfiche:
    leerfiche = access.get_leerfiche_for_reader(user=request.user, public_id=leerfiche_id)
    if not access.may_edit_set(user=request.user, leerfiche_set=leerfiche.version.leerfiche_set):
        raise PermissionDenied
    _check_draft(leerfiche.version)
    return leerfiche


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's ``ValidationError`` shown on the form (field errors next to the field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest, *, title: str, form: Any, back_url: str, context: dict | None = None
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "learning/catalogue_form.html",
        {"title": title, "form": form, "back_url": back_url, **(context or {})},
        status=status,
    )


def _confirm_page(
    request: HttpRequest,
    *,
    title: str,
    action_url: str,
    back_url: str,
    consequences: list[str],
    confirm_label: str,
    form: Any = None,
) -> HttpResponse:
    return render(
        request,
        "partnerships/confirm_page.html",
        {
            "title": title,
            "back_url": back_url,
            "confirm_template": "learning/confirm/action.html",
            "action_url": action_url,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "form": form,
        },
    )


def _version_url(version: SetVersion) -> str:
    return reverse("learning:version_detail", args=[version.public_id])


def _leerfiche_url(leerfiche: Leerfiche, anchor: str = "") -> str:
    url = reverse("learning:leerfiche_edit", args=[leerfiche.public_id])
    return f"{url}#{anchor}" if anchor else url


# --- reading ----------------------------------------------------------------------------------


@login_required
@require_http_methods(GET)
def catalogue_index(request: HttpRequest) -> HttpResponse:
    """The opleidingen with their standaardtraject, and the sets the user may read."""
    if not access.has_membership(user=request.user):
        raise Http404
    return render(
        request,
        "learning/catalogue_index.html",
        {
            "opleidingen": selectors.catalogue_opleidingen(),
            "sets": selectors.catalogue_sets(user=request.user),
            "may_create_set": access.organisations_authoring_for(user=request.user).exists(),
        },
    )


def _set_page(
    request: HttpRequest, leerfiche_set: Any, *, editor_form: Any = None, status: int = 200
) -> HttpResponse:
    may_edit = access.may_edit_set(user=request.user, leerfiche_set=leerfiche_set)
    may_manage_editors = access.may_manage_editors(user=request.user, leerfiche_set=leerfiche_set)
    if may_manage_editors and editor_form is None:
        editor_form = EditorAddForm(
            candidates=access.editor_candidates(leerfiche_set=leerfiche_set)
        )
    set_versions = selectors.set_versions(user=request.user, leerfiche_set=leerfiche_set)
    return render(
        request,
        "learning/set_detail.html",
        {
            "leerfiche_set": leerfiche_set,
            "versions": set_versions,
            "draft": next((v for v in set_versions if v.status == VersionStatus.DRAFT), None),
            "editors": selectors.set_editors(leerfiche_set=leerfiche_set),
            "may_edit": may_edit,
            "may_manage_editors": may_manage_editors,
            "editor_form": editor_form if may_manage_editors else None,
        },
        status=status,
    )


@login_required
@require_http_methods(GET)
def set_detail(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    leerfiche_set = access.get_set_for_reader(user=request.user, public_id=set_id)
    return _set_page(request, leerfiche_set)


@login_required
@require_http_methods(GET)
def version_detail(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = access.get_version_for_reader(user=request.user, public_id=version_id)
    leerfiche_set = version.leerfiche_set
    may_edit = access.may_edit_set(user=request.user, leerfiche_set=leerfiche_set)
    is_draft = version.status == VersionStatus.DRAFT
    return render(
        request,
        "learning/version_detail.html",
        {
            "version": version,
            "leerfiche_set": leerfiche_set,
            "themes": selectors.version_themes(version=version),
            "may_edit": may_edit,
            "editing": may_edit and is_draft,
            "publish_form": PublishForm() if may_edit and is_draft else None,
            "publish_consequences": publish_consequences(),
            "discard_consequences": discard_consequences(version) if may_edit and is_draft else [],
        },
    )


@login_required
@require_http_methods(GET)
def leerfiche_detail(request: HttpRequest, leerfiche_id: uuid.UUID) -> HttpResponse:
    leerfiche = access.get_leerfiche_for_reader(user=request.user, public_id=leerfiche_id)
    selectors.with_content([leerfiche])
    version = leerfiche.version
    may_edit = access.may_edit_set(user=request.user, leerfiche_set=version.leerfiche_set)
    return render(
        request,
        "learning/leerfiche_detail.html",
        {
            "leerfiche": leerfiche,
            "version": version,
            "leerfiche_set": version.leerfiche_set,
            "editing": may_edit and version.status == VersionStatus.DRAFT,
        },
    )


# --- sets, drafts, editors ----------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def set_create(request: HttpRequest) -> HttpResponse:
    owners = access.organisations_authoring_for(user=request.user).order_by("name")
    if not owners.exists():
        raise PermissionDenied
    form = SetCreateForm(_data(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            version = authoring.set_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The set was created with an empty draft."))
            return redirect(_version_url(version))
    return _form_page(
        request,
        title=_("New leerfiche set"),
        form=form,
        back_url=reverse("learning:catalogue_index"),
    )


@authoring_view
@require_POST
def set_edit(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    """ "Bewerken": open the set's draft, starting one (a copy of the latest version) if none."""
    leerfiche_set = access.get_set_for_editor(user=request.user, public_id=set_id)
    draft = versions.start_draft(leerfiche_set=leerfiche_set, actor=request.user)
    return redirect(_version_url(draft))


@login_required
@require_POST
def editor_add(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    leerfiche_set = access.get_set_for_reader(user=request.user, public_id=set_id)
    if not access.may_manage_editors(user=request.user, leerfiche_set=leerfiche_set):
        raise PermissionDenied
    form = EditorAddForm(
        request.POST, candidates=access.editor_candidates(leerfiche_set=leerfiche_set)
    )
    if form.is_valid():
        try:
            authoring.editor_add(
                actor=request.user, leerfiche_set=leerfiche_set, user=form.cleaned_data["user"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The editor was added."))
            return redirect("learning:set_detail", set_id=leerfiche_set.public_id)
    return _set_page(request, leerfiche_set, editor_form=form, status=400)


@login_required
@require_POST
def editor_remove(request: HttpRequest, set_id: uuid.UUID, editor_id: int) -> HttpResponse:
    leerfiche_set = access.get_set_for_reader(user=request.user, public_id=set_id)
    if not access.may_manage_editors(user=request.user, leerfiche_set=leerfiche_set):
        raise PermissionDenied
    editor = get_object_or_404(
        SetEditor.objects.select_related("user"), leerfiche_set=leerfiche_set, pk=editor_id
    )
    authoring.editor_remove(actor=request.user, editor=editor)
    messages.success(request, _("The editor was removed."))
    return redirect("learning:set_detail", set_id=leerfiche_set.public_id)


@authoring_view
@require_http_methods(GET_POST)
def version_publish(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: publish with the change note."""
    version = _draft_for_editor(request, version_id)
    form = PublishForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        try:
            versions.publish(
                version=version,
                actor=request.user,
                change_note=form.cleaned_data["change_note"],
            )
        except versions.VersionLocked:
            raise
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s is published.") % {"number": version.number}
            )
            return redirect(_version_url(version))
    return _confirm_page(
        request,
        title=_("Publish version %(number)s?") % {"number": version.number},
        action_url=reverse("learning:version_publish", args=[version.public_id]),
        back_url=_version_url(version),
        consequences=publish_consequences(),
        confirm_label=_("Publish"),
        form=form,
    )


def publish_consequences() -> list[str]:
    return [
        _("A published version can no longer change: later edits go into a new draft."),
        _("Every organisation on Duaal can read it, and partnerships can adopt it."),
    ]


def discard_consequences(version: SetVersion) -> list[str]:
    if versions.discard_removes_the_set(version):
        return [
            _("Every change in this draft is lost."),
            _(
                "The set “%(name)s” was never published: it is removed with its draft, and its "
                "name is free again."
            )
            % {"name": version.leerfiche_set.name},
        ]
    return [
        _("Every change in this draft is lost; the published versions stay as they are."),
    ]


@authoring_view
@require_http_methods(GET_POST)
def version_discard(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = _draft_for_editor(request, version_id)
    leerfiche_set = version.leerfiche_set
    if confirmed(request):
        if versions.discard_draft(version=version, actor=request.user):
            messages.success(
                request,
                _("The draft was discarded and the set “%(name)s” removed.")
                % {"name": leerfiche_set.name},
            )
            return redirect("learning:catalogue_index")
        messages.success(request, _("The draft was discarded."))
        return redirect("learning:set_detail", set_id=leerfiche_set.public_id)
    return _confirm_page(
        request,
        title=_("Discard the draft (version %(number)s)?") % {"number": version.number},
        action_url=reverse("learning:version_discard", args=[version.public_id]),
        back_url=_version_url(version),
        consequences=discard_consequences(version),
        confirm_label=_("Discard the draft"),
    )


# --- themes -----------------------------------------------------------------------------------


def _theme(version: SetVersion, theme_id: int) -> Theme:
    return get_object_or_404(Theme, version=version, pk=theme_id)


@authoring_view
@require_http_methods(GET_POST)
def theme_add(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = _draft_for_editor(request, version_id)
    form = ThemeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        authoring.theme_add(actor=request.user, version=version, title=form.cleaned_data["title"])
        messages.success(request, _("The theme was added."))
        return redirect(_version_url(version))
    return _form_page(request, title=_("New theme"), form=form, back_url=_version_url(version))


@authoring_view
@require_http_methods(GET_POST)
def theme_edit(request: HttpRequest, version_id: uuid.UUID, theme_id: int) -> HttpResponse:
    version = _draft_for_editor(request, version_id)
    theme = _theme(version, theme_id)
    form = ThemeForm(_data(request), initial={"title": theme.title})
    if request.method == "POST" and form.is_valid():
        authoring.theme_update(actor=request.user, theme=theme, title=form.cleaned_data["title"])
        messages.success(request, _("The theme was renamed."))
        return redirect(_version_url(version))
    return _form_page(
        request,
        title=_("Rename the theme “%(title)s”") % {"title": theme.title},
        form=form,
        back_url=_version_url(version),
    )


def _direction(request: HttpRequest) -> authoring.Direction:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    return direction  # type: ignore[return-value]


@authoring_view
@require_POST
def theme_move(request: HttpRequest, version_id: uuid.UUID, theme_id: int) -> HttpResponse:
    version = _draft_for_editor(request, version_id)
    theme = _theme(version, theme_id)
    authoring.theme_move(actor=request.user, theme=theme, direction=_direction(request))
    return redirect(_version_url(version) + f"#theme-{theme.pk}")


@authoring_view
@require_http_methods(GET_POST)
def theme_delete(request: HttpRequest, version_id: uuid.UUID, theme_id: int) -> HttpResponse:
    version = _draft_for_editor(request, version_id)
    theme = _theme(version, theme_id)
    if confirmed(request):
        try:
            authoring.theme_delete(actor=request.user, theme=theme)
        except versions.VersionLocked:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The theme was removed."))
        return redirect(_version_url(version))
    return _confirm_page(
        request,
        title=_("Remove the theme “%(title)s”?") % {"title": theme.title},
        action_url=reverse("learning:theme_delete", args=[version.public_id, theme.pk]),
        back_url=_version_url(version),
        consequences=[_("Only an empty theme can be removed.")],
        confirm_label=_("Remove the theme"),
    )


# --- leerfiches -------------------------------------------------------------------------------


@authoring_view
@require_http_methods(GET_POST)
def leerfiche_add(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = _draft_for_editor(request, version_id)
    form = LeerficheAddForm(_data(request), version=version)
    if not version.themes.exists():
        messages.info(request, _("Add a theme first: every leerfiche belongs to a theme."))
        return redirect("learning:theme_add", version_id=version.public_id)
    if request.method == "POST" and form.is_valid():
        leerfiche = authoring.leerfiche_add(
            actor=request.user,
            version=version,
            theme=form.cleaned_data["theme"],
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("The leerfiche was added; fill in its sections."))
        return redirect(_leerfiche_url(leerfiche))
    return _form_page(request, title=_("New leerfiche"), form=form, back_url=_version_url(version))


def _edit_page(
    request: HttpRequest, leerfiche: Leerfiche, form: LeerficheForm, status: int = 200
) -> HttpResponse:
    selectors.with_content([leerfiche])
    items = {kind: [] for kind in SECTION_KINDS}
    for item in sorted(leerfiche.items.all(), key=lambda i: (i.order, i.pk)):
        items.setdefault(item.kind, []).append(item)
    sections = [
        {"kind": kind, "label": ItemKind(kind).label, "items": items[kind]}
        for kind in SECTION_KINDS
    ]
    criteria = list(leerfiche.criteria.all())
    # The question each "Remove" button asks in its dialog.
    for kind_items in items.values():
        for item in kind_items:
            item.removal = item_removal(item)  # type: ignore[attr-defined]
    for criterion in criteria:
        criterion.removal = criterion_removal(criterion)  # type: ignore[attr-defined]
    return render(
        request,
        "learning/leerfiche_edit.html",
        {
            "leerfiche": leerfiche,
            "version": leerfiche.version,
            "leerfiche_set": leerfiche.version.leerfiche_set,
            "form": form,
            "sections": sections,
            "criteria": criteria,
        },
        status=status,
    )


@authoring_view
@require_http_methods(GET_POST)
def leerfiche_edit(request: HttpRequest, leerfiche_id: uuid.UUID) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    form = LeerficheForm(_data(request), instance=Leerfiche.objects.get(pk=leerfiche.pk))
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in authoring.LEERFICHE_TEXT_FIELDS}
            try:
                authoring.leerfiche_update(
                    actor=request.user,
                    leerfiche=leerfiche,
                    title=form.cleaned_data["title"],
                    theme=form.cleaned_data["theme"],
                    **data,
                )
            except versions.VersionLocked:
                raise
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The leerfiche was saved."))
                return redirect(_leerfiche_url(leerfiche))
        return _edit_page(request, leerfiche, form, status=400)
    return _edit_page(request, leerfiche, form)


@authoring_view
@require_POST
def leerfiche_move(request: HttpRequest, leerfiche_id: uuid.UUID) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    authoring.leerfiche_move(actor=request.user, leerfiche=leerfiche, direction=_direction(request))
    return redirect(_version_url(leerfiche.version) + f"#leerfiche-{leerfiche.public_id}")


@authoring_view
@require_http_methods(GET_POST)
def leerfiche_delete(request: HttpRequest, leerfiche_id: uuid.UUID) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    version = leerfiche.version
    if confirmed(request):
        authoring.leerfiche_delete(actor=request.user, leerfiche=leerfiche)
        messages.success(request, _("The leerfiche was removed from the draft."))
        return redirect(_version_url(version))
    return _confirm_page(
        request,
        title=_("Remove the leerfiche “%(title)s”?") % {"title": leerfiche.title},
        action_url=reverse("learning:leerfiche_delete", args=[leerfiche.public_id]),
        back_url=_leerfiche_url(leerfiche),
        consequences=[
            _("Its leerdoelen, sections and criteria are removed from this draft."),
            _("The published versions keep it."),
        ],
        confirm_label=_("Remove the leerfiche"),
    )


# --- items and criteria -------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in SECTION_KINDS:
        raise Http404
    return kind


@authoring_view
@require_http_methods(GET_POST)
def item_add(request: HttpRequest, leerfiche_id: uuid.UUID, kind: str) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    kind = _kind(kind)
    form = ItemForm(_data(request))
    if request.method == "POST" and form.is_valid():
        authoring.item_add(actor=request.user, leerfiche=leerfiche, kind=kind, **form.cleaned_data)
        messages.success(request, _("The line was added."))
        return redirect(_leerfiche_url(leerfiche, f"section-{kind}"))
    return _form_page(
        request,
        title=_("Add a line: %(section)s") % {"section": ItemKind(kind).label},
        form=form,
        back_url=_leerfiche_url(leerfiche, f"section-{kind}"),
        context={"leerfiche": leerfiche},
    )


def _item(leerfiche: Leerfiche, item_id: int) -> LeerficheItem:
    item = get_object_or_404(LeerficheItem, leerfiche=leerfiche, pk=item_id)
    item.leerfiche = leerfiche
    return item


@authoring_view
@require_http_methods(GET_POST)
def item_edit(request: HttpRequest, leerfiche_id: uuid.UUID, item_id: int) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    item = _item(leerfiche, item_id)
    form = ItemForm(
        _data(request),
        initial={"heading": item.heading, "text": item.text, "note": item.note},
    )
    if request.method == "POST" and form.is_valid():
        authoring.item_update(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, _("The line was saved."))
        return redirect(_leerfiche_url(leerfiche, f"section-{item.kind}"))
    return _form_page(
        request,
        title=_("Change a line: %(section)s") % {"section": ItemKind(item.kind).label},
        form=form,
        back_url=_leerfiche_url(leerfiche, f"section-{item.kind}"),
        context={"leerfiche": leerfiche},
    )


@authoring_view
@require_POST
def item_move(request: HttpRequest, leerfiche_id: uuid.UUID, item_id: int) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    item = _item(leerfiche, item_id)
    authoring.item_move(actor=request.user, item=item, direction=_direction(request))
    return redirect(_leerfiche_url(leerfiche, f"section-{item.kind}"))


@dataclass(frozen=True)
class Removal:
    """What the confirmation of removing a line or a criterion says (the dialog on the edit
    page and, without JavaScript, the confirmation page)."""

    dialog_id: str
    title: str
    consequences: list[str]
    confirm_label: str


DRAFT_ONLY = gettext_lazy("Only this draft changes: the published versions keep it.")


def item_removal(item: LeerficheItem) -> Removal:
    section = ItemKind(item.kind).label
    return Removal(
        dialog_id=f"delete-item-{item.pk}",
        title=_("Remove this line from “%(section)s”?") % {"section": section},
        consequences=[
            _("The line “%(text)s” is removed from the section “%(section)s”.")
            % {"text": item.text, "section": section},
            str(DRAFT_ONLY),
        ],
        confirm_label=_("Remove the line"),
    )


def criterion_removal(criterion: Criterion) -> Removal:
    printed = " ".join(
        part
        for part in (
            criterion.text,
            norm_label(criterion),
            f"({criterion.code})" if criterion.code else "",
        )
        if part
    )
    return Removal(
        dialog_id=f"delete-criterion-{criterion.public_id.hex}",
        title=_("Remove this evaluation criterion?"),
        consequences=[
            _("The criterion “%(criterion)s” is removed from this leerfiche.")
            % {"criterion": printed},
            str(DRAFT_ONLY),
        ],
        confirm_label=_("Remove the criterion"),
    )


def _removal_page(
    request: HttpRequest, removal: Removal, *, action_url: str, back_url: str
) -> HttpResponse:
    return _confirm_page(
        request,
        title=removal.title,
        action_url=action_url,
        back_url=back_url,
        consequences=removal.consequences,
        confirm_label=removal.confirm_label,
    )


@authoring_view
@require_http_methods(GET_POST)
def item_delete(request: HttpRequest, leerfiche_id: uuid.UUID, item_id: int) -> HttpResponse:
    """GET: the confirmation page (without JavaScript; the edit page opens the same question
    in a dialog); POST with ``confirm=yes``: remove the line."""
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    item = _item(leerfiche, item_id)
    back_url = _leerfiche_url(leerfiche, f"section-{item.kind}")
    if confirmed(request):
        authoring.item_delete(actor=request.user, item=item)
        messages.success(request, _("The line was removed."))
        return redirect(back_url)
    return _removal_page(
        request,
        item_removal(item),
        action_url=reverse("learning:item_delete", args=[leerfiche.public_id, item.pk]),
        back_url=back_url,
    )


def _criterion(leerfiche: Leerfiche, criterion_id: uuid.UUID) -> Criterion:
    criterion = get_object_or_404(Criterion, leerfiche=leerfiche, public_id=criterion_id)
    criterion.leerfiche = leerfiche
    return criterion


@authoring_view
@require_http_methods(GET_POST)
def criterion_add(request: HttpRequest, leerfiche_id: uuid.UUID) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    form = CriterionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        authoring.criterion_add(actor=request.user, leerfiche=leerfiche, **form.cleaned_data)
        messages.success(request, _("The criterion was added."))
        return redirect(_leerfiche_url(leerfiche, "section-criteria"))
    return _form_page(
        request,
        title=_("Add an evaluation criterion"),
        form=form,
        back_url=_leerfiche_url(leerfiche, "section-criteria"),
        context={"leerfiche": leerfiche},
    )


@authoring_view
@require_http_methods(GET_POST)
def criterion_edit(
    request: HttpRequest, leerfiche_id: uuid.UUID, criterion_id: uuid.UUID
) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    criterion = _criterion(leerfiche, criterion_id)
    form = CriterionForm(
        _data(request),
        initial={
            "heading": criterion.heading,
            "text": criterion.text,
            "code": criterion.code,
            "norm_reference": criterion.norm_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        authoring.criterion_update(actor=request.user, criterion=criterion, **form.cleaned_data)
        messages.success(request, _("The criterion was saved."))
        return redirect(_leerfiche_url(leerfiche, "section-criteria"))
    return _form_page(
        request,
        title=_("Change an evaluation criterion"),
        form=form,
        back_url=_leerfiche_url(leerfiche, "section-criteria"),
        context={"leerfiche": leerfiche, "criterion_key": criterion.key},
    )


@authoring_view
@require_POST
def criterion_move(
    request: HttpRequest, leerfiche_id: uuid.UUID, criterion_id: uuid.UUID
) -> HttpResponse:
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    criterion = _criterion(leerfiche, criterion_id)
    authoring.criterion_move(actor=request.user, criterion=criterion, direction=_direction(request))
    return redirect(_leerfiche_url(leerfiche, "section-criteria"))


@authoring_view
@require_http_methods(GET_POST)
def criterion_delete(
    request: HttpRequest, leerfiche_id: uuid.UUID, criterion_id: uuid.UUID
) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirm=yes``: remove the criterion."""
    leerfiche = _leerfiche_for_editor(request, leerfiche_id)
    criterion = _criterion(leerfiche, criterion_id)
    back_url = _leerfiche_url(leerfiche, "section-criteria")
    if confirmed(request):
        authoring.criterion_delete(actor=request.user, criterion=criterion)
        messages.success(request, _("The criterion was removed."))
        return redirect(back_url)
    return _removal_page(
        request,
        criterion_removal(criterion),
        action_url=reverse(
            "learning:criterion_delete", args=[leerfiche.public_id, criterion.public_id]
        ),
        back_url=back_url,
    )


urlpatterns = [
    path("leerfiches/", catalogue_index, name="catalogue_index"),
    path("leerfiches/new/", set_create, name="set_create"),
    path("leerfiches/sets/<uuid:set_id>/", set_detail, name="set_detail"),
    path("leerfiches/sets/<uuid:set_id>/edit/", set_edit, name="set_edit"),
    path("leerfiches/sets/<uuid:set_id>/editors/add/", editor_add, name="editor_add"),
    path(
        "leerfiches/sets/<uuid:set_id>/editors/<int:editor_id>/remove/",
        editor_remove,
        name="editor_remove",
    ),
    path("leerfiches/versions/<uuid:version_id>/", version_detail, name="version_detail"),
    path("leerfiches/versions/<uuid:version_id>/publish/", version_publish, name="version_publish"),
    path("leerfiches/versions/<uuid:version_id>/discard/", version_discard, name="version_discard"),
    path("leerfiches/versions/<uuid:version_id>/themes/add/", theme_add, name="theme_add"),
    path(
        "leerfiches/versions/<uuid:version_id>/themes/<int:theme_id>/edit/",
        theme_edit,
        name="theme_edit",
    ),
    path(
        "leerfiches/versions/<uuid:version_id>/themes/<int:theme_id>/move/",
        theme_move,
        name="theme_move",
    ),
    path(
        "leerfiches/versions/<uuid:version_id>/themes/<int:theme_id>/delete/",
        theme_delete,
        name="theme_delete",
    ),
    path(
        "leerfiches/versions/<uuid:version_id>/leerfiches/add/",
        leerfiche_add,
        name="leerfiche_add",
    ),
    path("leerfiches/fiches/<uuid:leerfiche_id>/", leerfiche_detail, name="leerfiche_detail"),
    path("leerfiches/fiches/<uuid:leerfiche_id>/edit/", leerfiche_edit, name="leerfiche_edit"),
    path("leerfiches/fiches/<uuid:leerfiche_id>/move/", leerfiche_move, name="leerfiche_move"),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/delete/", leerfiche_delete, name="leerfiche_delete"
    ),
    path("leerfiches/fiches/<uuid:leerfiche_id>/items/add/<slug:kind>/", item_add, name="item_add"),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/items/<int:item_id>/edit/",
        item_edit,
        name="item_edit",
    ),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/items/<int:item_id>/move/",
        item_move,
        name="item_move",
    ),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/items/<int:item_id>/delete/",
        item_delete,
        name="item_delete",
    ),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/criteria/add/",
        criterion_add,
        name="criterion_add",
    ),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/criteria/<uuid:criterion_id>/edit/",
        criterion_edit,
        name="criterion_edit",
    ),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/criteria/<uuid:criterion_id>/move/",
        criterion_move,
        name="criterion_move",
    ),
    path(
        "leerfiches/fiches/<uuid:leerfiche_id>/criteria/<uuid:criterion_id>/delete/",
        criterion_delete,
        name="criterion_delete",
    ),
]
