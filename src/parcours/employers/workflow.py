"""A person put forward for an employer's offer (positionnement), as a table applied by the engine (core/workflow.py):

    (created) ─propose→ proposed ─present→ presented ─interview→ interview ─hire→ hired
                                              │  └──────── prior_action ──────┘ ↗
                                              └──────────────── hire ─────────┘
    every open state ─refuse→ refused · ─withdraw→ withdrawn · (60 days without news) ─expire→ expired

Who does what, and why:
- **propose**: whoever follows the person (`employers.propose`, and the file is one they may open and write);
- **present**, **interview**: the employer-relations officer or the team (`employers.manage` in the offer's
  territory): they speak with the employer;
- **prior_action**, **refuse**, **withdraw**: either of them; an immersion (PMSMP) is a step on the pathway, so only
  one who writes the file records it (services.candidacy_decide);
- **hire**: one who writes the file: the hire is the pathway's step and may open the six-month follow-up in
  employment, which the pathway's own workflow asks of the file's writers;
- **expire**: the daily job (`parcours candidacies-expire`, the scheduler's actor), after 60 days without news of
  a candidacy still waiting on the employer (proposed, presented, interview; an action before hiring is news
  enough).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import (
    CREATED, SCHEDULE_ACTOR, NoPayload, SystemActor, Transition, TransitionRefused, Workflow, capability_policy,
)
from parcours.organisations.capabilities import EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE
from parcours.organisations.scope import territory_ids_with
from parcours.programmes.registry import definition_of

from .access import person_followed_by
from .enums import OPEN_CANDIDACY, CandidacyRefusal, CandidacyStatus, OfferContractType, PriorActionKind
from .models import Candidacy, CandidacyTransition

S = CandidacyStatus
PROPOSING = frozenset({EMPLOYERS_PROPOSE})
OFFICE = frozenset({EMPLOYERS_MANAGE})
FILE = frozenset({EMPLOYERS_PROPOSE})
EITHER = frozenset({EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE})
SCHEDULED: frozenset[str] = frozenset()
FIXED_TERM = (OfferContractType.CDD, OfferContractType.CDDI, OfferContractType.CTT)


@dataclass(frozen=True)
class Proposed:
    comment: str = ""


@dataclass(frozen=True)
class Dated:
    on: date


@dataclass(frozen=True)
class PriorAction:
    kind: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Hire:
    on: date
    contract_end: date | None = None
    contact_id: int | None = None


@dataclass(frozen=True)
class Refusal:
    reason: str


@dataclass(frozen=True)
class Withdrawal:
    reason: str


def follows(actor: Any, candidacy: Candidacy) -> bool:
    """The actor may propose the person and write their file (the referent, the team of the territory). Kept on
    the candidacy for the request: a page asks it of each transition it offers."""
    known: dict[int, bool] = candidacy.__dict__.setdefault("_followed_by", {})
    if actor.pk not in known:
        known[actor.pk] = person_followed_by(actor, candidacy.pathway_id)
    return known[actor.pk]


def candidacy_policy(actor: Any, transition: Transition, obj: Candidacy) -> bool:
    if isinstance(actor, SystemActor):
        return actor is SCHEDULE_ACTOR and transition.allowed == SCHEDULED
    if transition.allowed == SCHEDULED or not capability_policy(actor, transition, obj):
        return False
    in_office = obj.offer.employer.territory_id in territory_ids_with(actor, EMPLOYERS_MANAGE)
    if transition.allowed == OFFICE:
        return in_office
    if transition.allowed in (FILE, PROPOSING):
        return follows(actor, obj)
    return in_office or follows(actor, obj)


def _check_propose(c: Candidacy, payload: Proposed) -> None:
    today = timezone.localdate()
    if not c.offer.is_open_on(today):
        raise TransitionRefused(_("Cette offre n'est pas ouverte aujourd'hui : on n'y positionne plus personne."))
    pathway = c.pathway
    if pathway.status not in definition_of(pathway).in_pathway_states:
        raise TransitionRefused(_("La personne n'est pas entrée dans le parcours : elle ne peut pas être positionnée "
                                  "sur une offre (le dossier est à l'état « %(state)s »).")
                                % {"state": pathway.get_status_display()})


def _news(c: Candidacy) -> None:
    c.last_news_on = timezone.localdate()


def _effect_propose(c: Candidacy, payload: Proposed, by: Any) -> None:
    c.comment = payload.comment.strip()
    _news(c)


def _effect_news(c: Candidacy, payload: Any, by: Any) -> None:
    _news(c)


def _effect_interview(c: Candidacy, payload: Dated, by: Any) -> None:
    c.interview_on = payload.on
    _news(c)


def _check_prior_action(c: Candidacy, payload: PriorAction) -> None:
    if payload.kind not in PriorActionKind.values:
        raise TransitionRefused(_("Action préalable : choisissez une action de la liste."))
    if payload.end is not None and payload.end < payload.start:
        raise TransitionRefused(_("Fin de l'action préalable : elle précède son début."))
    if payload.kind == PriorActionKind.PMSMP and payload.end is None:
        raise TransitionRefused(_("Fin de l'action préalable : une immersion (PMSMP) a une date de fin."))


def _effect_prior_action(c: Candidacy, payload: PriorAction, by: Any) -> None:
    c.prior_action, c.prior_action_start, c.prior_action_end = payload.kind, payload.start, payload.end
    _news(c)


def _check_hire(c: Candidacy, payload: Hire) -> None:
    if payload.on > timezone.localdate():
        raise TransitionRefused(_("Embauché·e le : la date ne peut pas être dans le futur (enregistrez l'embauche le "
                                  "jour où le contrat commence)."))
    if payload.contract_end is not None and payload.contract_end < payload.on:
        raise TransitionRefused(_("Fin du contrat : elle précède l'embauche."))
    contract = c.offer.contract_type
    if contract in FIXED_TERM and payload.contract_end is None:
        raise TransitionRefused(_("Fin du contrat : obligatoire pour un contrat à durée déterminée."))
    if contract == OfferContractType.CDI and payload.contract_end is not None:
        raise TransitionRefused(_("Fin du contrat : un CDI n'a pas de date de fin."))
    if payload.contact_id is not None and not c.offer.employer.contacts.filter(pk=payload.contact_id).exists():
        raise TransitionRefused(_("Contact pendant le suivi : il n'est pas chez cet employeur."))


def _effect_hire(c: Candidacy, payload: Hire, by: Any) -> None:
    # The step itself is written by the service (services.candidacy_decide), in the same transaction.
    c.hired_on, c.contract_end, c.followup_contact_id = payload.on, payload.contract_end, payload.contact_id
    _news(c)


def _check_refuse(c: Candidacy, payload: Refusal) -> None:
    if payload.reason not in CandidacyRefusal.values:
        raise TransitionRefused(_("Motif : choisissez un motif de la liste."))


def _effect_refuse(c: Candidacy, payload: Refusal, by: Any) -> None:
    c.refusal_reason = payload.reason
    _news(c)


def _check_withdraw(c: Candidacy, payload: Withdrawal) -> None:
    if not payload.reason.strip():
        raise TransitionRefused(_("Motif du retrait : obligatoire."))


def _effect_withdraw(c: Candidacy, payload: Withdrawal, by: Any) -> None:
    c.withdrawal_reason = payload.reason.strip()[:300]
    _news(c)


WAITING_ON_EMPLOYER = frozenset({S.PROPOSED, S.PRESENTED, S.INTERVIEW})
OPEN = frozenset(OPEN_CANDIDACY)

CANDIDACY_WORKFLOW = Workflow(state_field="status", log_model=CandidacyTransition, log_object_field="candidacy",
                              states=dict(CandidacyStatus.choices), initial=S.PROPOSED, policy=candidacy_policy,
                              state_refusal=_l("Action « %(action)s » impossible : le positionnement est à l'état "
                                               "« %(state)s »."))
for _t in [
    Transition("propose", frozenset({CREATED}), S.PROPOSED, _l("Proposer sur l'offre"), PROPOSING, _check_propose,
               _effect_propose, manual=False, payload=Proposed),
    Transition("present", frozenset({S.PROPOSED}), S.PRESENTED, _l("Présenter à l'employeur"), OFFICE,
               effect=_effect_news),
    Transition("interview", frozenset({S.PRESENTED}), S.INTERVIEW, _l("Entretien d'embauche"), OFFICE,
               effect=_effect_interview, payload=Dated),
    Transition("prior_action", frozenset({S.PRESENTED, S.INTERVIEW}), S.PRIOR_ACTION,
               _l("Action préalable à l'embauche"), EITHER, _check_prior_action, _effect_prior_action,
               payload=PriorAction),
    Transition("hire", frozenset({S.PRESENTED, S.INTERVIEW, S.PRIOR_ACTION}), S.HIRED, _l("Embauche"), FILE,
               _check_hire, _effect_hire, payload=Hire),
    Transition("refuse", OPEN, S.REFUSED, _l("Non retenu·e"), EITHER, _check_refuse, _effect_refuse,
               payload=Refusal),
    Transition("withdraw", OPEN, S.WITHDRAWN, _l("Retirer la candidature"), EITHER, _check_withdraw,
               _effect_withdraw, payload=Withdrawal),
    Transition("expire", WAITING_ON_EMPLOYER, S.EXPIRED, _l("Sans nouvelles depuis 60 jours"), SCHEDULED,
               effect=_effect_news, manual=False),
]:
    CANDIDACY_WORKFLOW.add(_t)

__all__ = ["CANDIDACY_WORKFLOW", "NoPayload"]
