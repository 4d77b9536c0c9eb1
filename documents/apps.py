from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Generated documents")

    def ready(self) -> None:
        from documents import signals  # noqa: F401 - connects the receivers
        from duaal.registry import discover

        # Every app's documents.py registers its document kinds on import.
        discover("documents")
