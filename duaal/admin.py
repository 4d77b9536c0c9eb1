from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from duaal.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never added to, changed or deleted by hand."""

    list_display = ["at", "actor_label", "organisation_label", "action", "object_label", "source"]
    # No filters that scan the whole trail for their options (action, dates): it only grows.
    list_filter = ["actor_kind"]
    search_fields = ["=request_id", "=action", "actor_label", "object_label"]
    show_full_result_count = False  # no COUNT(*) over the whole trail on every page

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
