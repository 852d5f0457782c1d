from django.apps import AppConfig


class FlyersConfig(AppConfig):
    name = "flyers"

    def ready(self):
        # Certificates print the same designation statement as the flyers (credit/statements.py).
        from credit.statements import provide_statements

        from .content import series_statements

        provide_statements(series_statements)
