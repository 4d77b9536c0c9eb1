"""PDF kinds of learning: plans (registered with ``documents.registry``).

``coverage`` — the coverage matrix of a partnership's opleidingsplan with its gaps, and the
rotation of the students the requester may see, on landscape A4. Who may ask for it is who
may read the plan (``VIEW_PARTNERSHIP``, the team); only while they still see the partnership
may they download it.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from learning.selectors.coverage import coverage_for_viewer
from partnerships import permissions
from partnerships.models import Partnership


@register_kind
class CoverageMatrix(DocumentKind):
    """The coverage matrix of a partnership's opleidingsplan, for its team."""

    code = "coverage"
    slug = "coverage"
    label = _("Coverage of the opleidingsplan")
    template_name = "pdf/coverage.html"
    subject_field = "partnership"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Partnership:
        return permissions.get_partnership_for_user(
            user=user, public_id=subject_id, perm=permissions.VIEW_PARTNERSHIP
        )

    def subjects_visible_to(self, *, user: User) -> QuerySet[Partnership]:
        return permissions.partnerships_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Partnership:
        return Partnership.objects.select_related("school", "training_centre", "opleiding").get(
            pk=pk
        )

    def context(self, *, subject: Partnership, viewer: User) -> dict:
        return coverage_for_viewer(partnership=subject, viewer=viewer)

    def title(self, subject: Partnership) -> str:
        return f"{_('Coverage of the opleidingsplan')} – {subject}"

    def subject_path(self, subject: Partnership) -> str:
        return reverse("learning:coverage", args=[subject.public_id])

    def filename_stem(self, subject: Partnership) -> str:
        return f"dekking-{subject.name}-{subject.school_year_label}"
