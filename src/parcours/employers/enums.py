"""Codes of the employers module (docs/employers.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeBand(models.TextChoices):
    """INSEE's size categories by headcount (the bands the national consolidation counts exits by)."""

    MICRO = "micro", _("Très petite entreprise (moins de 10 salariés)")
    SMALL = "small", _("Petite entreprise (10 à 49 salariés)")
    MEDIUM = "medium", _("Moyenne entreprise (50 à 249 salariés)")
    LARGE = "large", _("Grande entreprise (250 salariés et plus)")


class PartnerStatus(models.TextChoices):
    PROSPECT = "prospect", _("À démarcher")
    PARTNER = "partner", _("Partenaire")
    FORMER = "former", _("Ancien partenaire")


class ExchangeKind(models.TextChoices):
    CALL = "call", _("Appel téléphonique")
    VISIT = "visit", _("Visite en entreprise")
    EMAIL = "email", _("Courriel")
    MEETING = "meeting", _("Rendez-vous")
    EVENT = "event", _("Événement (forum, job dating…)")
    OTHER = "other", _("Autre échange")
