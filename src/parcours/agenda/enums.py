"""Enumerations of the agenda (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    """A person's place in a planned appointment, as rdv-service-public counts them."""

    PLANNED = "planned", _("Prévu")
    SEEN = "seen", _("Venu·e")
    EXCUSED = "excused", _("Excusé·e")
    CANCELLED = "cancelled", _("Annulé")
    NO_SHOW = "no_show", _("Absent·e sans prévenir")


class ConvocationChannel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    LETTER = "letter", _("Courrier")


class AgendaView(models.TextChoices):
    DAY = "day", _("Jour")
    WEEK = "week", _("Semaine")
    LIST = "list", _("Liste")
