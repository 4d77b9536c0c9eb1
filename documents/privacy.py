"""What documents holds about a person (plug-in of ``duaal.privacy``): the PDFs they asked
for (the PDFs about a student are listed by the app whose data they print)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models import GeneratedDocument
from duaal.privacy import Person, Provider, Section, register_provider, retention


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

    def purge(self, now: dt.datetime, *, apply: bool) -> dict[str, int]:
        rows = GeneratedDocument.objects.filter(created_at__lt=now - retention("documents"))
        count = rows.count()
        if apply:
            for document in rows:
                if document.file:
                    document.file.delete(save=False)
                document.delete()
        return {"documents": count}

    def erase(self, person: Person) -> int:
        """The PDFs about the student (and their files) and those the person asked for."""
        about = Q(pk__in=[])
        if person.user_id is not None:
            about |= Q(requester_id=person.user_id)
        if person.student_id is not None:
            about |= Q(traject__student_id=person.student_id)
        removed = 0
        for document in GeneratedDocument.objects.filter(about):
            if document.file:
                document.file.delete(save=False)
            document.delete()
            removed += 1
        return removed
