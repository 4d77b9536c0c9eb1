"""PDF kinds of learning: catalogue (registered with ``documents.registry``).

``leerfiche``: one leerfiche as the brochure's appendix lays it out. Who may ask for one is who
may read its version (``learning.access``: a published version for anyone with a membership,
a draft for the owner's members), and only while they still may do they download it. The
subject sits in ``GeneratedDocument.leerfiche``: discarding a draft takes its PDFs along.

Layering: the catalogue imports no domain app but ``organisations`` (and the engines).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from learning import access
from learning.models import Leerfiche
from learning.selectors.catalogue import with_content


@register_kind
class LeerficheSheet(DocumentKind):
    """One leerfiche (introduction, leerdoelen, sections, opdracht, evaluatiecriteria)."""

    code = "leerfiche"
    slug = "leerfiche"
    label = _("Leerfiche")
    template_name = "pdf/leerfiche.html"
    subject_field = "leerfiche"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Leerfiche:
        return access.get_leerfiche_for_reader(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Leerfiche]:
        return Leerfiche.objects.filter(version__in=access.versions_readable_by(user=user))

    def load_subject(self, *, pk: int) -> Leerfiche:
        return Leerfiche.objects.select_related(
            "theme", "version__leerfiche_set__owner", "version__leerfiche_set__opleiding"
        ).get(pk=pk)

    def context(self, *, subject: Leerfiche, viewer: User) -> dict[str, Any]:
        with_content([subject])
        return {
            "leerfiche": subject,
            "version": subject.version,
            "leerfiche_set": subject.version.leerfiche_set,
        }

    def title(self, subject: Leerfiche) -> str:
        return subject.title

    def subject_path(self, subject: Leerfiche) -> str:
        return reverse("learning:leerfiche_detail", args=[subject.public_id])

    def filename_stem(self, subject: Leerfiche) -> str:
        return f"leerfiche-{subject.title}"
