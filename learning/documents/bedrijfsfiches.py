"""PDF kinds of learning: bedrijfsfiches (registered with ``documents.registry``).

``bedrijfsfiche``: the bedrijfsfiches of a partnership, one per page, for the team (the
subject is the partnership: the engine's scope columns are partnership and traject). Each
bedrijfsfiche appears in the version the team works on (the draft, marked as such, else the
latest published one), with the leerfiche's leerdoelen and criteria and its photos. The photos
are read from the private storage and embedded as ``data:`` URIs, so the deny-by-default
fetcher (``documents.fetcher``) never needs a URL, public or not.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from learning.images import CONTENT_TYPE
from learning.models import (
    BedrijfsfichePhoto,
    BedrijfsficheVersion,
    Criterion,
    ItemKind,
    LeerficheItem,
)
from learning.selectors.bedrijfsfiches import bedrijfsfiches_by_vestiging, steps
from partnerships import permissions
from partnerships.models import Partnership

# A photo larger than this is left out of the PDF (the stored ones are ≤ 2000 px JPEGs).
MAX_EMBEDDED_BYTES = 4 * 1024 * 1024


@dataclass
class PdfPhoto:
    caption: str
    data_uri: str


@dataclass
class PdfFiche:
    version: BedrijfsficheVersion
    vestiging: Any
    steps: list[str]
    leerdoelen: list[LeerficheItem] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    photos: list[PdfPhoto] = field(default_factory=list)


def data_uri(photo: BedrijfsfichePhoto) -> str | None:
    """The photo's file as a ``data:`` URI, or None when it is missing or too large."""
    try:
        with photo.image.storage.open(photo.image.name, "rb") as handle:
            content = handle.read(MAX_EMBEDDED_BYTES + 1)
    except (FileNotFoundError, OSError):
        return None
    if len(content) > MAX_EMBEDDED_BYTES:
        return None
    return f"data:{CONTENT_TYPE};base64,{base64.b64encode(content).decode('ascii')}"


def bedrijfsfiches_context(*, partnership: Partnership) -> dict[str, Any]:
    """Template context of ``pdf/bedrijfsfiches.html`` (a fixed number of queries)."""
    fiches: list[PdfFiche] = []
    for group in bedrijfsfiches_by_vestiging(partnership=partnership):
        for row in group.rows:
            fiches.append(
                PdfFiche(version=row.current, vestiging=group.vestiging, steps=steps(row.current))
            )
    by_version = {fiche.version.pk: fiche for fiche in fiches}
    by_leerfiche: dict[int, list[PdfFiche]] = {}
    for fiche in fiches:
        by_leerfiche.setdefault(fiche.version.leerfiche_id, []).append(fiche)
    for item in LeerficheItem.objects.filter(
        leerfiche_id__in=by_leerfiche, kind=ItemKind.LEERDOEL
    ).order_by("order", "pk"):
        for fiche in by_leerfiche[item.leerfiche_id]:
            fiche.leerdoelen.append(item)
    for criterion in Criterion.objects.filter(leerfiche_id__in=by_leerfiche).order_by(
        "order", "pk"
    ):
        for fiche in by_leerfiche[criterion.leerfiche_id]:
            fiche.criteria.append(criterion)
    for photo in BedrijfsfichePhoto.objects.filter(version_id__in=by_version).order_by(
        "order", "pk"
    ):
        uri = data_uri(photo)
        if uri is not None:
            by_version[photo.version_id].photos.append(PdfPhoto(photo.caption, uri))
    return {"partnership": partnership, "fiches": fiches}


@register_kind
class BedrijfsfichesPdf(DocumentKind):
    """The bedrijfsfiches of a partnership, for every team member (who reads the drafts too)."""

    code = "bedrijfsfiche"
    slug = "bedrijfsfiches"
    label = _("Bedrijfsfiches")
    template_name = "pdf/bedrijfsfiches.html"
    subject_field = "partnership"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Partnership:
        return permissions.get_partnership_for_bedrijfsfiches(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Partnership]:
        return permissions.partnerships_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Partnership:
        return Partnership.objects.select_related("school", "opleiding").get(pk=pk)

    def context(self, *, subject: Partnership, viewer: User) -> dict:
        return bedrijfsfiches_context(partnership=subject)

    def title(self, subject: Partnership) -> str:
        return f"{subject.name} – {_('Bedrijfsfiches')}"

    def subject_path(self, subject: Partnership) -> str:
        return reverse("learning:bedrijfsfiche_list", args=[subject.public_id])

    def filename_stem(self, subject: Partnership) -> str:
        return f"bedrijfsfiches-{subject.name}-{subject.school_year_label}"
