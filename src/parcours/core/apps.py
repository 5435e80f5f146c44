from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parcours.core"
    label = "core"

    def ready(self) -> None:
        from .textsearch import sqlite_function_register

        sqlite_function_register()
