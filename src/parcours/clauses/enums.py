"""Codes of the social clauses' files (docs/spec/clauses.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BuyerKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    STATE = "state", _("État")
    SOCIAL_LANDLORD = "social_landlord", _("Bailleur social")
    HOSPITAL = "hospital", _("Établissement hospitalier")
    PUBLIC_COMPANY = "public_company", _("Entreprise publique")
    OTHER = "other", _("Autre acheteur")


class LegalBasis(models.TextChoices):
    EXECUTION_CONDITION = "execution_condition", _("Condition d'exécution (L2112-2)")
    INSERTION_SERVICE = "insertion_service", _("Marché d'insertion (l'insertion est l'objet du marché)")
    RESERVED_SIAE = "reserved_siae", _("Marché réservé aux SIAE (L2113-13)")
    RESERVED_DISABILITY = "reserved_disability", _("Marché réservé au secteur protégé ou adapté (L2113-12)")
    AWARD_CRITERION = "award_criterion", _("Critère d'attribution (R2152-7)")


class Public(models.TextChoices):
    """The eligibility grounds of a beneficiary (a person may hold several)."""

    DELD = "deld", _("Demandeur·se d'emploi de longue durée (12 mois ou plus)")
    RSA = "rsa", _("Allocataire du RSA")
    ASS = "ass", _("Allocataire de l'ASS")
    AAH = "aah", _("Allocataire de l'AAH")
    RQTH = "rqth", _("Travailleur·se handicapé·e (RQTH)")
    YOUTH_LOW_QUALIFICATION = "youth_low_qualification", _("Jeune de moins de 26 ans, niveau V ou infra")
    SENIOR_50 = "senior_50", _("Demandeur·se d'emploi de 50 ans ou plus")
    SIAE_EMPLOYEE = "siae_employee", _("Salarié·e d'une SIAE")
    PLIE_PARTICIPANT = "plie_participant", _("Participant·e du PLIE")
    VALIDATED_BY_FACILITATOR = "validated_by_facilitator", _("Validé·e par le ou la facilitateur·rice")


class Modality(models.TextChoices):
    """How the clause's hours are worked."""

    DIRECT_HIRE = "direct_hire", _("Embauche directe")
    TEMPORARY_WORK_INSERTION = "temporary_work_insertion", _("Intérim d'insertion (ETTI)")
    TEMPORARY_WORK = "temporary_work", _("Intérim classique")
    PROVISION_AI = "provision_ai", _("Mise à disposition par une association intermédiaire (AI)")
    GEIQ = "geiq", _("GEIQ")
    SUBCONTRACTING_SIAE = "subcontracting_siae", _("Sous-traitance à une SIAE")
    CO_CONTRACTING_SIAE = "co_contracting_siae", _("Cotraitance avec une SIAE")
    TRAINING = "training", _("Formation")


class WorkContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    CDDI = "cddi", _("CDDI")
    CTT = "ctt", _("Contrat de travail temporaire")
    APPRENTICESHIP = "apprenticeship", _("Contrat d'apprentissage")
    PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")
    OTHER = "other", _("Autre contrat")
