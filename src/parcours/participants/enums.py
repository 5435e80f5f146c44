"""Enumerations of participants (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")


class EducationLevel(models.TextChoices):
    """1969 nomenclature used by the national PLIE consolidation."""

    VI = "VI", _("VI — sortie en cours de collège")
    VBIS = "VBIS", _("V bis — sortie de 3e ou d'un CAP/BEP avant l'année terminale")
    V = "V", _("V — CAP, BEP ou terminale sans bac")
    IV = "IV", _("IV — baccalauréat")
    III = "III", _("III — bac + 2")
    II = "II", _("II — bac + 3 ou 4")
    I = "I", _("I — bac + 5 et au-delà")  # noqa: E741 (the level's official name)


class Barrier(models.TextChoices):
    """Barriers to employment (national consolidation 2019, fiche action 2)."""

    MOBILITY = "mobility", _("Mobilité géographique")
    BASIC_SKILLS = "basic_skills", _("Savoirs de base")
    DIGITAL_SKILLS = "digital_skills", _("Maîtrise de l'informatique et du numérique")
    LANGUAGE = "language", _("Barrière linguistique")
    SELF_IMAGE = "self_image", _("Image de soi")
    HEALTH = "health", _("Santé physique et psychique")
    JUSTICE = "justice", _("Situation judiciaire")
    HOUSING = "housing", _("Logement")
    DEBT = "debt", _("Surendettement")
    FAMILY = "family", _("Organisation familiale et garde d'enfants")
    LONG_ABSENCE = "long_absence", _("Éloignement prolongé du monde du travail")
    WORK_PERCEPTION = "work_perception", _("Représentation altérée du monde du travail")


class DocumentKind(models.TextChoices):
    SIGNED_APPLICATION = "signed_application", _("Dossier de candidature signé")
    SIGNED_CONTRACT = "signed_contract", _("Contrat d'engagement signé")
    IDENTITY = "identity", _("Pièce d'identité")
    CV = "cv", _("CV")
    CERTIFICATE = "certificate", _("Attestation")
    OTHER = "other", _("Autre")
