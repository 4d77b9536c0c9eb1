from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Dataset generator and benchmarks; installed only outside production (settings)."""

    name = "devtools"
    verbose_name = "Developer tools"
