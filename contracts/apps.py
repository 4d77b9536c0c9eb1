from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        # partnerships → contracts: the receivers of partnerships' signals (decision 0018).
        from contracts import receivers  # noqa: F401
