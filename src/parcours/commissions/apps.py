from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "parcours.commissions"
    label = "commissions"
