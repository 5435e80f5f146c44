from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "parcours.actions"
    label = "actions"
    verbose_name = "Actions des opérateurs"

    def ready(self) -> None:
        from .capabilities import actions_capabilities_grant

        actions_capabilities_grant()
