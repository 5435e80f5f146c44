from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "parcours.youth"
    label = "youth"
    verbose_name = "Mission Locale"

    def ready(self) -> None:
        from parcours.organisations.capabilities import capabilities_grant
        from parcours.territory.sections import territory_section_register

        from .capabilities import YOUTH_CAPABILITIES
        from .territory_file import SITES_SECTION

        territory_section_register(SITES_SECTION)
        for role, capabilities in YOUTH_CAPABILITIES.items():
            capabilities_grant(role, capabilities)
