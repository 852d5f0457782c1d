from django.apps import AppConfig


class ParsConfig(AppConfig):
    name = "credit.pars"
    label = "pars"
    verbose_name = "Reporting to ACCME (PARS)"

    def ready(self):
        from faculty.selectors_duplicates import register_matcher

        from .selectors_duplicates import pars_identities

        register_matcher(pars_identities)

        from faculty.services_merge import register_merge_step

        from .services import identifiers_merge

        def merge_identifiers(context):
            # One set of identifiers a person: the kept one's win (pars.services).
            context.result.notes += identifiers_merge(
                keep=context.keep, duplicate=context.duplicate
            )

        register_merge_step(merge_identifiers)
