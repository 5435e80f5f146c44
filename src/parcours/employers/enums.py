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


class OfferContractType(models.TextChoices):
    """The interchange format's contract types (docs/spec/interchange.md) and the CDD d'insertion of the SIAE."""

    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    CDDI = "cddi", _("CDD d'insertion (structure d'insertion par l'activité économique)")
    CTT = "ctt", _("Contrat de travail temporaire (intérim)")
    CUI = "cui", _("Contrat unique d'insertion (CUI)")
    APPRENTICESHIP = "apprenticeship", _("Contrat d'apprentissage")
    PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")


# The contract a hire on the offer puts on the pathway's step: the interchange list has no CDD d'insertion, which is a
# fixed-term contract.
STEP_CONTRACT_TYPE: dict[str, str] = {OfferContractType.CDDI: "cdd"}


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    FILLED = "filled", _("Pourvue")
    CANCELLED = "cancelled", _("Annulée par l'employeur")


class CandidacyStatus(models.TextChoices):
    """A person put forward for an offer (positionnement), as les-emplois' job applications go."""

    PROPOSED = "proposed", _("Proposé·e par le ou la référent·e")
    PRESENTED = "presented", _("Présenté·e à l'employeur")
    INTERVIEW = "interview", _("Entretien d'embauche")
    PRIOR_ACTION = "prior_action", _("Action préalable à l'embauche")
    HIRED = "hired", _("Embauché·e")
    REFUSED = "refused", _("Non retenu·e")
    WITHDRAWN = "withdrawn", _("Retiré·e")
    EXPIRED = "expired", _("Sans nouvelles depuis 60 jours")


OPEN_CANDIDACY = (CandidacyStatus.PROPOSED, CandidacyStatus.PRESENTED, CandidacyStatus.INTERVIEW,
                  CandidacyStatus.PRIOR_ACTION)
# Without news (no transition) for this many days, a candidacy still waiting on the employer expires.
EXPIRY_DAYS = 60


class CandidacyRefusal(models.TextChoices):
    PROFILE = "profile", _("Le profil ne correspond pas au poste")
    EXPERIENCE = "experience", _("Expérience ou qualification insuffisante")
    FILLED = "filled", _("Le poste a été pourvu par un·e autre candidat·e")
    NO_SHOW = "no_show", _("Absent·e à l'entretien")
    DECLINED = "declined", _("La personne a décliné l'offre")
    CONDITIONS = "conditions", _("Conditions de travail incompatibles (horaires, mobilité, santé)")
    CANCELLED = "cancelled", _("L'employeur a annulé le recrutement")


class PriorActionKind(models.TextChoices):
    """What precedes a hire: an immersion (PMSMP, which is a step of the pathway), a training before hiring."""

    PMSMP = "pmsmp", _("Immersion en entreprise (PMSMP)")
    POE = "poe", _("Préparation opérationnelle à l'emploi (POE)")
    TRAINING = "training", _("Formation préalable à l'embauche")
    TRIAL = "trial", _("Période d'essai de recrutement (MRS, tests)")


# --- recruitment events and sponsorship -----------------------------------------------------------------------------


class EventKind(models.TextChoices):
    """What the employer-relations officer organises with employers (seed 002, fiche 6; seed 003's job datings)."""

    JOB_DATING = "job_dating", _("Job dating")
    FORUM = "forum", _("Forum de l'emploi")
    COMPANY_VISIT = "company_visit", _("Visite d'entreprise")
    MOCK_INTERVIEWS = "mock_interviews", _("Simulations d'entretien")
    TRADE_DISCOVERY = "trade_discovery", _("Découverte des métiers")


class EventOutcome(models.TextChoices):
    """What came of an event for a person who came, with one of its employers or not."""

    HIRED = "hired", _("Embauche")
    INTERVIEW = "interview", _("Entretien d'embauche obtenu")
    IMMERSION = "immersion", _("Immersion (PMSMP) proposée")
    TRAINING = "training", _("Formation ou découverte proposée")
    CONTACT = "contact", _("Contact à relancer")
    NONE = "none", _("Sans suite")


# Outcomes that name the employer they came from.
EVENT_OUTCOMES_WITH_EMPLOYER = (EventOutcome.HIRED, EventOutcome.INTERVIEW, EventOutcome.IMMERSION)


class SponsorshipOutcome(models.TextChoices):
    """How a sponsorship ended (parrainage: a professional from a company accompanies a person a few months)."""

    EMPLOYMENT = "employment", _("Accès à l'emploi")
    TRAINING = "training", _("Entrée en formation")
    PROJECT = "project", _("Projet professionnel confirmé")
    STOPPED_BY_PERSON = "stopped_by_person", _("Arrêt à la demande de la personne")
    STOPPED_BY_SPONSOR = "stopped_by_sponsor", _("Arrêt à la demande du parrain ou de la marraine")
    NO_OUTCOME = "no_outcome", _("Sans suite")
