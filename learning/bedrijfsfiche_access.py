"""Who reads and writes bedrijfsfiches, in terms of ``partnerships.permissions``.

The bedrijfsfiche lives in learning's plans, above partnerships, so ``partnerships.permissions``
cannot import it (tests/learning/test_plan_layering.py). It answers the partnership questions
(``get_partnership_for_bedrijfsfiches``, ``may_edit_bedrijfsfiches``, ``placements_visible_to``);
this module applies them to bedrijfsfiche rows:

* every team member who sees the partnership (VIEW_PARTNERSHIP) reads its bedrijfsfiches,
  drafts included;
* PREPARE_LESSONS (R or A on "lesvoorbereiding") writes and publishes them — the school side
  (school, training centre) for every vestiging, a company's people for their own only;
* whoever sees a traject (the student and the parents included) reads the PUBLISHED versions
  of the bedrijfsfiches of the vestigingen where that traject has a placement.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from learning.models import BedrijfsfichePhoto, BedrijfsficheVersion, VersionStatus
from partnerships.models import Traject
from partnerships.permissions import (
    VIEW_PARTNERSHIP,
    _parse_uuid,
    may_edit_bedrijfsfiches,
    partnership_permissions,
    partnerships_visible_to,
    placements_visible_to,
)


def bedrijfsfiche_versions_visible_to(*, user: User) -> QuerySet:
    """Bedrijfsfiche versions ``user`` may read, filtered in the database."""
    if not user.is_authenticated:
        return BedrijfsficheVersion.objects.none()
    team = partnerships_visible_to(user=user).values("pk")
    placed = placements_visible_to(user=user).filter(
        traject__partnership_id=models.OuterRef("bedrijfsfiche__partnership_id"),
        vestiging_id=models.OuterRef("bedrijfsfiche__vestiging_id"),
    )
    return BedrijfsficheVersion.objects.filter(
        Q(bedrijfsfiche__partnership_id__in=team)
        | Q(models.Exists(placed), status=VersionStatus.PUBLISHED)
    )


def bedrijfsfiches_of_traject(*, traject: Traject) -> QuerySet:
    """The latest PUBLISHED version of each bedrijfsfiche of the vestigingen where ``traject``
    has a placement (what the student and the parents read; the caller fetched ``traject``
    with ``get_traject_for_user``)."""
    newer = BedrijfsficheVersion.objects.filter(
        bedrijfsfiche_id=models.OuterRef("bedrijfsfiche_id"),
        status=VersionStatus.PUBLISHED,
        number__gt=models.OuterRef("number"),
    )
    return BedrijfsficheVersion.objects.filter(
        status=VersionStatus.PUBLISHED,
        bedrijfsfiche__partnership_id=traject.partnership_id,
        bedrijfsfiche__vestiging_id__in=traject.placements.values("vestiging_id"),
    ).exclude(models.Exists(newer))


def get_bedrijfsfiche_version_for_user(
    *, user: User, public_id: uuid.UUID | str, edit: bool = False
) -> Any:
    """A bedrijfsfiche version ``user`` may read, else 404; with ``edit``, 403 unless they may
    write it (``may_edit_bedrijfsfiches``). Carries ``is_team`` and ``may_edit``, and its
    partnership carries ``user_perms``."""
    if not user.is_authenticated:
        raise Http404
    version: Any = (
        bedrijfsfiche_versions_visible_to(user=user)
        .select_related(
            "bedrijfsfiche__partnership__school",
            "bedrijfsfiche__partnership__opleiding",
            "bedrijfsfiche__vestiging__organisation",
            "leerfiche__theme",
        )
        .filter(public_id=_parse_uuid(public_id))
        .first()
    )
    if version is None:
        raise Http404
    partnership = version.bedrijfsfiche.partnership
    partnership.user_perms = partnership_permissions(user=user, partnership=partnership)
    # A team member (drafts, the team's pages) or only a reader of the published version.
    version.is_team = VIEW_PARTNERSHIP in partnership.user_perms
    version.may_edit = may_edit_bedrijfsfiches(
        user=user, partnership=partnership, vestiging_id=version.bedrijfsfiche.vestiging_id
    )
    if edit and not version.may_edit:
        raise PermissionDenied
    return version


def get_bedrijfsfiche_photo_for_user(
    *, user: User, public_id: uuid.UUID | str, edit: bool = False
) -> Any:
    """A photo of a bedrijfsfiche version ``user`` may read (404 otherwise); with ``edit``,
    403 unless they may write that version. Carries ``version`` with ``may_edit``."""
    if not user.is_authenticated:
        raise Http404
    photo = (
        BedrijfsfichePhoto.objects.filter(
            public_id=_parse_uuid(public_id),
            version__in=bedrijfsfiche_versions_visible_to(user=user).values("pk"),
        )
        .select_related("version")
        .first()
    )
    if photo is None:
        raise Http404
    photo.version = get_bedrijfsfiche_version_for_user(
        user=user, public_id=photo.version.public_id, edit=edit
    )
    return photo
