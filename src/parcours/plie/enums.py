"""Enumerations of the PLIE programme (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    VALIDATED = "validated", _("Emploi durable validé")
    JOB_ENDED = "job_ended", _("Emploi terminé avant l'échéance")
