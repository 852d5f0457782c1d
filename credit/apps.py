from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"

    def ready(self):
        from . import receivers  # noqa: F401  (the phone of a held registration)
