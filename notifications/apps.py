from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from duaal.registry import discover

        # Every app's reminders.py registers its rules (and overviews) on import.
        discover("reminders")
