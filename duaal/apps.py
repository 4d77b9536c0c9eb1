from django.apps import AppConfig


class DuaalConfig(AppConfig):
    name = "duaal"
    verbose_name = "Duaal"

    def ready(self) -> None:
        from duaal.registry import discover

        # Every app's demo.py registers its part of the demo (``seed_demo``) on import.
        discover("demo")
        # Every app's homes.py registers its home panels and menu items on import.
        discover("homes")
        # Every app's privacy.py declares what it holds about a person (duaal.privacy).
        discover("privacy")
