"""The main menu: one entry per area, shown to the roles that use it.

Each entry: (url name, label, roles that see it). An empty roles set means everyone signed in.
"""

from django.utils.translation import gettext_lazy as _

from parcours.organisations.enums import Role

TEAM = {Role.COORDINATOR, Role.DIRECTOR, Role.ADMINISTRATOR}

MENU: list[tuple[str, object, set[str]]] = [
    ("web:home", _("Accueil"), set()),
    ("pathways:caseload", _("Participants"), {Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR, Role.ADMINISTRATOR}),
    ("intake:application_list", _("Candidatures"), {Role.PRESCRIBER, Role.REFERENT} | TEAM),
    ("intake:assignment_queue", _("Affectation"), TEAM),
    ("intake:assessments_due", _("Bilans à réaliser"), {Role.REFERENT}),
    ("commissions:commission_list", _("Commissions"), {Role.REFERENT} | TEAM),
    ("reporting:indicators", _("Indicateurs"), TEAM),
    ("imports:import_list", _("Imports"), TEAM),
    ("administration:overview", _("Administration"), {Role.ADMINISTRATOR}),
]


def menu_for(user) -> list[dict]:
    from django.urls import reverse

    roles = set(user.roles)
    return [
        {"url": reverse(name), "label": label, "name": name}
        for name, label, allowed in MENU
        if not allowed or roles & allowed
    ]
