from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        # partnerships → contracts: the receivers of partnerships' signals (decision 0018).
        from contracts import checklist_receivers, receivers  # noqa: F401

        # Other apps' extra blocking checks of the start (contracts/checklist.py).
        autodiscover_modules("start_checks")
