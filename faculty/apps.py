from django.apps import AppConfig


class FacultyConfig(AppConfig):
    name = "faculty"
    verbose_name = "People and faculty"
