"""The main menu: one entry per area, shown to those whose current scope holds the capability it needs.

Each entry: (url name, label, capabilities one of which opens it, a capability that hides it). No capability
means everyone signed in.
"""

from django.utils.translation import gettext_lazy as _

from parcours.organisations import capabilities as c

MENU: list[tuple[str, object, set[str], str | None]] = [
    ("web:home", _("Accueil"), set(), None),
    ("pathways:caseload", _("Participants"), {c.PATHWAY_READ}, None),
    ("agenda:agenda", _("Agenda"), {c.PATHWAY_READ}, None),
    ("intake:application_list", _("Candidatures"), {c.APPLICATION_READ}, None),
    ("intake:assignment_queue", _("Affectation"), {c.PATHWAY_ASSIGN}, None),
    # A referent's own assessments; the team follows them from the assignment queue and the commission.
    ("intake:assessments_due", _("Bilans à réaliser"), {c.PATHWAY_WRITE}, c.TERRITORY_FILES),
    ("commissions:commission_list", _("Commissions"), {c.COMMISSION_READ}, None),
    ("reporting:indicators", _("Indicateurs"), {c.REPORTING_READ}, None),
    ("youth:file_list", _("Jeunes"), {c.YOUTH_READ, c.YOUTH_RECEIVE}, None),
    ("youth:reception", _("Premier accueil"), {c.YOUTH_RECEIVE}, None),
    ("youth:workshop_list", _("Ateliers"), {c.YOUTH_READ}, None),
    ("youth:report", _("Rapport de la Mission Locale"), {c.YOUTH_REPORT}, None),
    ("esf:operation_list", _("FSE+"), {c.ESF_READ}, None),
    ("imports:import_list", _("Imports"), {c.IMPORT_RUN}, None),
    ("clauses:contract_list", _("Clauses sociales"), {c.CLAUSES_READ}, None),
    ("actions:catalogue", _("Actions"), {c.ACTIONS_READ}, None),
    ("actions:operator_home", _("Mes actions"), {c.ACTIONS_RUN}, None),
    ("employers:employer_list", _("Employeurs"), {c.EMPLOYERS_READ}, None),
    ("employers:offer_list", _("Offres d'emploi"), {c.EMPLOYERS_READ}, None),
    ("employers:event_list", _("Événements de recrutement"), {c.EMPLOYERS_READ}, None),
    ("places:place_list", _("Lieux d'accueil"), set(), None),
    ("administration:overview", _("Administration"), {c.ADMINISTRATION_MANAGE}, None),
    # A structure's financial officer: its operations' payment claims (the team reaches them from "FSE+").
    ("esf:operation_list", _("Demandes de paiement FSE+"), {c.ESF_CLAIM}, c.ESF_READ),
]


def menu_for(user) -> list[dict]:
    from django.urls import reverse

    held = user.capabilities
    return [
        {"url": reverse(name), "label": label, "name": name}
        for name, label, opening, hiding in MENU
        if (not opening or held & opening) and (hiding is None or hiding not in held)
    ]
