"""Enumerations of pathways (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PathwayStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Candidature reçue")
    ASSIGNED = "assigned", _("Affectée à un·e référent·e")
    ASSESSED = "assessed", _("Bilan réalisé, en attente de commission")
    ADMITTED = "admitted", _("Agréée, contrat à signer")
    REFUSED = "refused", _("Refusée")
    REORIENTED = "reoriented", _("Réorientée")
    ACTIVE = "active", _("En parcours")
    FOLLOWUP = "followup", _("Suivi dans l'emploi")
    EXITED = "exited", _("Sortie")


class Decision(models.TextChoices):
    ADMITTED = "admitted", _("Agréée")
    REFUSED = "refused", _("Refusée")
    REORIENTED = "reoriented", _("Réorientée")


class ExitReason(models.TextChoices):
    SUSTAINABLE_EMPLOYMENT = "sustainable_employment", _("Emploi durable (validé après 6 mois)")
    QUALIFYING_TRAINING = "qualifying_training", _("Formation qualifiante")
    OTHER_POSITIVE = "other_positive", _("Autre sortie positive (création d'activité…)")
    ABANDONMENT = "abandonment", _("Abandon")
    MOVED = "moved", _("Déménagement")
    DECEASED = "deceased", _("Décès")
    RETIRED = "retired", _("Retraite")
    REORIENTATION = "reorientation", _("Réorientation vers un dispositif plus adapté")
    OTHER_WITHOUT_OUTCOME = "other_without_outcome", _("Autre sortie sans suite")


class EntryRoute(models.TextChoices):
    APPLICATION = "application", _("Candidature et commission d'agrément")
    COLLECTIVE_ACTION = "collective_action", _("Action collective du PLIE")
    IMPORT = "import", _("Reprise de données")


class StepType(models.TextChoices):
    """Step types of the interchange format (steps.csv)."""

    MOBILISATION = "mobilisation", _("Action de mobilisation")
    EMPLOYMENT_MEDIATION = "employment_mediation", _("Médiation à l'emploi")
    SOCIAL_SUPPORT = "social_support", _("Accompagnement social")
    TRAINING_QUALIFYING = "training_qualifying", _("Formation qualifiante")
    TRAINING_CERTIFYING = "training_certifying", _("Formation certifiante")
    TRAINING_NON_QUALIFYING = "training_non_qualifying", _("Formation non qualifiante")
    IAE_ACI = "iae_aci", _("IAE — atelier et chantier d'insertion (ACI)")
    IAE_EI = "iae_ei", _("IAE — entreprise d'insertion (EI)")
    IAE_ETTI = "iae_etti", _("IAE — entreprise de travail temporaire d'insertion (ETTI)")
    IAE_AI = "iae_ai", _("IAE — association intermédiaire (AI)")
    GEIQ = "geiq", _("GEIQ")
    REGIE_QUARTIER = "regie_quartier", _("Régie de quartier")
    SUBSIDISED_CONTRACT = "subsidised_contract", _("Contrat aidé")
    UNSUBSIDISED_EMPLOYMENT = "unsubsidised_employment", _("Emploi en contrat non aidé")
    IMMERSION = "immersion", _("Immersion en entreprise (PMSMP)")
    BUSINESS_CREATION = "business_creation", _("Création d'activité")


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
