"""Named capabilities: what a person may do, each defined once, asked in the user's current scope.

A capability is granted to a role by a programme (the PLIE grants its team, referents and prescribers theirs in
`plie/capabilities.py`) or by the house itself for what belongs to no programme (the administration of accounts
and structures, the DPO's registers). Code asks `scope_can(user, capability)` (organisations.scope) or, in views,
`capability_required(capability)`: never a role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _l

from .enums import Role


@dataclass(frozen=True)
class Capability:
    code: str
    label: Any


CAPABILITIES: dict[str, Capability] = {}


def capability_define(code: str, label: Any) -> str:
    """Declare a capability once; returns its code (the constant code compares with)."""
    if code in CAPABILITIES:
        raise ValueError(f"capability {code!r} is defined twice")
    CAPABILITIES[code] = Capability(code, label)
    return code


# --- the people followed ----------------------------------------------------------------------------------------
PATHWAY_READ = capability_define("pathway.read", _l("Ouvrir les dossiers des personnes suivies"))
PATHWAY_WRITE = capability_define("pathway.write", _l("Écrire dans les dossiers (étapes, rendez-vous, sorties…)"))
PATHWAY_ASSIGN = capability_define("pathway.assign", _l("Affecter les candidatures aux référent·es"))
TERRITORY_FILES = capability_define("territory.files", _l("Voir les dossiers de tout le territoire du dispositif"))
SENSITIVE_READ = capability_define("sensitive.read", _l("Lire les freins sensibles (santé, justice)"))
ARCHIVE_READ = capability_define("archive.read", _l("Ouvrir les dossiers archivés"))
# --- applications -------------------------------------------------------------------------------------------------
APPLICATION_READ = capability_define("application.read", _l("Consulter les candidatures"))
APPLICATION_SUBMIT = capability_define("application.submit", _l("Envoyer une candidature"))
APPLICATION_MANAGE = capability_define(
    "application.manage", _l("Instruire les candidatures (doublons, ré-entrées, entrées par action collective)"))
# --- commissions --------------------------------------------------------------------------------------------------
COMMISSION_READ = capability_define("commission.read", _l("Consulter les commissions et leur ordre du jour"))
COMMISSION_PLAN = capability_define("commission.plan", _l("Programmer les commissions et éditer leurs documents"))
COMMISSION_DECIDE = capability_define("commission.decide", _l("Décider en commission et la clore"))
# --- the programme's figures and data ------------------------------------------------------------------------------
REPORTING_READ = capability_define("reporting.read", _l("Consulter les indicateurs et les exports"))
IMPORT_RUN = capability_define("import.run", _l("Importer des données"))
# --- the Mission Locale (its grants: youth/capabilities.py) ---------------------------------------------------------
YOUTH_REPORT = capability_define("youth.report", _l("Consulter le rapport d'activité de la Mission Locale"))
YOUTH_READ = capability_define("youth.read", _l("Ouvrir les dossiers des jeunes de la Mission Locale"))
YOUTH_WRITE = capability_define(
    "youth.write", _l("Écrire dans les dossiers des jeunes (événements, situations, thèmes d'accompagnement)"))
YOUTH_RECEIVE = capability_define(
    "youth.receive", _l("Enregistrer un premier accueil et retrouver le dossier d'un jeune"))
# --- ESF+ (parcours.esf) -----------------------------------------------------------------------------------------
ESF_READ = capability_define(
    "esf.read", _l("Consulter les opérations FSE+, leur plan de financement, la complétude et la demande de paiement"))
ESF_MANAGE = capability_define("esf.manage", _l("Créer et modifier les opérations FSE+ et leurs avenants"))
ESF_QUESTIONNAIRE = capability_define(
    "esf.questionnaire", _l("Renseigner les questionnaires FSE+ des personnes suivies"))
# The claim's workflow (esf.workflow): the structure prepares and submits, the controller controls, the PLIE pays.
ESF_CLAIM = capability_define(
    "esf.claim", _l("Préparer et déposer les demandes de paiement FSE+ des opérations de sa structure"))
ESF_CONTROL = capability_define(
    "esf.control", _l("Contrôler les demandes de paiement FSE+ (échantillon, corrections, validation)"))
ESF_PAY = capability_define("esf.pay", _l("Enregistrer le paiement des demandes de paiement FSE+ validées"))
# --- social clauses (parcours.clauses) -----------------------------------------------------------------------------
CLAUSES_READ = capability_define(
    "clauses.read", _l("Consulter les marchés à clause sociale, leurs bénéficiaires et leurs heures"))
CLAUSES_MANAGE = capability_define("clauses.manage", _l("Saisir les acheteurs, les marchés, les bénéficiaires et les relevés d'heures des clauses sociales"))
# --- operators' actions (parcours.actions; grants: actions/capabilities.py) ------------------------------------
ACTIONS_READ = capability_define("actions.read", _l("Consulter le catalogue des actions des opérateurs"))
ACTIONS_PROPOSE = capability_define("actions.propose", _l("Positionner une personne suivie ou candidate sur une action"))
ACTIONS_MANAGE = capability_define("actions.manage", _l("Créer et modifier les actions du catalogue et leurs séances"))
ACTIONS_RUN = capability_define(
    "actions.run", _l("Décider des positionnements et saisir les présences sur les actions de sa structure"))
# --- employers (parcours.employers; grants: employers/capabilities.py) ------------------------------------------
EMPLOYERS_READ = capability_define(
    "employers.read", _l("Consulter les employeurs du territoire, leurs contacts et l'historique des échanges"))
EMPLOYERS_MANAGE = capability_define(
    "employers.manage", _l("Enregistrer et modifier les employeurs, leurs contacts et les échanges avec eux"))
EMPLOYERS_PROPOSE = capability_define(
    "employers.propose", _l("Positionner une personne suivie sur une offre d'emploi et enregistrer son embauche"))
# --- the person's rights ------------------------------------------------------------------------------------------
RIGHTS_MANAGE = capability_define("rights.manage", _l("Traiter les demandes d'accès et de rectification"))
RIGHTS_ERASE = capability_define("rights.erase", _l("Décider d'un effacement"))
# --- the house (no programme) -------------------------------------------------------------------------------------
ADMINISTRATION_MANAGE = capability_define(
    "administration.manage", _l("Administrer les comptes, les structures et les règles"))
AUDIT_READ = capability_define("audit.read", _l("Consulter le journal des accès et le registre (DPO)"))
# --- the territory's places (helpdesks, permanences): read by everyone working there, kept by these -------------
PLACES_MANAGE = capability_define(
    "places.manage", _l("Tenir à jour les lieux d'accueil et les permanences du territoire"))


# role -> capabilities, from every grant (the house's below, the programmes' at their app's ready()).
_GRANTS: dict[str, set[str]] = {}


def capabilities_grant(role: str, capabilities: Iterable[str]) -> None:
    """Give `role` these capabilities (a programme's mapping, or the house's own)."""
    unknown = set(capabilities) - set(CAPABILITIES)
    if role not in Role.values or unknown:
        raise ValueError(f"grant to {role!r} of undefined capabilities {sorted(unknown)}")
    _GRANTS.setdefault(role, set()).update(capabilities)


def capabilities_revoke(role: str, capabilities: Iterable[str]) -> None:
    """Undo a grant (a test's programme, when it unregisters)."""
    _GRANTS.get(role, set()).difference_update(capabilities)


def capabilities_of(role: str) -> frozenset[str]:
    return frozenset(_GRANTS.get(role, ()))


capabilities_grant(Role.ADMINISTRATOR, {ADMINISTRATION_MANAGE, PLACES_MANAGE})
capabilities_grant(Role.DPO, {AUDIT_READ})
