from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "parcours.clauses"
    label = "clauses"
    verbose_name = "Clauses sociales"
