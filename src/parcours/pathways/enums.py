"""Enumerations of pathways (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    ADMITTED = "admitted", _("Agréée")
    REFUSED = "refused", _("Refusée")
    REORIENTED = "reoriented", _("Réorientée")


class EntryRoute(models.TextChoices):
    APPLICATION = "application", _("Candidature et commission d'agrément")
    COLLECTIVE_ACTION = "collective_action", _("Action collective du PLIE")
    IMPORT = "import", _("Reprise de données")


class ContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    CTT = "ctt", _("Contrat de travail temporaire (intérim)")
    CUI = "cui", _("Contrat unique d'insertion (CUI)")
    APPRENTICESHIP = "apprenticeship", _("Contrat d'apprentissage")
    PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")
    NONE = "none", _("Sans contrat de travail")


class AppointmentKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuel")
    COLLECTIVE = "collective", _("Collectif")


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", _("En présentiel")
    PHONE = "phone", _("Par téléphone")
    VIDEO = "video", _("En visioconférence")
    HOME_VISIT = "home_visit", _("Visite à domicile")
    OUTREACH = "outreach", _("Hors les murs (aller vers)")


class BarrierLevel(models.TextChoices):
    MAJOR = "major", _("Frein majeur")
    MODERATE = "moderate", _("Frein modéré")
    RESOLVED = "resolved", _("Levé")
