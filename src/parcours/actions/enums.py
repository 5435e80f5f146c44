"""Codes of the actions, their sessions and the positionings (French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    """The twenty "fiches actions" of the PLIE's annual qualitative report (seed 002): each action is one of them,
    and the report's headings are these, in this order."""

    WELCOME_OUTREACH = "f01_welcome_outreach", _("Fiche 1 — Accueillir et « aller vers »")
    BARRIERS = "f02_barriers", _("Fiche 2 — Lever les freins à l'emploi")
    TRAINING = "f03_training", _("Fiche 3 — Former, préparer, orienter")
    EMPLOYMENT_STEPS = "f04_employment_steps", _("Fiche 4 — Proposer des étapes emploi")
    REFERENT_TRAINING = "f05_referent_training", _("Fiche 5 — Former les référents PLIE")
    EMPLOYERS = "f06_employers", _("Fiche 6 — Soutenir les entreprises et accompagner les recrutements")
    SOCIAL_CLAUSE = "f07_social_clause", _("Fiche 7 — Utiliser la clause sociale d'insertion")
    IAE = "f08_iae", _("Fiche 8 — Agir en partenariat avec le secteur de l'IAE")
    RSA = "f09_rsa", _("Fiche 9 — Accompagner les bénéficiaires du RSA")
    EQUALITY = "f10_equality", _("Fiche 10 — Lutter contre les discriminations et promouvoir l'égalité femmes-hommes")
    SENIORS = "f11_seniors", _("Fiche 11 — Accompagner les seniors")
    REFUGEES = "f12_refugees", _("Fiche 12 — Accompagner les publics réfugiés et primo-arrivants")
    DISABILITY = "f13_disability", _("Fiche 13 — Accompagner les personnes en situation de handicap")
    CHILDCARE = "f14_childcare", _("Fiche 14 — Favoriser l'accès à la garde d'enfants")
    QPV = "f15_qpv", _("Fiche 15 — Agir au sein des quartiers prioritaires de la politique de la ville")
    PERSONAL_SERVICES = "f16_personal_services", _("Fiche 16 — Orienter vers le secteur des services à la personne")
    DIGITAL = "f17_digital", _("Fiche 17 — Former au numérique et orienter vers la filière numérique")
    BUSINESS_CREATION = "f18_business_creation", _("Fiche 18 — Soutenir la création d'activité")
    PIC = "f19_pic", _("Fiche 19 — Les PLIE, lauréats du Plan d'investissement dans les compétences")
    INTERMEDIATE_BODY = "f20_intermediate_body", _("Fiche 20 — La gestion du FSE en organisme intermédiaire (OI)")


class PositioningStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposé·e")
    ACCEPTED = "accepted", _("retenu·e")
    REFUSED = "refused", _("non retenu·e")
    WAITING_LIST = "waiting_list", _("sur liste d'attente")
    STARTED = "started", _("en cours")
    COMPLETED = "completed", _("action terminée")
    LEFT = "left", _("abandon en cours d'action")


# The positionings that hold a place on the action (a waiting list holds none).
PLACE_HOLDING = (PositioningStatus.ACCEPTED, PositioningStatus.STARTED, PositioningStatus.COMPLETED,
                 PositioningStatus.LEFT)
# A person may be proposed again to the same action only once their earlier positioning ended in a refusal.
OPEN_POSITIONING = (PositioningStatus.PROPOSED, PositioningStatus.ACCEPTED, PositioningStatus.WAITING_LIST,
                    PositioningStatus.STARTED, PositioningStatus.COMPLETED, PositioningStatus.LEFT)


class RefusalReason(models.TextChoices):
    FULL = "full", _("Action complète")
    PREREQUISITES = "prerequisites", _("Prérequis non remplis")
    PUBLIC = "public", _("Hors du public visé")
    UNAVAILABLE = "unavailable", _("Personne indisponible aux dates de l'action")
    DECLINED = "declined", _("La personne a décliné")
    NO_SHOW = "no_show", _("Absence à l'entretien ou à l'information collective")
    OTHER = "other", _("Autre motif")


class LeavingReason(models.TextChoices):
    EMPLOYMENT = "employment", _("Reprise d'emploi")
    TRAINING = "training", _("Entrée en formation")
    HEALTH = "health", _("Santé")
    MOTIVATION = "motivation", _("Démobilisation")
    OTHER = "other", _("Autre motif")


class Attendance(models.TextChoices):
    PRESENT = "present", _("présent·e")
    ABSENT = "absent", _("absent·e")
    EXCUSED = "excused", _("absence excusée")
