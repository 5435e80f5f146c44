"""Enumerations of territory (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    """Kept for territory migration 0001 (default_situations) only: the situation criteria are the programmes'
    now (programmes.registry.Criterion; the PLIE's in plie.definition.CRITERIA)."""

    INACTIVE_12M = "inactive_12m", _("Sans activité professionnelle depuis plus de 12 mois")
    RSA = "rsa", _("Bénéficiaire du RSA")
    ASS = "ass", _("Bénéficiaire de l'ASS")
    AAH = "aah", _("Bénéficiaire de l'AAH")
    SINGLE_PARENT = "single_parent", _("Parent isolé")
    RQTH = "rqth", _("Reconnaissance de la qualité de travailleur handicapé (RQTH)")


class HelpdeskKind(models.TextChoices):
    """What a place of the territory is (issue 14: the helpdesks of seed 000 and the permanences)."""

    AGENCY = "agency", _("Agence du dispositif")
    OPERATOR = "operator", _("Locaux d'une structure")
    PERMANENCE = "permanence", _("Permanence")
