"""Reads of the audit trail for the traject page's history ("Geschiedenis")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from duaal.models import AuditEntry
from partnerships.audit import HistoryItem, present
from partnerships.models import Traject

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class TrajectHistory:
    items: list[HistoryItem]
    more: bool  # older entries exist beyond the limit


def traject_history(
    *, traject: Traject, internal: bool, limit: int = HISTORY_LIMIT
) -> TrajectHistory:
    """The newest ``limit`` entries about ``traject`` and its student, newest first.

    One query, whatever the number of entries (index ``audit_traject_idx`` /
    ``audit_student_idx``). Without ``internal`` (the student and the parents), internal
    fields are left out and entries that changed only those are not shown. The caller has
    checked that the viewer may see the traject.
    """
    rows = list(
        AuditEntry.objects.filter(
            Q(traject_id=traject.pk) | Q(student_id=traject.student_id, traject_id__isnull=True)
        )
        # What ``present`` reads; not the request's address, path and user agent.
        .only(
            "at",
            "action",
            "actor_kind",
            "actor_label",
            "organisation_label",
            "object_type",
            "object_label",
            "changes",
        )
        .order_by("-at", "-id")[: limit + 1]
    )
    items = [present(entry, internal=internal) for entry in rows[:limit]]
    return TrajectHistory(items=[item for item in items if item], more=len(rows) > limit)
