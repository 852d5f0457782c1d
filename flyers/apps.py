from django.apps import AppConfig


class FlyersConfig(AppConfig):
    name = "flyers"
