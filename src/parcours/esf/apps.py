from django.apps import AppConfig


class EsfConfig(AppConfig):
    name = "parcours.esf"
    label = "esf"
