from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "parcours.plie.intake"
    label = "intake"
