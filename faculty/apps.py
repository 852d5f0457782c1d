from django.apps import AppConfig


class FacultyConfig(AppConfig):
    name = "faculty"
    verbose_name = "People and faculty"

    def ready(self):
        from . import services_sign_in  # noqa: F401  (connects the sign-in audit)
