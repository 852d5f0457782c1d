from django.apps import AppConfig


class ParsConfig(AppConfig):
    name = "credit.pars"
    label = "pars"
    verbose_name = "Reporting to ACCME (PARS)"

    def ready(self):
        from faculty.selectors_duplicates import register_matcher

        from .selectors_duplicates import pars_identities

        register_matcher(pars_identities)
