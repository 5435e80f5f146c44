from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "parcours.plie.commissions"
    label = "commissions"
