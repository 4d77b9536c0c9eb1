"""What documents holds about a person (plug-in of ``duaal.privacy``): the PDFs they asked
for (the PDFs about a student are listed by the app whose data they print)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from documents.models import GeneratedDocument
from duaal.privacy import Person, Provider, Section, register_provider


@register_provider
class DocumentProvider(Provider):
    key = "documents.requested"
    order = 85

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.user_id is None:
            return []
        rows = [
            {
                _("document"): document.get_kind_display(),
                _("requested"): document.created_at,
                _("status"): document.get_status_display(),
            }
            for document in GeneratedDocument.objects.filter(requester_id=person.user_id).order_by(
                "created_at"
            )
        ]
        return [Section("documents", _("Documents you requested"), rows)]
