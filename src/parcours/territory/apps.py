from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "parcours.territory"
    label = "territory"
