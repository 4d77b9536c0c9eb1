"""What notifications holds about a person (plug-in of ``duaal.privacy``): their in-app
notifications, the reminders sent to them and their mail preferences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from duaal.privacy import Person, Provider, Section, register_provider
from notifications.models import Notification, NotificationPreference, Reminder


@register_provider
class NotificationProvider(Provider):
    key = "notifications.notifications"
    order = 80

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.user_id is None:
            return []
        notifications = [
            {
                _("date"): item.created_at,
                _("title"): item.title,
                _("text"): item.body,
                _("read"): item.read_at,
            }
            for item in Notification.objects.filter(user_id=person.user_id).order_by("created_at")
        ]
        reminders = [
            {
                _("kind"): rule,
                _("due date"): due,
                _("status"): status,
                _("sent"): sent,
            }
            for rule, due, status, sent in Reminder.objects.filter(recipient_id=person.user_id)
            .order_by("created_at")
            .values_list("rule", "due_date", "status", "sent_at")
        ]
        preference = NotificationPreference.objects.filter(user_id=person.user_id).first()
        preferences = (
            [
                {
                    _("delivery"): preference.get_delivery_display(),
                    _("switched off"): ", ".join(preference.muted_kinds),
                }
            ]
            if preference is not None
            else []
        )
        return [
            Section("notifications", _("Notifications"), notifications),
            Section("reminders", _("Reminders sent to you"), reminders),
            Section("notification_preferences", _("Notification preferences"), preferences),
        ]
