from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "parcours.youth"
    label = "youth"
    verbose_name = "Mission Locale"

    def ready(self) -> None:
        from parcours.territory.sections import territory_section_register

        from .territory_file import SITES_SECTION

        territory_section_register(SITES_SECTION)
