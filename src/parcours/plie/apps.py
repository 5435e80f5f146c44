from django.apps import AppConfig


class PlieConfig(AppConfig):
    name = "parcours.plie"
    label = "plie"

    def ready(self) -> None:
        from parcours.programmes.registry import programme_register

        from .definition import PLIE_DEFINITION

        programme_register(PLIE_DEFINITION)
