from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "parcours.clauses"
    label = "clauses"
    verbose_name = "Clauses sociales"

    def ready(self) -> None:
        from .capabilities import clauses_capabilities_grant

        clauses_capabilities_grant()
