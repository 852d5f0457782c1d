from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"

    def ready(self):
        from faculty.services_merge import register_merge_step

        from . import receivers  # noqa: F401  (the phone of a held registration)
        from .merge_steps import merge_claims, merge_late_claims

        register_merge_step(merge_claims)
        register_merge_step(merge_late_claims)
