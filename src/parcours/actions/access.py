"""What a user may see of the actions and the positionings.

- the catalogue: the actions of the territories where the current scope holds `actions.read` (referents,
  prescribers, the PLIE's team), plus an operator's own actions for its staff (`actions.run`);
- the positionings an operator decides on: those of its own actions (`actions.run`), or of the territory for the
  team (`actions.manage`). Those are all an operator's staff see of a person: the name on a positioning.
- the people a user may propose: the files they may open, and the candidates their structure prescribed
  (`plie.intake.access.applications_visible_to`), still open.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parcours.organisations.capabilities import ACTIONS_MANAGE, ACTIONS_PROPOSE, ACTIONS_READ, ACTIONS_RUN
from parcours.organisations.models import User
from parcours.organisations.scope import organisation_ids_with, territory_ids_with
from parcours.pathways.models import Pathway
from parcours.plie.intake.access import applications_visible_to
from parcours.programmes.registry import pathway_states_query

from .models import Action, Positioning


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def actions_visible_to(user: User) -> QuerySet[Action]:
    if not _signed_in(user):
        return Action.objects.none()
    rule = (Q(operator__territory_id__in=territory_ids_with(user, ACTIONS_READ))
            | Q(operator_id__in=organisation_ids_with(user, ACTIONS_RUN)))
    return Action.objects.filter(rule)


def actions_managed_by(user: User) -> QuerySet[Action]:
    """The actions the user may edit: the team's territory."""
    if not _signed_in(user):
        return Action.objects.none()
    return Action.objects.filter(operator__territory_id__in=territory_ids_with(user, ACTIONS_MANAGE))


def actions_run_by(user: User) -> QuerySet[Action]:
    """The actions whose positionings and attendance the user decides: their structure's, or the team's
    territory's."""
    if not _signed_in(user):
        return Action.objects.none()
    rule = (Q(operator_id__in=organisation_ids_with(user, ACTIONS_RUN))
            | Q(operator__territory_id__in=territory_ids_with(user, ACTIONS_MANAGE)))
    return Action.objects.filter(rule)


def positionings_run_by(user: User) -> QuerySet[Positioning]:
    return Positioning.objects.filter(action__in=actions_run_by(user))


def pathways_proposable_by(user: User) -> QuerySet[Pathway]:
    """The files the user may put on an action: those they may open, and their structure's candidates, while the
    file is not closed."""
    if not _signed_in(user) or not organisation_ids_with(user, ACTIONS_PROPOSE):
        return Pathway.objects.none()
    return applications_visible_to(user).exclude(pathway_states_query("closed_states"))


def positionings_proposed_by(user: User) -> QuerySet[Positioning]:
    """The positionings of the people the user may propose (what a referent or a prescriber follows)."""
    return Positioning.objects.filter(pathway__in=pathways_proposable_by(user))
