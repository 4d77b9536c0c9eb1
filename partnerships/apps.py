from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def resync_grants_after_migrate(sender: AppConfig, plan: Any = None, **kwargs: Any) -> None:
    """Recompute every partnership's grants when a migration marked ``resync_grants`` ran.

    A migration that changes what a RACI letter grants (new codenames, a changed template)
    cannot call the grants service itself: historical models do not carry the service's code.
    Here, after all migrations, the schema matches the code, so the one recompute service runs.
    """
    if not any(
        getattr(migration, "resync_grants", False) and not backwards
        for migration, backwards in plan or []
    ):
        return
    from partnerships.models import Partnership
    from partnerships.services.grants import partnership_sync_grants

    for partnership in Partnership.objects.order_by("pk").iterator():
        partnership_sync_grants(partnership=partnership)


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from partnerships import signals  # noqa: F401 - connects the receivers

        post_migrate.connect(resync_grants_after_migrate, sender=self)
