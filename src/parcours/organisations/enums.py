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
    # The Mission Locale's direction (docs/youth.md): its activity report.
    YOUTH_MANAGER = "youth_manager", _("Direction de la Mission Locale")
    # Its advisers (the young people's files) and reception staff (first reception, finding a file).
    YOUTH_ADVISER = "youth_adviser", _("Conseiller·ère Mission Locale")
    YOUTH_RECEPTION = "youth_reception", _("Chargé·e d'accueil Mission Locale")
    FACILITATOR = "facilitator", _("Facilitateur·rice des clauses sociales")
    # The employer-relations officer (chargé·e de relation entreprise, issue 15): employers, offers, putting
    # candidates forward, recruitment events.
    EMPLOYER_RELATIONS = "employer_relations", _("Chargé·e de relation entreprise")
    # An operator's staff who run actions (issue 14): their actions, the people proposed and admitted, attendance;
    # nothing else of a participant's file.
    ACTION_STAFF = "action_staff", _("Chargé·e d'actions (opérateur)")
    # The ESF+ money (issue 13): the PLIE's ESF manager, a structure's financial officer (its timesheets and
    # claims), the controller of the intermediate body (claims under control, sampled checks).
    ESF_MANAGER = "esf_manager", _("Gestionnaire FSE+")
    FINANCIAL_OFFICER = "financial_officer", _("Responsable administratif·ve et financier·ère")
    ESF_CONTROLLER = "esf_controller", _("Contrôleur·se FSE+")


# Roles no administrator grants alone: the first one's request waits for a second administrator's confirmation
# (organisations.services.membership_grant, docs/authorisation.md "Granting roles"). Coordinators and directors
# read every file of their territory, health and justice barriers included; the DPO reads the access log and the
# change history, which name every person followed. The administrator is here too: it grants roles, so a second
# administrator account granted directly would be the "second pair of eyes" one administrator controls.
CONFIRMED_ROLES: frozenset[str] = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.DPO, Role.ADMINISTRATOR})


class GrantRequestState(models.TextChoices):
    PENDING = "pending", _("en attente de confirmation")
    CONFIRMED = "confirmed", _("confirmée")
    REFUSED = "refused", _("refusée")
    CANCELLED = "cancelled", _("annulée")
    EXPIRED = "expired", _("expirée")
