"""Codes of the ESF+ files (docs/spec/esf.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FunderKind(models.TextChoices):
    ESF = "esf", _("FSE+")
    STATE = "state", _("État")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI")
    COMMUNE = "commune", _("Commune")
    OTHER_PUBLIC = "other_public", _("Autre financeur public")
    PRIVATE = "private", _("Financeur privé")
    OWN_FUNDS = "own_funds", _("Autofinancement")


class LabourStatus(models.TextChoices):
    EMPLOYED = "employed", _("salarié·e")
    SELF_EMPLOYED = "self_employed", _("indépendant·e")
    UNEMPLOYED = "unemployed", _("chômeur·se")
    INACTIVE = "inactive", _("inactif·ve")


class ExitSituation(models.TextChoices):
    EMPLOYED = "employed", _("salarié·e")
    SELF_EMPLOYED = "self_employed", _("indépendant·e")
    JOB_SEARCHING = "job_searching", _("en recherche d'emploi")
    EDUCATION_TRAINING = "education_training", _("en études ou en formation")
    INACTIVE = "inactive", _("inactif·ve")


class Isced(models.TextChoices):
    L0 = "0", _("CITE 0")
    L1 = "1", _("CITE 1")
    L2 = "2", _("CITE 2")
    L3 = "3", _("CITE 3")
    L4 = "4", _("CITE 4")
    L5 = "5", _("CITE 5")
    L6 = "6", _("CITE 6")
    L7 = "7", _("CITE 7")
    L8 = "8", _("CITE 8")


class SensitiveAnswer(models.TextChoices):
    """A sensitive question's answer; empty (not a choice) = not collected."""

    YES = "1", _("oui")
    NO = "0", _("non")
    REFUSED = "refused", _("refuse de répondre")


SENSITIVE_FIELDS = ("disability", "third_country_national", "foreign_background", "minority", "homeless", "rural")


class ClaimState(models.TextChoices):
    """A payment claim's states (esf.workflow: the table of its transitions)."""

    DRAFT = "draft", _("brouillon")
    SUBMITTED = "submitted", _("déposée")
    UNDER_CONTROL = "under_control", _("en contrôle")
    CORRECTIONS_REQUESTED = "corrections_requested", _("corrections demandées")
    VALIDATED = "validated", _("validée")
    PAID = "paid", _("payée")


class SampleOutcome(models.TextChoices):
    """A sampled item of the control of service rendered (contrôle de service fait)."""

    PENDING = "pending", _("à contrôler")
    CHECKED = "checked", _("contrôlé")
    REJECTED = "rejected", _("rejeté")


class SampleRejection(models.TextChoices):
    """Why the controller rejects a sampled participant: the participant's time is then left out of the claim."""

    MISSING_DOCUMENT = "missing_document", _("pièce justificative manquante")
    INELIGIBLE = "ineligible", _("participant·e non éligible")
    CONSENT_MISSING = "consent_missing", _("notice d'information ou consentement non recueilli")
    TIME_UNSUPPORTED = "time_unsupported", _("temps non justifié (émargement, compte rendu)")
    OUTSIDE_PERIOD = "outside_period", _("hors de la période de la demande")
    OTHER = "other", _("autre motif")
