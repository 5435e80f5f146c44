from django.apps import AppConfig


class PlieConfig(AppConfig):
    name = "parcours.plie"
    label = "plie"
