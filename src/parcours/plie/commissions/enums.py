"""Enumerations of plie.commissions (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommissionStatus(models.TextChoices):
    PLANNED = "planned", _("Programmée")
    HELD = "held", _("Tenue, décisions enregistrées")


class CommissionOutcome(models.TextChoices):
    ADMITTED = "admitted", _("Agréé")
    REFUSED = "refused", _("Refusé")
    REORIENTED = "reoriented", _("Réorienté")
    POSTPONED = "postponed", _("Ajourné")
