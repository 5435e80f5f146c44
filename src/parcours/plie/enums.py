"""Enumerations of the PLIE programme (codes stored in the database, French labels): its pathway's states, exit
reasons and step types (its definition gives them to the kernel), the follow-up's states, and their groupings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    VALIDATED = "validated", _("Emploi durable validé")
    JOB_ENDED = "job_ended", _("Emploi terminé avant l'échéance")


class PathwayStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Candidature reçue")
    ASSIGNED = "assigned", _("Affectée à un·e référent·e")
    ASSESSED = "assessed", _("Bilan réalisé, en attente de commission")
    ADMITTED = "admitted", _("Agréée, contrat à signer")
    REFUSED = "refused", _("Refusée")
    REORIENTED = "reoriented", _("Réorientée")
    # Closed before any commission: the person withdrew, did not come, could not be reached, or was sent twice.
    CLOSED_BEFORE_COMMISSION = "closed_early", _("Close avant la commission")
    ACTIVE = "active", _("En parcours")
    FOLLOWUP = "followup", _("Suivi dans l'emploi")
    EXITED = "exited", _("Sortie")


class EarlyClosure(models.TextChoices):
    """Why an application closes before the commission (the transition "close_early")."""

    WITHDRAWN = "withdrawn", _("La personne retire sa candidature")
    NO_SHOW = "no_show", _("La personne ne s'est pas présentée au premier accueil")
    UNREACHABLE = "unreachable", _("La personne reste injoignable")
    DUPLICATE = "duplicate", _("Candidature en double")


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


# States in which the person is still before the commission.
INTAKE_STATES = (PathwayStatus.SUBMITTED, PathwayStatus.ASSIGNED, PathwayStatus.ASSESSED)
# States in which the person is in the PLIE (entered, not exited).
IN_PATHWAY_STATES = (PathwayStatus.ACTIVE, PathwayStatus.FOLLOWUP)
CLOSED_STATES = (PathwayStatus.REFUSED, PathwayStatus.REORIENTED, PathwayStatus.CLOSED_BEFORE_COMMISSION,
                 PathwayStatus.EXITED)
# States in which the referent follows the person (barrier reviews): admitted, then in the pathway.
FOLLOWED_STATES = (PathwayStatus.ADMITTED, *IN_PATHWAY_STATES)

POSITIVE_EXITS = (ExitReason.SUSTAINABLE_EMPLOYMENT, ExitReason.QUALIFYING_TRAINING, ExitReason.OTHER_POSITIVE)
NEUTRALISED_EXITS = (ExitReason.MOVED, ExitReason.DECEASED, ExitReason.RETIRED)
# The exits a referent records by hand (sustainable employment is the follow-up's validation).
EXIT_CHOICES = [(value, label) for value, label in ExitReason.choices if value != ExitReason.SUSTAINABLE_EMPLOYMENT]
