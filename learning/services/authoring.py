"""Authoring a draft of a leerfiche set: themes, leerfiches, their items and criteria; the
set's editors; a new set.

Every write first calls ``learning.services.versions.editable`` on the version it changes, so
a published version is never written to (``VersionLocked``), and records the audit trail
(``duaal.audit``). Who may call these is the views' question (``learning.access``); the
services check what the data must satisfy (a theme of the same version, a member of the
owner) and raise ``ValidationError`` with a message people can read.

Keys: a new theme, leerfiche or criterion gets a key made from its text (slugified, unique in
its version or leerfiche); an existing one keeps its key whatever its text becomes, so the
evaluation can follow a criterion from one version to the next.

Layering: the catalogue imports no domain app but ``organisations``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from duaal import audit
from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetEditor,
    SetVersion,
    Theme,
)
from learning.services import versions
from organisations.models import Membership, Organisation

Direction = Literal["up", "down"]
KEY_LENGTH = 80

# The fields of a leerfiche an editor changes on its edit page (title and theme apart).
LEERFICHE_TEXT_FIELDS = (
    "intro_kennen",
    "intro_kunnen",
    "kennis_intro",
    "kennis_outro",
    "oefencontexten_intro",
    "has_opdracht",
    "lasprocede",
    "lasprocessen",
    "lasnaadvorm",
    "lasstand",
    "doelstelling",
    "wps_reference",
    "opdracht_note",
    "metals",
)


def unique_key(text: str, *, taken: Iterable[str], fallback: str) -> str:
    """A slug of ``text`` (at most 80 characters) not in ``taken``: ``-2``, ``-3`` … added."""
    base = slugify(text)[:KEY_LENGTH].strip("-") or fallback
    taken = set(taken)
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"-{number}"
        key = base[: KEY_LENGTH - len(suffix)].rstrip("-") + suffix
    return key


def _next_order(queryset: models.QuerySet) -> int:
    current = queryset.aggregate(top=Max("order"))["top"]
    return 0 if current is None else current + 1


def _move(siblings: models.QuerySet, obj: models.Model, direction: Direction) -> bool:
    """Swap ``obj`` with its neighbour among ``siblings`` (in their order) and renumber them
    0, 1, 2 … in one UPDATE; False when it is already first (up) or last (down)."""
    rows = list(siblings.order_by("order", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for order, row in enumerate(rows):
        row.order = order
    type(obj)._default_manager.bulk_update(rows, ["order"])
    return True


def _record(
    *,
    action: str,
    actor: User | None,
    version: SetVersion,
    obj: models.Model,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
) -> None:
    audit.record(
        action=action,
        actor=actor,
        organisation=version.leerfiche_set.owner,
        obj=obj,
        changes=changes,
    )


def _version_of(version_id: int) -> SetVersion:
    return SetVersion.objects.select_related("leerfiche_set__owner").get(pk=version_id)


def _move_recorded(
    *,
    actor: User | None,
    version: SetVersion,
    obj: models.Model,
    siblings: models.QuerySet,
    direction: Direction,
    action: str,
) -> bool:
    """``_move`` among ``siblings``, recorded as ``action`` when something moved."""
    moved = _move(siblings, obj, direction)
    if moved:
        _record(action=action, actor=actor, version=version, obj=obj)
    return moved


def _delete_recorded(
    *,
    actor: User | None,
    version: SetVersion,
    obj: models.Model,
    action: str,
    values: Mapping[str, Any],
) -> None:
    """Record ``action`` with the ``values`` that go, then delete ``obj``."""
    _record(action=action, actor=actor, version=version, obj=obj, changes=audit.deleted(values))
    obj.delete()


def _update_recorded(
    *,
    actor: User | None,
    version: SetVersion,
    obj: models.Model,
    values: Mapping[str, Any],
    action: str,
) -> None:
    """Set ``values`` on ``obj``, save those fields and record what changed as ``action``."""
    names = list(values)
    before = audit.snapshot(obj, names)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=names)
    _record(
        action=action,
        actor=actor,
        version=version,
        obj=obj,
        changes=audit.diff(before, audit.snapshot(obj, names)),
    )


def _line_version(line: LeerficheItem | Criterion) -> SetVersion:
    """The draft an item or criterion belongs to (``VersionLocked`` when published)."""
    return versions.editable(_version_of(line.leerfiche.version_id))


# --- sets and editors -------------------------------------------------------------------------


@transaction.atomic
def set_create(*, actor: User, owner: Organisation, opleiding: Opleiding, name: str) -> SetVersion:
    """A new set of ``owner`` for ``opleiding`` with an empty draft (version 1).

    Raises ``ValidationError`` when the owner has a set of that name already.
    """
    name = name.strip()
    if LeerficheSet.objects.filter(owner=owner, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("Your organisation already has a set with this name.")}, code="unique"
        )
    return versions.create_set(owner=owner, opleiding=opleiding, name=name, actor=actor)


@transaction.atomic
def editor_add(*, actor: User, leerfiche_set: LeerficheSet, user: User) -> SetEditor:
    """Name ``user``, a member of the set's owner, an editor of the set."""
    if not Membership.objects.filter(user=user, organisation_id=leerfiche_set.owner_id).exists():
        raise ValidationError(
            {"user": _("Only members of the organisation that owns the set can be editors.")},
            code="not_member",
        )
    editor, created = SetEditor.objects.get_or_create(leerfiche_set=leerfiche_set, user=user)
    if created:
        audit.record(
            action="leerfiche_set.editor_add",
            actor=actor,
            organisation=leerfiche_set.owner,
            obj=leerfiche_set,
            changes={"user": (None, audit.json_value(user))},
        )
    return editor


@transaction.atomic
def editor_remove(*, actor: User, editor: SetEditor) -> None:
    leerfiche_set = editor.leerfiche_set
    audit.record(
        action="leerfiche_set.editor_remove",
        actor=actor,
        organisation=leerfiche_set.owner,
        obj=leerfiche_set,
        changes={"user": (audit.json_value(editor.user), None)},
    )
    editor.delete()


# --- themes -------------------------------------------------------------------------------


@transaction.atomic
def theme_add(*, actor: User, version: SetVersion, title: str) -> Theme:
    versions.editable(version)
    siblings = Theme.objects.filter(version=version)
    theme = Theme.objects.create(
        version=version,
        title=title,
        key=unique_key(title, taken=siblings.values_list("key", flat=True), fallback="thema"),
        order=_next_order(siblings),
    )
    _record(
        action="theme.create",
        actor=actor,
        version=version,
        obj=theme,
        changes=audit.created({"title": title, "key": theme.key}),
    )
    return theme


@transaction.atomic
def theme_update(*, actor: User, theme: Theme, title: str) -> Theme:
    _update_recorded(
        actor=actor,
        version=versions.editable(_version_of(theme.version_id)),
        obj=theme,
        values={"title": title},
        action="theme.update",
    )
    return theme


@transaction.atomic
def theme_move(*, actor: User, theme: Theme, direction: Direction) -> bool:
    version = versions.editable(_version_of(theme.version_id))
    return _move_recorded(
        actor=actor,
        version=version,
        obj=theme,
        siblings=Theme.objects.filter(version=version),
        direction=direction,
        action="theme.move",
    )


@transaction.atomic
def theme_delete(*, actor: User, theme: Theme) -> None:
    """Remove an empty theme (its leerfiches first go elsewhere or are removed)."""
    version = versions.editable(_version_of(theme.version_id))
    if theme.leerfiches.exists():
        raise ValidationError(
            _("This theme still holds leerfiches: move or remove them first."), code="not_empty"
        )
    _delete_recorded(
        actor=actor,
        version=version,
        obj=theme,
        action="theme.delete",
        values={"title": theme.title, "key": theme.key},
    )


# --- leerfiches -----------------------------------------------------------------------------


def _check_theme(version: SetVersion, theme: Theme) -> None:
    if theme.version_id != version.pk:
        raise ValidationError({"theme": _("Choose a theme of this version.")}, code="theme")


@transaction.atomic
def leerfiche_add(*, actor: User, version: SetVersion, theme: Theme, title: str) -> Leerfiche:
    versions.editable(version)
    _check_theme(version, theme)
    leerfiche = Leerfiche.objects.create(
        version=version,
        theme=theme,
        title=title,
        key=unique_key(
            title,
            taken=Leerfiche.objects.filter(version=version).values_list("key", flat=True),
            fallback="leerfiche",
        ),
        order=_next_order(Leerfiche.objects.filter(theme=theme)),
    )
    _record(
        action="leerfiche.create",
        actor=actor,
        version=version,
        obj=leerfiche,
        changes=audit.created({"title": title, "key": leerfiche.key, "theme": theme}),
    )
    return leerfiche


@transaction.atomic
def leerfiche_update(
    *, actor: User, leerfiche: Leerfiche, title: str, theme: Theme, **fields: Any
) -> Leerfiche:
    """Change the title, the theme (the leerfiche goes last in the new theme), the
    introduction, the section texts and the opdracht (``LEERFICHE_TEXT_FIELDS``)."""
    version = versions.editable(_version_of(leerfiche.version_id))
    _check_theme(version, theme)
    unknown = set(fields) - set(LEERFICHE_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"leerfiche_update got unknown fields {sorted(unknown)}")
    names = ["title", "theme", *fields]
    before = audit.snapshot(leerfiche, names)
    if theme.pk != leerfiche.theme_id:
        leerfiche.order = _next_order(Leerfiche.objects.filter(theme=theme))
        names.append("order")
    leerfiche.title = title
    leerfiche.theme = theme
    for name, value in fields.items():
        setattr(leerfiche, name, value)
    leerfiche.save(update_fields=names)
    _record(
        action="leerfiche.update",
        actor=actor,
        version=version,
        obj=leerfiche,
        changes=audit.diff(before, audit.snapshot(leerfiche, list(before))),
    )
    return leerfiche


@transaction.atomic
def leerfiche_move(*, actor: User, leerfiche: Leerfiche, direction: Direction) -> bool:
    """Up or down among the leerfiches of its theme."""
    return _move_recorded(
        actor=actor,
        version=versions.editable(_version_of(leerfiche.version_id)),
        obj=leerfiche,
        siblings=Leerfiche.objects.filter(theme_id=leerfiche.theme_id),
        direction=direction,
        action="leerfiche.move",
    )


@transaction.atomic
def leerfiche_delete(*, actor: User, leerfiche: Leerfiche) -> None:
    _delete_recorded(
        actor=actor,
        version=versions.editable(_version_of(leerfiche.version_id)),
        obj=leerfiche,
        action="leerfiche.delete",
        values={"title": leerfiche.title, "key": leerfiche.key},
    )


# --- items of a section -------------------------------------------------------------------------


@transaction.atomic
def item_add(
    *, actor: User, leerfiche: Leerfiche, kind: str, text: str, heading: str = "", note: str = ""
) -> LeerficheItem:
    version = versions.editable(_version_of(leerfiche.version_id))
    if kind not in ItemKind.values:
        raise ValidationError(_("Unknown kind of item."), code="kind")
    item = LeerficheItem.objects.create(
        leerfiche=leerfiche,
        kind=kind,
        heading=heading,
        text=text,
        note=note,
        order=_next_order(LeerficheItem.objects.filter(leerfiche=leerfiche, kind=kind)),
    )
    _record(
        action="leerfiche_item.create",
        actor=actor,
        version=version,
        obj=item,
        changes=audit.created({"kind": kind, "heading": heading, "text": text, "note": note}),
    )
    return item


@transaction.atomic
def item_update(
    *, actor: User, item: LeerficheItem, text: str, heading: str = "", note: str = ""
) -> LeerficheItem:
    _update_recorded(
        actor=actor,
        version=_line_version(item),
        obj=item,
        values={"heading": heading, "text": text, "note": note},
        action="leerfiche_item.update",
    )
    return item


@transaction.atomic
def item_move(*, actor: User, item: LeerficheItem, direction: Direction) -> bool:
    """Up or down among the items of its section (its kind) in the leerfiche."""
    return _move_recorded(
        actor=actor,
        version=_line_version(item),
        obj=item,
        siblings=LeerficheItem.objects.filter(leerfiche_id=item.leerfiche_id, kind=item.kind),
        direction=direction,
        action="leerfiche_item.move",
    )


@transaction.atomic
def item_delete(*, actor: User, item: LeerficheItem) -> None:
    _delete_recorded(
        actor=actor,
        version=_line_version(item),
        obj=item,
        action="leerfiche_item.delete",
        values={"kind": item.kind, "text": item.text},
    )


# --- criteria ---------------------------------------------------------------------------------


@transaction.atomic
def criterion_add(
    *,
    actor: User,
    leerfiche: Leerfiche,
    text: str,
    heading: str = "",
    code: str = "",
    norm_reference: str = "",
) -> Criterion:
    version = versions.editable(_version_of(leerfiche.version_id))
    siblings = Criterion.objects.filter(leerfiche=leerfiche)
    criterion = Criterion.objects.create(
        leerfiche=leerfiche,
        key=unique_key(text, taken=siblings.values_list("key", flat=True), fallback="criterium"),
        order=_next_order(siblings),
        heading=heading,
        text=text,
        code=code,
        norm_reference=norm_reference,
    )
    _record(
        action="criterion.create",
        actor=actor,
        version=version,
        obj=criterion,
        changes=audit.created(
            {"key": criterion.key, "text": text, "code": code, "norm_reference": norm_reference}
        ),
    )
    return criterion


@transaction.atomic
def criterion_update(
    *,
    actor: User,
    criterion: Criterion,
    text: str,
    heading: str = "",
    code: str = "",
    norm_reference: str = "",
) -> Criterion:
    """Change the wording, code and norm; the key stays (the evaluation follows it)."""
    _update_recorded(
        actor=actor,
        version=_line_version(criterion),
        obj=criterion,
        values={"heading": heading, "text": text, "code": code, "norm_reference": norm_reference},
        action="criterion.update",
    )
    return criterion


@transaction.atomic
def criterion_move(*, actor: User, criterion: Criterion, direction: Direction) -> bool:
    """Up or down among the criteria of its leerfiche."""
    return _move_recorded(
        actor=actor,
        version=_line_version(criterion),
        obj=criterion,
        siblings=Criterion.objects.filter(leerfiche_id=criterion.leerfiche_id),
        direction=direction,
        action="criterion.move",
    )


@transaction.atomic
def criterion_delete(*, actor: User, criterion: Criterion) -> None:
    _delete_recorded(
        actor=actor,
        version=_line_version(criterion),
        obj=criterion,
        action="criterion.delete",
        values={"key": criterion.key, "text": criterion.text},
    )
