"""Codes of the Mission Locale's records (docs/spec/youth.md): stored as they are in the interchange files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    PERMANENCE = "permanence", _("permanence décentralisée")
    ANTENNA = "antenna", _("antenne")
    REMOTE = "remote", _("à distance")
    PARTNER = "partner", _("chez un partenaire")


class EventKind(models.TextChoices):
    INDIVIDUAL_INTERVIEW = "individual_interview", _("entretien individuel")
    PHONE = "phone", _("téléphone")
    EMAIL_OR_MESSAGE = "email_or_message", _("courriel ou message")
    WORKSHOP = "workshop", _("atelier")
    INFORMATION_SESSION = "information_session", _("information collective")
    OUTREACH = "outreach", _("aller vers")
    THIRD_PARTY_CONTACT = "third_party_contact", _("contact avec un tiers")


class Scheme(models.TextChoices):
    PACEA = "pacea", _("PACEA")
    CEJ = "cej", _("CEJ")
    PPAE = "ppae", _("PPAE")
    CAPSA = "capsa", _("CAPSA")
    PROMO_16_18 = "promo_16_18", _("Promo 16-18")
    EPIDE = "epide", _("EPIDE")
    E2C = "e2c", _("E2C")
    OTHER = "other", _("autre dispositif")


class SchemeExit(models.TextChoices):
    SUSTAINABLE_EMPLOYMENT = "sustainable_employment", _("emploi durable")
    WORK_STUDY = "work_study", _("alternance")
    QUALIFYING_TRAINING = "qualifying_training", _("formation qualifiante")
    BUSINESS_CREATION = "business_creation", _("création d'entreprise")
    SHORT_EMPLOYMENT = "short_employment", _("emploi de moins de six mois")
    OTHER_TRAINING = "other_training", _("autre formation")
    CIVIC_SERVICE = "civic_service", _("service civique")
    JOB_SEEKING = "job_seeking", _("en recherche d'emploi")
    ABANDONMENT = "abandonment", _("abandon")
    MOVED = "moved", _("déménagement")
    OTHER = "other", _("autre")


# A scheme exit is positive in these situations (docs/spec/youth.md).
POSITIVE_EXITS = (SchemeExit.SUSTAINABLE_EMPLOYMENT, SchemeExit.WORK_STUDY, SchemeExit.QUALIFYING_TRAINING,
                  SchemeExit.BUSINESS_CREATION)
# The longest enrolment, in months after the start.
SCHEME_MAX_MONTHS: dict[str, int] = {Scheme.CEJ: 18, Scheme.PACEA: 24}
# Never in both over the same days.
EXCLUSIVE_SCHEMES = (Scheme.PACEA, Scheme.CEJ)


class SituationCategory(models.TextChoices):
    EMPLOYMENT = "employment", _("emploi")
    WORK_STUDY = "work_study", _("alternance")
    TRAINING = "training", _("formation")
    PMSMP = "pmsmp", _("immersion en entreprise (PMSMP)")
    CIVIC_SERVICE = "civic_service", _("service civique")
    SCHOOLING = "schooling", _("scolarité")


class YouthContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    CTT = "ctt", _("intérim")
    SUBSIDISED = "subsidised", _("contrat aidé")
    OTHER = "other", _("autre contrat")


class PmsmpAim(models.TextChoices):
    DISCOVER_TRADE = "discover_trade", _("découvrir un métier")
    CONFIRM_PROJECT = "confirm_project", _("confirmer un projet")
    START_RECRUITMENT = "start_recruitment", _("initier un recrutement")


class Fund(models.TextChoices):
    FAJ = "faj", _("FAJ (fonds d'aide aux jeunes)")
    FDAJ = "fdaj", _("FDAJ")
    FLU = "flu", _("fonds local d'urgence")
    PACEA_ALLOWANCE = "pacea_allowance", _("allocation PACEA")
    CEJ_ALLOWANCE = "cej_allowance", _("allocation CEJ")
    OTHER = "other", _("autre aide")


class AidPurpose(models.TextChoices):
    SUBSISTENCE = "subsistence", _("subsistance")
    MOBILITY = "mobility", _("mobilité")
    HOUSING = "housing", _("logement")
    TRAINING = "training", _("formation")
    HEALTH = "health", _("santé")
    OTHER = "other", _("autre")


class WorkshopTheme(models.TextChoices):
    EMPLOYMENT = "employment", _("emploi")
    ORIENTATION_TRAINING = "orientation_training", _("orientation et formation")
    DAILY_LIFE = "daily_life", _("vie quotidienne")
    HEALTH = "health", _("santé")
    CITIZENSHIP = "citizenship", _("citoyenneté")
    OTHER = "other", _("autre")


class RegistrationStatus(models.TextChoices):
    PRESCRIBED = "prescribed", _("prescrit·e")
    PRESENT = "present", _("présent·e")
    ABSENT = "absent", _("absent·e")
    REFUSED_BY_YOUTH = "refused_by_youth", _("refus du jeune")
    REFUSED_BY_THIRD_PARTY = "refused_by_third_party", _("refus d'un tiers")


# Registrations that hold a place of the session (a refusal frees it).
PLACE_HOLDING_STATUSES = (RegistrationStatus.PRESCRIBED, RegistrationStatus.PRESENT, RegistrationStatus.ABSENT)
# Set on the session's day or after it: what happened. Before it, a registration is prescribed or refused.
ATTENDANCE_STATUSES = (RegistrationStatus.PRESENT, RegistrationStatus.ABSENT)
BEFORE_SESSION_STATUSES = (RegistrationStatus.PRESCRIBED, RegistrationStatus.REFUSED_BY_YOUTH,
                           RegistrationStatus.REFUSED_BY_THIRD_PARTY)


class WorkshopKind(models.TextChoices):
    """A workshop (atelier) or an information session (information collective): the event its presence records."""

    WORKSHOP = "workshop", _("atelier")
    INFORMATION_SESSION = "information_session", _("information collective")


class WorkshopRunner(models.TextChoices):
    INTERNAL = "internal", _("la Mission Locale")
    PARTNER = "partner", _("un partenaire")


# --- the young person's file (first reception, support) -----------------------------------------------------------


class ReceptionReason(models.TextChoices):
    """Why the young person came to the first reception (their first request)."""

    EMPLOYMENT = "employment", _("trouver un emploi")
    WORK_STUDY = "work_study", _("trouver une alternance")
    TRAINING = "training", _("se former, s'orienter")
    CEJ = "cej", _("entrer en contrat d'engagement jeune")
    AID = "aid", _("demander une aide financière")
    HOUSING = "housing", _("se loger")
    HEALTH = "health", _("santé")
    MOBILITY = "mobility", _("mobilité, permis de conduire")
    INFORMATION = "information", _("s'informer")
    OTHER = "other", _("autre demande")


class ReferralSource(models.TextChoices):
    """Who sent the young person to the Mission Locale."""

    SELF = "self", _("venu·e de lui-même ou d'elle-même")
    FAMILY_FRIENDS = "family_friends", _("famille, amis")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    SCHOOL = "school", _("établissement scolaire, CIO")
    SOCIAL_SERVICES = "social_services", _("services sociaux")
    JUSTICE = "justice", _("justice (PJJ, SPIP)")
    OUTREACH = "outreach", _("rencontré·e hors les murs (aller vers)")
    PARTNER = "partner", _("autre partenaire")
    OTHER = "other", _("autre")


class SupportTheme(models.TextChoices):
    """What the support covers besides the project (seed 003: the young people's social and professional life)."""

    EMPLOYMENT = "employment", _("emploi")
    TRAINING = "training", _("formation")
    HEALTH = "health", _("santé")
    HOUSING = "housing", _("logement")
    MOBILITY = "mobility", _("mobilité")
    CITIZENSHIP = "citizenship", _("citoyenneté")
    JUSTICE = "justice", _("justice")
    DISABILITY = "disability", _("handicap")
    CHILDCARE = "childcare", _("garde d'enfants")


# --- PACEA and CEJ as workflows (youth/workflow.py) ----------------------------------------------------------------


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("en cours")
    ENDED = "ended", _("terminé")


class EnrolmentEndReason(models.TextChoices):
    """Why a PACEA or a CEJ ended (the situation at exit is `SchemeExit`)."""

    AUTONOMY = "autonomy", _("autonomie atteinte")
    TERM = "term", _("terme du contrat")
    AGE_LIMIT = "age_limit", _("limite d'âge")
    REQUEST = "request", _("à la demande du jeune")
    BREACH = "breach", _("manquement aux engagements")
    SCHEME_CHANGE = "scheme_change", _("passage dans un autre dispositif")
    MOVED = "moved", _("déménagement")
    OTHER = "other", _("autre motif")


# The schemes Parcours runs as workflows: signed (PACEA) or entered (CEJ) on a page, phased, ended.
WORKFLOW_SCHEMES = (Scheme.PACEA, Scheme.CEJ)
# Ages at entry: 16 to 25, up to 29 for a young person recognised disabled (RQTH).
SCHEME_AGE_MIN, SCHEME_AGE_MAX, SCHEME_AGE_MAX_RQTH = 16, 25, 29
# The PACEA is signed within a month of its diagnostic.
PACEA_DIAGNOSTIC_MONTHS = 1


# --- immersions in companies (PMSMP agreements: youth/immersion_workflow.py) ----------------------------------------


class ImmersionStatus(models.TextChoices):
    DRAFT = "draft", _("en préparation")
    SIGNED = "signed", _("signée")
    DONE = "done", _("réalisée")
    CANCELLED = "cancelled", _("annulée")


class FollowUpMilestone(models.TextChoices):
    """The follow-ups after the immersion's end: the report's windows (docs/spec/youth.md, `employment_within`)."""

    DAYS_15 = "15_days", _("15 jours après")
    MONTH_1 = "1_month", _("1 mois après")
    MONTHS_3 = "3_months", _("3 mois après")


# The day a follow-up is due, in days after the immersion's end: the report's windows (selectors.PMSMP_WITHIN).
FOLLOW_UP_DAYS: dict[str, int] = {FollowUpMilestone.DAYS_15: 15, FollowUpMilestone.MONTH_1: 30,
                                  FollowUpMilestone.MONTHS_3: 90}


class FollowUpOutcome(models.TextChoices):
    """What became of the young person at a follow-up."""

    EMPLOYMENT = "employment", _("en emploi")
    WORK_STUDY = "work_study", _("en alternance")
    TRAINING = "training", _("en formation")
    JOB_SEEKING = "job_seeking", _("en recherche d'emploi")
    OTHER = "other", _("autre situation")


# The outcomes that are a situation of the report's `employment_within` (an employment or a work-study contract).
FOLLOW_UP_SITUATIONS: dict[str, str] = {FollowUpOutcome.EMPLOYMENT: SituationCategory.EMPLOYMENT,
                                        FollowUpOutcome.WORK_STUDY: SituationCategory.WORK_STUDY}
# A PMSMP lasts at most one month; a week of work at most 48 hours (Code du travail, L3121-20).
IMMERSION_MAX_MONTHS = 1
IMMERSION_MAX_WEEKLY_HOURS = 48
