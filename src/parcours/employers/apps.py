from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "parcours.employers"
    label = "employers"
    verbose_name = "Employeurs"

    def ready(self) -> None:
        from .capabilities import employers_capabilities_grant

        employers_capabilities_grant()
