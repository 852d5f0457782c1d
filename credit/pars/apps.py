from django.apps import AppConfig


class ParsConfig(AppConfig):
    name = "credit.pars"
    label = "pars"
    verbose_name = "Reporting to ACCME (PARS)"
