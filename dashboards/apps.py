from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards (issue 14): read-only views for directors, coordinators and the sector. Reads
    the other apps through their selectors and signals; owns only its summaries. No domain app
    imports it."""

    name = "dashboards"

    def ready(self) -> None:
        from dashboards import summaries

        summaries.connect()
