from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"

    def ready(self) -> None:
        from duaal.registry import discover

        # Every app's agenda.py registers its event providers on import.
        discover("agenda")
