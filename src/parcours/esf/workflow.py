"""A payment claim's workflow, as a table applied by the engine (core/workflow.py):

    (created) ─create→ draft ─submit→ submitted ─take→ under_control ─validate→ validated ─pay→ paid
                                          ↑                │
                                          └──resubmit── corrections_requested ←─request_corrections─┘

The structure prepares and submits (`esf.claim`: the PLIE's ESF manager on the territory's operations, a financial
officer on their own structure's only); the controller takes the claim, asks for corrections with a reason, and
validates once every sampled item is checked (`esf.control`, on the territory's claims); the ESF manager records
the payment (`esf.pay`). Submitting and resubmitting freeze the figures again, leaving out the participants whose
sampled item the controller rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import CREATED, Transition, TransitionRefused, Workflow, capability_policy
from parcours.organisations.capabilities import ESF_CLAIM, ESF_CONTROL, ESF_PAY
from parcours.organisations.scope import territory_ids_with

from . import selectors
from .access import claim_operations_of
from .enums import ClaimState, SampleOutcome
from .models import Claim, ClaimSampleItem, ClaimTransition

S = ClaimState
CLAIMING = frozenset({ESF_CLAIM})
CONTROLLING = frozenset({ESF_CONTROL})
PAYING = frozenset({ESF_PAY})
# Transitions that cannot be undone: the page asks for a confirmation.
IRREVERSIBLE = frozenset({"submit", "resubmit", "validate", "pay"})


@dataclass(frozen=True)
class Reason:
    reason: str


@dataclass(frozen=True)
class Payment:
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class NoData:
    """Nothing carried."""


def claim_policy(actor: Any, transition: Transition, obj: Claim) -> bool:
    """A capability of the transition, held where the claim's operation is: the structure's claims for `esf.claim`
    (esf.access.claim_operations_of), the operation's territory for `esf.control` and `esf.pay`."""
    if not capability_policy(actor, transition, obj):
        return False
    operation = obj.operation
    if transition.allowed == CLAIMING:
        return claim_operations_of(actor).filter(pk=operation.pk).exists()
    capability = ESF_CONTROL if transition.allowed == CONTROLLING else ESF_PAY
    return operation.beneficiary.territory_id in territory_ids_with(actor, capability)


def rejected_participants(claim: Claim) -> set[int]:
    """The participants whose sampled item the controller rejected: their time is left out of the claim."""
    if claim.pk is None:
        return set()
    return set(ClaimSampleItem.objects.filter(claim=claim, outcome=SampleOutcome.REJECTED)
               .values_list("participation__participant_id", flat=True))


def claim_figures_freeze(claim: Claim) -> None:
    """The claim's figures from esf_claim_compute, now (rounded to the cent once, as the command prints them)."""
    excluded = rejected_participants(claim)
    computed = selectors.esf_claim_compute(operation=claim.operation, date_from=claim.date_from,
                                           date_to=claim.date_to, excluded=excluded)
    claim.excluded_participants = sorted(excluded)
    claim.direct_staff_costs = selectors.amount_round(computed.direct_staff_costs)
    claim.flat_rate_costs = selectors.amount_round(computed.flat_rate_costs)
    claim.total_eligible = selectors.amount_round(computed.total_eligible)
    claim.esf_due = selectors.amount_round(computed.esf_due)
    claim.data = selectors.esf_claim_data(computed)
    claim.computed_at = timezone.now()


def _effect_freeze(claim: Claim, payload: Any, by: Any) -> None:
    claim_figures_freeze(claim)


def _check_reason(claim: Claim, payload: Reason) -> None:
    if not payload.reason.strip():
        raise TransitionRefused(_("Motif des corrections demandées : il est obligatoire."))


def _check_validate(claim: Claim, payload: NoData) -> None:
    population = selectors.claim_participations(operation=claim.operation, date_from=claim.date_from,
                                                date_to=claim.date_to)
    if claim.sample_seed is None and population.exists():
        raise TransitionRefused(_("Tirez l'échantillon du contrôle de service fait avant de valider la demande."))
    pending = ClaimSampleItem.objects.filter(claim=claim, outcome=SampleOutcome.PENDING).count()
    if pending:
        raise TransitionRefused(_("%(n)s élément(s) de l'échantillon ne sont pas contrôlés : la demande ne peut pas "
                                  "être validée.") % {"n": pending})
    if rejected_participants(claim) - set(claim.excluded_participants):
        raise TransitionRefused(_("Un élément rejeté compte encore dans les montants : demandez des corrections, la "
                                  "structure redéposera la demande sans lui."))


def _check_pay(claim: Claim, payload: Payment) -> None:
    if payload.paid_on > timezone.localdate():
        raise TransitionRefused(_("Date du paiement : elle ne peut pas être dans le futur."))
    if payload.amount <= 0:
        raise TransitionRefused(_("Montant payé : il doit être positif."))
    if payload.amount > claim.esf_due:
        raise TransitionRefused(_("Montant payé : il dépasse le FSE+ dû de la demande (%(due)s €).")
                                % {"due": f"{claim.esf_due:.2f}"})


def _effect_pay(claim: Claim, payload: Payment, by: Any) -> None:
    claim.paid_on, claim.paid_amount = payload.paid_on, payload.amount


CLAIM_WORKFLOW = Workflow(state_field="state", log_model=ClaimTransition, log_object_field="claim",
                          states=dict(ClaimState.choices), initial=S.DRAFT, policy=claim_policy,
                          state_refusal=_l("Action « %(action)s » impossible : la demande de paiement est à l'état "
                                           "« %(state)s »."))
for _t in [
    Transition("create", frozenset({CREATED}), S.DRAFT, _l("Créer la demande de paiement"), CLAIMING,
               effect=_effect_freeze, manual=False, payload=NoData),
    Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, _l("Déposer la demande"), CLAIMING,
               effect=_effect_freeze, payload=NoData),
    Transition("take", frozenset({S.SUBMITTED}), S.UNDER_CONTROL, _l("Prendre en contrôle"), CONTROLLING,
               payload=NoData),
    Transition("request_corrections", frozenset({S.UNDER_CONTROL}), S.CORRECTIONS_REQUESTED,
               _l("Demander des corrections"), CONTROLLING, _check_reason, payload=Reason),
    Transition("resubmit", frozenset({S.CORRECTIONS_REQUESTED}), S.SUBMITTED, _l("Redéposer la demande corrigée"),
               CLAIMING, effect=_effect_freeze, payload=NoData),
    Transition("validate", frozenset({S.UNDER_CONTROL}), S.VALIDATED, _l("Valider la demande"), CONTROLLING,
               _check_validate, payload=NoData),
    Transition("pay", frozenset({S.VALIDATED}), S.PAID, _l("Enregistrer le paiement"), PAYING,
               _check_pay, _effect_pay, payload=Payment),
]:
    CLAIM_WORKFLOW.add(_t)
