"""The positioning of a person on an action, as a table applied by the engine (core/workflow.py):

    (created) ─propose→ proposed ─accept→ accepted ─start→ started ─complete→ completed
                           │  ↑                                  └─leave→ left
                           │  └ wait → waiting_list ─accept / refuse
                           └─refuse→ refused

Proposing is for those who put people on actions (`actions.propose`); every decision after it is the
operator's (`actions.run`, on their own structure's actions only) or the PLIE team's (`actions.manage`, on their
territory's): the policy below reads the action's operator, so that an operator never decides on another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import CREATED, NoPayload, Transition, TransitionRefused, Workflow, capability_policy
from parcours.organisations.capabilities import ACTIONS_MANAGE, ACTIONS_PROPOSE, ACTIONS_RUN
from parcours.organisations.scope import organisation_ids_with, territory_ids_with
from parcours.programmes.registry import definition_of

from .enums import PLACE_HOLDING, LeavingReason, PositioningStatus, RefusalReason
from .models import Positioning, PositioningTransition

S = PositioningStatus
PROPOSING = frozenset({ACTIONS_PROPOSE})
RUNNING = frozenset({ACTIONS_RUN, ACTIONS_MANAGE})


@dataclass(frozen=True)
class Proposed:
    action: Any


@dataclass(frozen=True)
class Refused:
    reason: str


@dataclass(frozen=True)
class Dated:
    on: date


@dataclass(frozen=True)
class Left:
    on: date
    reason: str


def positioning_policy(actor: Any, transition: Transition, obj: Positioning) -> bool:
    """A capability of the transition, held where the action is: the operator's own structure (`actions.run`),
    or the action's territory for the team (`actions.manage`). Proposing asks only the capability: the service
    checks that the person is one the proposer follows or prescribed."""
    if not capability_policy(actor, transition, obj):
        return False
    if transition.allowed == PROPOSING:
        return True
    action = obj.action
    return (action.operator_id in organisation_ids_with(actor, ACTIONS_RUN)
            or action.operator.territory_id in territory_ids_with(actor, ACTIONS_MANAGE))


def places_taken(action_id: int, *, excluding: int | None = None) -> int:
    taken = Positioning.objects.filter(action_id=action_id, status__in=PLACE_HOLDING)
    if excluding is not None:
        taken = taken.exclude(pk=excluding)
    return taken.count()


def _check_propose(p: Positioning, payload: Proposed) -> None:
    if payload.action.end_date < timezone.localdate():
        raise TransitionRefused(_("Cette action est terminée : on n'y positionne plus personne."))


def _check_accept(p: Positioning, payload: NoPayload) -> None:
    if places_taken(p.action_id, excluding=p.pk) >= p.action.places:
        raise TransitionRefused(_("L'action est complète (%(places)s places) : refusez ou mettez sur liste "
                                  "d'attente.") % {"places": p.action.places})


def _check_refuse(p: Positioning, payload: Refused) -> None:
    if payload.reason not in RefusalReason.values:
        raise TransitionRefused(_("Motif du refus : choisissez un motif de la liste."))


def _effect_refuse(p: Positioning, payload: Refused, by: Any) -> None:
    p.refusal_reason = payload.reason


def _check_start(p: Positioning, payload: Dated) -> None:
    pathway = p.pathway
    if pathway.status not in definition_of(pathway).in_pathway_states:
        raise TransitionRefused(_("La personne n'est pas entrée dans le parcours : l'action ne peut pas commencer "
                                  "pour elle (le dossier est à l'état « %(state)s »).")
                                % {"state": pathway.get_status_display()})
    if payload.on > timezone.localdate():
        raise TransitionRefused(_("Date d'entrée : elle ne peut pas être dans le futur."))
    if payload.on < p.action.start_date:
        raise TransitionRefused(_("Date d'entrée : elle précède le début de l'action."))
    if pathway.entry_date and payload.on < pathway.entry_date:
        raise TransitionRefused(_("Date d'entrée : elle précède l'entrée de la personne dans le parcours."))


def _effect_start(p: Positioning, payload: Dated, by: Any) -> None:
    # The step itself is written by the service (services.positioning_decide), in the same transaction.
    p.started_on = payload.on


def _check_end(p: Positioning, payload: Dated | Left) -> None:
    if payload.on > timezone.localdate():
        raise TransitionRefused(_("Date de sortie : elle ne peut pas être dans le futur."))
    if p.started_on and payload.on < p.started_on:
        raise TransitionRefused(_("Date de sortie : elle précède l'entrée dans l'action."))


def _check_leave(p: Positioning, payload: Left) -> None:
    if payload.reason not in LeavingReason.values:
        raise TransitionRefused(_("Motif de l'abandon : choisissez un motif de la liste."))
    _check_end(p, payload)


def _effect_end(p: Positioning, payload: Dated, by: Any) -> None:
    p.ended_on = payload.on


def _effect_leave(p: Positioning, payload: Left, by: Any) -> None:
    p.ended_on, p.leaving_reason = payload.on, payload.reason


POSITIONING_WORKFLOW = Workflow(state_field="status", log_model=PositioningTransition,
                                log_object_field="positioning", states=dict(PositioningStatus.choices),
                                initial=S.PROPOSED, policy=positioning_policy,
                                state_refusal=_l("Action « %(action)s » impossible : le positionnement est à "
                                                 "l'état « %(state)s »."))
for _t in [
    Transition("propose", frozenset({CREATED}), S.PROPOSED, _l("Proposer sur l'action"), PROPOSING,
               _check_propose, manual=False, payload=Proposed),
    Transition("accept", frozenset({S.PROPOSED, S.WAITING_LIST}), S.ACCEPTED, _l("Retenir"), RUNNING, _check_accept),
    Transition("wait", frozenset({S.PROPOSED}), S.WAITING_LIST, _l("Mettre sur liste d'attente"), RUNNING),
    Transition("refuse", frozenset({S.PROPOSED, S.WAITING_LIST}), S.REFUSED, _l("Ne pas retenir"), RUNNING,
               _check_refuse, _effect_refuse, payload=Refused),
    Transition("start", frozenset({S.ACCEPTED}), S.STARTED, _l("Entrée dans l'action"), RUNNING,
               _check_start, _effect_start, payload=Dated),
    Transition("complete", frozenset({S.STARTED}), S.COMPLETED, _l("Action terminée"), RUNNING,
               _check_end, _effect_end, payload=Dated),
    Transition("leave", frozenset({S.STARTED}), S.LEFT, _l("Abandon en cours d'action"), RUNNING,
               _check_leave, _effect_leave, payload=Left),
]:
    POSITIONING_WORKFLOW.add(_t)
