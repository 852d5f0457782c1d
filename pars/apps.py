from django.apps import AppConfig


class ParsConfig(AppConfig):
    name = "pars"
    verbose_name = "Reporting to ACCME (PARS)"
