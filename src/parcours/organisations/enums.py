"""Enumerations of organisations (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PLIE = "plie", _("PLIE (équipe d'animation)")
    OPERATOR = "operator", _("Structure opératrice (emploie des référents)")
    PRESCRIBER = "prescriber", _("Prescripteur")
    STEP_PROVIDER = "step_provider", _("Opérateur d'étapes (formation, SIAE, employeur)")


class PrescriberType(models.TextChoices):
    """Codes of the interchange format (pathways.csv, prescriber_type)."""

    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    MISSION_LOCALE = "mission_locale", _("Mission Locale")
    CCAS = "ccas", _("CCAS")
    DEPARTEMENT = "departement", _("Conseil départemental")
    CAF = "caf", _("CAF")
    SIAE = "siae", _("SIAE")
    ASSOCIATION = "association", _("Association")
    PLIE = "plie", _("PLIE")
    SELF = "self", _("Candidature spontanée")
    OTHER = "other", _("Autre")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinateur·rice de parcours")
    DIRECTOR = "director", _("Direction du PLIE")
    REFERENT = "referent", _("Référent·e de parcours")
    PRESCRIBER = "prescriber", _("Prescripteur·rice")
    ADMINISTRATOR = "administrator", _("Administrateur·rice")
    DPO = "dpo", _("Délégué·e à la protection des données")
