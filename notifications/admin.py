"""Platform staff can inspect reminders, digests, notifications and preferences (read-mostly)."""

from django.contrib import admin

from notifications.models import Digest, Notification, NotificationPreference, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "rule",
        "subject_id",
        "recipient",
        "due_date",
        "lead_days",
        "status",
        "attempts",
    )
    list_filter = ("status", "rule")
    search_fields = ("recipient__email", "message_id")
    raw_id_fields = ("recipient", "partnership", "traject")
    readonly_fields = (
        "rule",
        "subject_type",
        "subject_id",
        "due_date",
        "lead_days",
        "send_on",
        "claim_token",
        "lease_until",
        "message_id",
        "created_at",
        "updated_at",
        "sent_at",
    )


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "status", "attempts", "sent_at")
    list_filter = ("status",)
    raw_id_fields = ("user",)
    readonly_fields = ("claim_token", "lease_until", "message_id", "created_at", "sent_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "title", "email_state", "created_at", "read_at")
    list_filter = ("kind", "email_state")
    search_fields = ("user__email", "title")
    raw_id_fields = ("user", "reminder", "digest")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "delivery", "updated_at")
    raw_id_fields = ("user",)
