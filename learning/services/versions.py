"""Versions of a leerfiche set: start a draft, publish it, discard it; published is immutable.

Every change to a set's content goes through a service that first calls ``editable`` on the
version it changes: a published version is never written to (``VersionLocked``). Editing a
published set means ``start_draft``: a full copy of the latest version (themes, leerfiches,
items, criteria, keys kept), numbered one higher. Each service writes the audit trail.

Layering: the catalogue imports no domain app but ``organisations`` (and the engines).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duaal import audit
from learning.models import (
    Criterion,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetVersion,
    Theme,
    VersionStatus,
)
from organisations.models import Organisation


class VersionLocked(ValidationError):
    """A published version was about to change."""


def editable(version: SetVersion) -> SetVersion:
    """Return ``version`` if it is a draft; raise ``VersionLocked`` if it is published.

    Reads the status from the database, so a stale instance cannot slip a change through.
    """
    status = SetVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status != VersionStatus.DRAFT:
        raise VersionLocked(
            _("Version %(number)s is published and cannot change; start a new draft to edit it.")
            % {"number": version.number},
            code="locked",
        )
    return version


@transaction.atomic
def create_set(
    *, owner: Organisation, opleiding: Opleiding, name: str, actor: Any = None
) -> SetVersion:
    """A new set with an empty draft, version 1."""
    leerfiche_set = LeerficheSet.objects.create(owner=owner, opleiding=opleiding, name=name)
    version = SetVersion.objects.create(leerfiche_set=leerfiche_set, number=1)
    audit.record(
        action="leerfiche_set.create",
        actor=actor,
        organisation=owner,
        obj=leerfiche_set,
        changes=audit.created({"name": name, "opleiding": str(opleiding)}),
    )
    return version


def current_draft(leerfiche_set: LeerficheSet) -> SetVersion | None:
    return leerfiche_set.versions.filter(status=VersionStatus.DRAFT).first()


def latest_published(leerfiche_set: LeerficheSet) -> SetVersion | None:
    return leerfiche_set.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


@transaction.atomic
def start_draft(
    *, leerfiche_set: LeerficheSet, actor: Any = None, empty: bool = False
) -> SetVersion:
    """The set's draft: the existing one, or a copy of the latest version numbered one higher.

    ``empty=True`` leaves the new draft empty instead of copying (an import fills it)."""
    # Lock the set row: two editors pressing "edit" at once get the same draft.
    LeerficheSet.objects.select_for_update().get(pk=leerfiche_set.pk)
    draft = current_draft(leerfiche_set)
    if draft is not None:
        return draft
    source = leerfiche_set.versions.order_by("-number").first()
    number = source.number + 1 if source is not None else 1
    draft = SetVersion.objects.create(leerfiche_set=leerfiche_set, number=number)
    if source is not None and not empty:
        copy_content(source=source, target=draft)
    audit.record(
        action="leerfiche_set.draft",
        actor=actor,
        organisation=leerfiche_set.owner,
        obj=draft,
        changes=audit.created({"number": number}),
    )
    return draft


def copy_content(*, source: SetVersion, target: SetVersion) -> None:
    """Copy every theme, leerfiche, item and criterion of ``source`` into ``target``.

    A constant number of queries whatever the size of the set (bulk inserts; the new ids are
    read back by key, which is unique within a version).
    """
    themes = list(source.themes.all())
    Theme.objects.bulk_create(
        Theme(version=target, key=t.key, title=t.title, order=t.order) for t in themes
    )
    new_themes = {t.key: t for t in target.themes.all()}
    theme_keys = {t.pk: t.key for t in themes}
    fiches = list(source.leerfiches.all())
    copied_fields = [
        f.name
        for f in Leerfiche._meta.concrete_fields
        if f.name not in {"id", "public_id", "version", "theme"}
    ]
    Leerfiche.objects.bulk_create(
        Leerfiche(
            version=target,
            theme=new_themes[theme_keys[fiche.theme_id]],
            **{name: getattr(fiche, name) for name in copied_fields},
        )
        for fiche in fiches
    )
    new_fiches = {f.key: f.pk for f in target.leerfiches.all()}
    fiche_keys = {f.pk: f.key for f in fiches}
    LeerficheItem.objects.bulk_create(
        LeerficheItem(
            leerfiche_id=new_fiches[fiche_keys[item.leerfiche_id]],
            kind=item.kind,
            order=item.order,
            heading=item.heading,
            text=item.text,
            note=item.note,
        )
        for item in LeerficheItem.objects.filter(leerfiche__version=source)
    )
    Criterion.objects.bulk_create(
        Criterion(
            leerfiche_id=new_fiches[fiche_keys[c.leerfiche_id]],
            key=c.key,
            order=c.order,
            heading=c.heading,
            text=c.text,
            code=c.code,
            norm_reference=c.norm_reference,
        )
        for c in Criterion.objects.filter(leerfiche__version=source)
    )


@transaction.atomic
def publish(*, version: SetVersion, actor: Any = None, change_note: str = "") -> SetVersion:
    """Publish a draft: from now on it is immutable and every organisation may read it."""
    version = SetVersion.objects.select_for_update().get(pk=version.pk)
    editable(version)
    if not version.leerfiches.exists():
        raise ValidationError(_("A version without leerfiches cannot be published."), code="empty")
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    if change_note:
        version.change_note = change_note
    version.save(update_fields=["status", "published_at", "published_by", "change_note"])
    audit.record(
        action="leerfiche_set.publish",
        actor=actor,
        organisation=version.leerfiche_set.owner,
        obj=version,
        changes={"status": (VersionStatus.DRAFT, VersionStatus.PUBLISHED)},
    )
    return version


def discard_removes_the_set(version: SetVersion) -> bool:
    """Whether discarding ``version`` also removes its set: the set was never published, so
    the draft is all there is of it (see ``discard_draft``)."""
    return not version.leerfiche_set.versions.exclude(pk=version.pk).exists()


@transaction.atomic
def discard_draft(*, version: SetVersion, actor: Any = None) -> bool:
    """Throw a draft away (a published version is never deleted).

    A set that was never published goes with its only draft: a set without any version is
    readable by nobody (``learning.access``), so it would linger unseen and keep its name
    taken. Returns True when the set was removed too.
    """
    LeerficheSet.objects.select_for_update().filter(pk=version.leerfiche_set_id).first()
    version = (
        SetVersion.objects.select_for_update()
        .select_related("leerfiche_set__owner", "leerfiche_set__opleiding")
        .get(pk=version.pk)
    )
    editable(version)
    leerfiche_set = version.leerfiche_set
    removes_set = discard_removes_the_set(version)
    audit.record(
        action="leerfiche_set.discard_draft",
        actor=actor,
        organisation=leerfiche_set.owner,
        obj=version,
        changes=audit.deleted({"number": version.number}),
    )
    version.delete()
    if removes_set:
        audit.record(
            action="leerfiche_set.delete",
            actor=actor,
            organisation=leerfiche_set.owner,
            obj=leerfiche_set,
            changes=audit.deleted(
                {"name": leerfiche_set.name, "opleiding": str(leerfiche_set.opleiding)}
            ),
        )
        leerfiche_set.delete()
    return removes_set
