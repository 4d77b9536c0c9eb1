from django.apps import AppConfig


class DuaalConfig(AppConfig):
    name = "duaal"
    verbose_name = "Duaal"
