from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "parcours.programmes"
    label = "programmes"
