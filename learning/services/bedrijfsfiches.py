"""Bedrijfsfiches: the company's translation of a leerfiche (brochure 6.5), in versions.

A bedrijfsfiche belongs to a partnership and one of its company vestigingen, and translates
one leerfiche of the set version the partnership adopted (its ``Opleidingsplan`` without a
traject). Its content lives in versions, like the leerfiches': a **draft** is edited, a
**published** version is immutable (``BedrijfsficheLocked``); editing a published bedrijfsfiche
starts a new draft that copies the fields and the photo rows (the files are shared and never
rewritten: a file is removed only when no row refers to it any more).

The leerdoelen and criteria are never copied: the pages read them from the leerfiche.

Every change writes the audit trail (``partnerships.audit``). Who may call these is asked by
the views from ``partnerships.permissions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning import images
from learning.models import (
    Bedrijfsfiche,
    BedrijfsfichePhoto,
    BedrijfsficheVersion,
    Leerfiche,
    Opleidingsplan,
    SetVersion,
    VersionStatus,
)
from learning.models.plans import photo_path
from organisations.models import Vestiging
from partnerships import audit
from partnerships.models import Partnership

# The company's fields of a version (copied into a new draft, changed by ``update``).
CONTENT_FIELDS = (
    "timing",
    "materiaal",
    "instructies",
    "veiligheid",
    "werkvorm",
    "werkvorm_steps",
)
MAX_PHOTOS = 12


class BedrijfsficheLocked(ValidationError):
    """A published bedrijfsfiche version was about to change."""


def adopted_version(*, partnership: Partnership) -> SetVersion | None:
    """The leerfiche set version the partnership adopted (its plan without a traject)."""
    plan = (
        Opleidingsplan.objects.filter(partnership=partnership, traject__isnull=True)
        .select_related("set_version__leerfiche_set")
        .first()
    )
    return plan.set_version if plan is not None else None


def require_adopted_version(*, partnership: Partnership) -> SetVersion:
    version = adopted_version(partnership=partnership)
    if version is None:
        raise ValidationError(
            _(
                "This partnership has not adopted a leerfiche set yet: adopt one in the "
                "opleidingsplan first, then write its bedrijfsfiches."
            ),
            code="no_plan",
        )
    return version


def editable(version: BedrijfsficheVersion) -> BedrijfsficheVersion:
    """``version`` if it is a draft (read from the database); ``BedrijfsficheLocked`` if not."""
    status = (
        BedrijfsficheVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    )
    if status != VersionStatus.DRAFT:
        raise BedrijfsficheLocked(
            _(
                "Version %(number)s of this bedrijfsfiche is published and cannot change; "
                "start a new draft to edit it."
            )
            % {"number": version.number},
            code="locked",
        )
    return version


def current_draft(bedrijfsfiche: Bedrijfsfiche) -> BedrijfsficheVersion | None:
    return bedrijfsfiche.versions.filter(status=VersionStatus.DRAFT).first()


def latest_published(bedrijfsfiche: Bedrijfsfiche) -> BedrijfsficheVersion | None:
    return bedrijfsfiche.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def _record(
    *,
    actor: Any,
    action: str,
    version: BedrijfsficheVersion,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    obj: Any = None,
) -> None:
    partnership = version.bedrijfsfiche.partnership
    audit.record(
        actor=actor,
        action=action,
        partnership=partnership,
        obj=obj if obj is not None else version,
        object_label=f"{version.title} (v{version.number})" if obj is None else None,
        changes=dict(changes or {}),
    )


@transaction.atomic
def create(
    *,
    actor: Any,
    partnership: Partnership,
    vestiging: Vestiging,
    leerfiche: Leerfiche,
) -> BedrijfsficheVersion:
    """A new bedrijfsfiche with its first draft, titled like the leerfiche.

    The vestiging must be one of the partnership's companies' and the leerfiche one of the
    adopted set version; one bedrijfsfiche per (partnership, vestiging, leerfiche).
    """
    set_version = require_adopted_version(partnership=partnership)
    if not partnership.companies.filter(vestiging=vestiging).exists():
        raise ValidationError(
            _("This establishment is not one of the partnership's companies."), code="vestiging"
        )
    if leerfiche.version_id != set_version.pk:
        raise ValidationError(
            _("This leerfiche is not part of the leerfiche set the partnership adopted."),
            code="leerfiche",
        )
    if Bedrijfsfiche.objects.filter(
        partnership=partnership, vestiging=vestiging, leerfiche_key=leerfiche.key
    ).exists():
        raise ValidationError(
            _("This establishment already has a bedrijfsfiche for “%(title)s”.")
            % {"title": leerfiche.title},
            code="exists",
        )
    bedrijfsfiche = Bedrijfsfiche.objects.create(
        partnership=partnership, vestiging=vestiging, leerfiche_key=leerfiche.key
    )
    version = BedrijfsficheVersion.objects.create(
        bedrijfsfiche=bedrijfsfiche,
        number=1,
        leerfiche=leerfiche,
        title=leerfiche.title,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.bedrijfsfiche = bedrijfsfiche
    _record(
        actor=actor,
        action="bedrijfsfiche.create",
        version=version,
        changes=audit_created(
            {"title": leerfiche.title, "vestiging": str(vestiging), "leerfiche": leerfiche.key}
        ),
    )
    return version


def audit_created(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (None, value) for name, value in values.items() if value not in (None, "")}


@transaction.atomic
def update(*, actor: Any, version: BedrijfsficheVersion, **values: Any) -> BedrijfsficheVersion:
    """Change the company's fields of a draft (``CONTENT_FIELDS``)."""
    unknown = set(values) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not a field of a bedrijfsfiche: {sorted(unknown)}")
    version = BedrijfsficheVersion.objects.select_for_update().get(pk=version.pk)
    editable(version)
    changes = {
        name: (getattr(version, name), value)
        for name, value in values.items()
        if getattr(version, name) != value
    }
    if changes:
        for name, (_old, new) in changes.items():
            setattr(version, name, new)
        version.save(update_fields=[*changes, "updated_at"])
        _record(actor=actor, action="bedrijfsfiche.update", version=version, changes=changes)
    return version


@transaction.atomic
def publish(*, actor: Any, version: BedrijfsficheVersion) -> BedrijfsficheVersion:
    """Publish a draft: from now on it is immutable and the students placed there read it."""
    version = (
        BedrijfsficheVersion.objects.select_for_update()
        .select_related("bedrijfsfiche__partnership")
        .get(pk=version.pk)
    )
    editable(version)
    if not (version.instructies.strip() or version.werkvorm_steps.strip()):
        raise ValidationError(
            _("Write the instructions or the steps before you publish the bedrijfsfiche."),
            code="empty",
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    _record(
        actor=actor,
        action="bedrijfsfiche.publish",
        version=version,
        changes={"status": (VersionStatus.DRAFT, VersionStatus.PUBLISHED)},
    )
    return version


@transaction.atomic
def start_draft(*, actor: Any, bedrijfsfiche: Bedrijfsfiche) -> BedrijfsficheVersion:
    """The bedrijfsfiche's draft: the existing one, or a copy of the latest version numbered
    one higher (fields and photo rows; the photo files are shared)."""
    bedrijfsfiche = (
        Bedrijfsfiche.objects.select_for_update()
        .select_related("partnership")
        .get(pk=bedrijfsfiche.pk)
    )
    draft = current_draft(bedrijfsfiche)
    if draft is not None:
        return draft
    source = bedrijfsfiche.versions.select_related("leerfiche").order_by("-number").first()
    if source is None:  # a bedrijfsfiche is created with its first version
        raise ValidationError(_("This bedrijfsfiche has no version to copy."), code="empty")
    # The leerfiche of the version the partnership adopts now, when it still has this key.
    set_version = adopted_version(partnership=bedrijfsfiche.partnership)
    leerfiche = source.leerfiche
    if set_version is not None and set_version.pk != leerfiche.version_id:
        leerfiche = (
            Leerfiche.objects.filter(version=set_version, key=bedrijfsfiche.leerfiche_key).first()
            or leerfiche
        )
    draft = BedrijfsficheVersion.objects.create(
        bedrijfsfiche=bedrijfsfiche,
        number=source.number + 1,
        leerfiche=leerfiche,
        title=leerfiche.title,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: getattr(source, name) for name in CONTENT_FIELDS},
    )
    BedrijfsfichePhoto.objects.bulk_create(
        BedrijfsfichePhoto(
            version=draft,
            image=photo.image.name,
            caption=photo.caption,
            order=photo.order,
            width=photo.width,
            height=photo.height,
        )
        for photo in source.photos.all()
    )
    draft.bedrijfsfiche = bedrijfsfiche
    _record(
        actor=actor,
        action="bedrijfsfiche.draft",
        version=draft,
        changes=audit_created({"number": draft.number}),
    )
    return draft


# --- photos -----------------------------------------------------------------------------------


@transaction.atomic
def photo_add(
    *,
    actor: Any,
    version: BedrijfsficheVersion,
    upload: UploadedFile | bytes | images.CleanImage,
    caption: str = "",
) -> BedrijfsfichePhoto:
    """Add a photo to a draft: checked and re-encoded (``learning.images``) before anything is
    stored; the file gets a random name in the private storage."""
    version = BedrijfsficheVersion.objects.select_for_update().get(pk=version.pk)
    editable(version)
    if version.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("A bedrijfsfiche holds at most %(count)s photos.") % {"count": MAX_PHOTOS},
            code="too_many",
        )
    clean = upload if isinstance(upload, images.CleanImage) else images.clean_image(upload)
    last = version.photos.aggregate(last=Max("order"))["last"]
    photo = BedrijfsfichePhoto(
        version=version,
        caption=caption.strip(),
        order=0 if last is None else last + 1,
        width=clean.width,
        height=clean.height,
    )
    name = default_storage.save(photo_path(photo, "photo.jpg"), ContentFile(clean.content))
    try:
        photo.image.name = name
        photo.save()
        version = BedrijfsficheVersion.objects.select_related("bedrijfsfiche__partnership").get(
            pk=version.pk
        )
        photo.version = version
        _record(
            actor=actor,
            action="bedrijfsfiche.photo_add",
            version=version,
            changes=audit_created({"caption": photo.caption or "—"}),
        )
    except BaseException:
        default_storage.delete(name)  # nothing refers to it: the row was never committed
        raise
    return photo


def _photo_for_change(photo: BedrijfsfichePhoto) -> BedrijfsfichePhoto:
    photo = (
        BedrijfsfichePhoto.objects.select_related("version__bedrijfsfiche__partnership")
        .select_for_update(of=("self",))
        .get(pk=photo.pk)
    )
    editable(photo.version)
    return photo


@transaction.atomic
def photo_caption(*, actor: Any, photo: BedrijfsfichePhoto, caption: str) -> BedrijfsfichePhoto:
    photo = _photo_for_change(photo)
    caption = caption.strip()
    if caption != photo.caption:
        changes = {"caption": (photo.caption, caption)}
        photo.caption = caption
        photo.save(update_fields=["caption"])
        _record(
            actor=actor,
            action="bedrijfsfiche.photo_update",
            version=photo.version,
            changes=changes,
        )
    return photo


@transaction.atomic
def photo_move(*, actor: Any, photo: BedrijfsfichePhoto, up: bool) -> None:
    """Swap the photo with its neighbour (earlier when ``up``); the order is renumbered 0…n."""
    photo = _photo_for_change(photo)
    photos = list(photo.version.photos.order_by("order", "pk"))
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(photos):
        return
    photos[index], photos[other] = photos[other], photos[index]
    for order, item in enumerate(photos):
        item.order = order
    BedrijfsfichePhoto.objects.bulk_update(photos, ["order"])
    _record(
        actor=actor,
        action="bedrijfsfiche.photo_move",
        version=photo.version,
        changes={"order": (index + 1, other + 1)},
    )


@transaction.atomic
def photo_remove(*, actor: Any, photo: BedrijfsfichePhoto) -> None:
    """Remove a photo from a draft; its file goes once no version refers to it any more."""
    photo = _photo_for_change(photo)
    name = photo.image.name or ""
    version = photo.version
    changes = {"caption": (photo.caption or name, None)}
    photo.delete()
    _record(actor=actor, action="bedrijfsfiche.photo_remove", version=version, changes=changes)

    def delete_file() -> None:
        if not BedrijfsfichePhoto.objects.filter(image=name).exists():
            default_storage.delete(name)

    transaction.on_commit(delete_file)
