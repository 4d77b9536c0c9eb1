"""Document kind: a one-page card of a partnership, for whoever sees the partnership."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from partnerships import permissions
from partnerships.models import Partnership


@register_kind
class PluginCard(DocumentKind):
    code = "plugin_card"
    slug = "plugin-card"
    label = "Plugin card"
    template_name = "pdf/plugin_card.html"
    subject_field = "partnership"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Partnership:
        return permissions.get_partnership_for_user(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Partnership]:
        return permissions.partnerships_visible_to(user=user)

    def context(self, *, subject: Partnership, viewer: User) -> dict:
        return {"partnership": subject}

    def subject_path(self, subject: Partnership) -> str:
        return "/partnerships/"
