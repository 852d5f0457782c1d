from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"

    def ready(self):
        from faculty.services_merge import register_after_merge, register_merge_step

        from . import receivers  # noqa: F401  (statuses after a disclosure)
        from .merge_steps import merge_series_roles, recompute_people

        register_merge_step(merge_series_roles)
        register_after_merge(recompute_people)
