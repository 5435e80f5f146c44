from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "parcours.participants"
    label = "participants"
