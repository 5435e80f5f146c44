from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "parcours.interchange"
    label = "interchange"
