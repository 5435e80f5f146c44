"""The PLIE pathway's state machine, as a table. Every state change goes through the engine
(`parcours.core.workflow`): the services, the demo, the test factories and the import.

    (created) ─submit→ submitted ─assign→ assigned ─complete_assessment→ assessed ─admit→ admitted ─sign_contract→ active
    (created) ─enter_collective_action→ active    ↑ reopen_assessment ┘   │ refuse → refused          │    ↑ job_ended
                                                                          │ reorient → reoriented     │ start_followup
                                                                          └ postpone (stays assessed) ↓    │
                                                                                  followup ─validate_sustainable_employment→ exited
                                                                         active/followup ─exit→ exited

Each transition carries a typed payload (a frozen dataclass): what it needs, and what its log row keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import CREATED, NoPayload, Transition, TransitionRefused, Workflow
from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

from parcours.pathways.enums import Decision
from parcours.plie.enums import EarlyClosure, ExitReason, PathwayStatus
from parcours.pathways.models import Pathway, PathwayTransition

S = PathwayStatus
# Whom each transition is for: the capability its actor must hold in their current scope (plie/capabilities.py).
SUBMITTING = frozenset({c.APPLICATION_SUBMIT})
ENTERING = frozenset({c.APPLICATION_MANAGE})
ASSIGNING = frozenset({c.PATHWAY_ASSIGN})
DECIDING = frozenset({c.COMMISSION_DECIDE})
FIELD = frozenset({c.PATHWAY_WRITE})


# --- payloads ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Submitted:
    prescriber_organisation: Any
    eligible: bool


@dataclass(frozen=True)
class EnteredCollectiveAction:
    action_name: str
    selected_on: date
    referent: Any
    operator: Any


@dataclass(frozen=True)
class Assignment:
    referent: Any
    operator: Any
    on: date | None = None


@dataclass(frozen=True)
class AssessmentCompleted:
    on: date | None = None


@dataclass(frozen=True)
class CommissionDecided:
    commission_date: date
    motive: str = ""
    reoriented_to: str = ""


@dataclass(frozen=True)
class FollowupStarted:
    step: Any
    due_on: date


@dataclass(frozen=True)
class JobEnded:
    ended_on: date


@dataclass(frozen=True)
class ClosedEarly:
    reason: str
    on: date


@dataclass(frozen=True)
class Exited:
    reason: str
    exit_date: date


def _date(value: Any) -> date:
    if not isinstance(value, date):
        raise TransitionRefused(_("Date manquante."))
    if value > timezone.localdate():
        raise TransitionRefused(_("La date ne peut pas être dans le futur."))
    return value


# --- assign -----------------------------------------------------------------------------------
def _check_assign(p: Pathway, payload: Assignment) -> None:
    referent, operator = payload.referent, payload.operator
    if referent is None or operator is None:
        raise TransitionRefused(_("Choisissez un·e référent·e."))
    if not referent.is_active or not referent.memberships.filter(
        organisation=operator, role=Role.REFERENT, is_active=True
    ).exists():
        raise TransitionRefused(_("Cette personne n'est pas référent·e de parcours de cette structure."))


def _effect_assign(p: Pathway, payload: Assignment, by: Any) -> None:
    p.referent, p.operator = payload.referent, payload.operator
    p.referent_ref = ""
    p.assigned_at = payload.on or timezone.localdate()


# --- assessment -------------------------------------------------------------------------------
def _check_assessment_complete(p: Pathway, payload: AssessmentCompleted) -> None:
    if not p.reception_interviews.exists():
        raise TransitionRefused(_("Enregistrez au moins un entretien de premier accueil avant de clore le bilan."))
    assessment = getattr(p, "assessment", None)
    if assessment is None or not assessment.strengths.strip() or not assessment.recommendations.strip():
        raise TransitionRefused(_("Le bilan doit comporter les points d'appui et les préconisations."))
    if not p.barrier_reviews.exists():
        raise TransitionRefused(_("Le bilan doit évaluer les freins à l'emploi (au moins un)."))


def _effect_assessment_complete(p: Pathway, payload: AssessmentCompleted, by: Any) -> None:
    assessment = p.assessment
    assessment.completed_on = payload.on or timezone.localdate()
    assessment.save(update_fields=["completed_on", "updated_at"])


def _effect_assessment_reopen(p: Pathway, payload: NoPayload, by: Any) -> None:
    p.assessment.completed_on = None
    p.assessment.save(update_fields=["completed_on", "updated_at"])


# --- commission -------------------------------------------------------------------------------
def _commission_effect(decision: str):
    def effect(p: Pathway, payload: CommissionDecided, by: Any) -> None:
        on = payload.commission_date
        if not isinstance(on, date):
            raise TransitionRefused(_("Date de commission manquante."))
        if p.application_date and on < p.application_date:
            raise TransitionRefused(_("La commission ne peut pas précéder la candidature."))
        p.commission_date = on
        if decision:
            p.decision = decision
    return effect


# --- contract ---------------------------------------------------------------------------------
def _check_sign_contract(p: Pathway, payload: NoPayload) -> None:
    contract = getattr(p, "contract", None)
    if contract is None or not contract.fully_signed:
        raise TransitionRefused(_("Le contrat d'engagement doit être signé par les trois parties."))
    if contract.signature_date > timezone.localdate():
        raise TransitionRefused(_("Une date de signature est dans le futur."))
    if p.commission_date and contract.signature_date < p.commission_date:
        raise TransitionRefused(_("Le contrat ne peut pas être signé avant la commission d'agrément."))
    if Pathway.objects.filter(participant_id=p.participant_id, programme_id=p.programme_id, entry_date__isnull=False,
                              exit_date__isnull=True).exclude(pk=p.pk).exists():
        raise TransitionRefused(_("Cette personne a déjà un parcours en cours."))


def _effect_sign_contract(p: Pathway, payload: NoPayload, by: Any) -> None:
    p.entry_date = p.contract.signature_date


# --- follow-up and exit -----------------------------------------------------------------------
def _open_followup(p: Pathway):
    followup = p.followups.filter(status="open").first()
    if followup is None:
        raise TransitionRefused(_("Aucun suivi dans l'emploi en cours."))
    return followup


def _check_validate(p: Pathway, payload: NoPayload) -> None:
    followup = _open_followup(p)
    if followup.due_on > timezone.localdate():
        raise TransitionRefused(
            _("L'emploi durable ne peut être validé qu'à l'échéance du suivi, le %(date)s.")
            % {"date": followup.due_on.strftime("%d/%m/%Y")})


def _effect_validate(p: Pathway, payload: NoPayload, by: Any) -> None:
    followup = _open_followup(p)
    followup.status, followup.closed_on, followup.closed_by = "validated", timezone.localdate(), by
    followup.save()
    p.exit_date, p.exit_reason = followup.due_on, ExitReason.SUSTAINABLE_EMPLOYMENT


def _check_job_ended(p: Pathway, payload: JobEnded) -> None:
    ended_on = _date(payload.ended_on)
    if ended_on < _open_followup(p).started_on:
        raise TransitionRefused(_("L'emploi ne peut pas finir avant d'avoir commencé."))


def _effect_job_ended(p: Pathway, payload: JobEnded, by: Any) -> None:
    followup = _open_followup(p)
    followup.status, followup.closed_on, followup.closed_by = "job_ended", payload.ended_on, by
    followup.save()
    step = followup.step
    if step.end_date is None or step.end_date > payload.ended_on:
        # Bump the version so that a step form opened before this is refused as stale.
        step.end_date, step.version = payload.ended_on, step.version + 1
        step.save(update_fields=["end_date", "version", "updated_at"])


def _check_exit(p: Pathway, payload: Exited) -> None:
    reason = payload.reason
    if reason not in ExitReason.values:
        raise TransitionRefused(_("Motif de sortie inconnu."))
    if reason == ExitReason.SUSTAINABLE_EMPLOYMENT:
        raise TransitionRefused(_("La sortie en emploi durable se valide à l'échéance du suivi dans l'emploi."))
    exit_date = _date(payload.exit_date)
    entry = p.entry_date
    # Without an entry the save is refused anyway (constraint pathway_exit_needs_entry).
    if entry is not None and exit_date < entry:
        raise TransitionRefused(_("La sortie ne peut pas précéder l'entrée (%(date)s).")
                                % {"date": entry.strftime("%d/%m/%Y")})
    if p.steps.filter(start_date__gt=exit_date).exists() or p.appointments.filter(date__gt=exit_date).exists():
        raise TransitionRefused(_("Des étapes ou rendez-vous sont postérieurs à cette date de sortie."))


def _check_close_early(p: Pathway, payload: ClosedEarly) -> None:
    if payload.reason not in EarlyClosure.values:
        raise TransitionRefused(_("Choisissez le motif de la clôture."))
    on = _date(payload.on)
    if p.application_date and on < p.application_date:
        raise TransitionRefused(_("La clôture ne peut pas précéder la candidature (%(date)s).")
                                % {"date": p.application_date.strftime("%d/%m/%Y")})


def _effect_exit(p: Pathway, payload: Exited, by: Any) -> None:
    p.exit_date, p.exit_reason = payload.exit_date, payload.reason
    p.followups.filter(status="open").update(status="job_ended", closed_on=payload.exit_date)


PATHWAY_WORKFLOW = Workflow(state_field="status", log_model=PathwayTransition, log_object_field="pathway",
                            states=dict(PathwayStatus.choices), initial=PathwayStatus.SUBMITTED)
for _t in [
    # Creations: an application reaches the PLIE; a person selected for a PLIE collective action enters directly.
    Transition("submit", frozenset({CREATED}), S.SUBMITTED, _l("Candidature reçue"), SUBMITTING,
               manual=False, payload=Submitted),
    Transition("enter_collective_action", frozenset({CREATED}), S.ACTIVE, _l("Entrée par une action collective"),
               ENTERING, manual=False, payload=EnteredCollectiveAction),
    Transition("assign", frozenset({S.SUBMITTED, S.ASSIGNED}), S.ASSIGNED, _l("Affecter à un·e référent·e"), ASSIGNING,
               _check_assign, _effect_assign, payload=Assignment),
    Transition("complete_assessment", frozenset({S.ASSIGNED}), S.ASSESSED, _l("Clore le bilan et présenter en commission"),
               FIELD, _check_assessment_complete, _effect_assessment_complete, payload=AssessmentCompleted),
    Transition("reopen_assessment", frozenset({S.ASSESSED}), S.ASSIGNED, _l("Rouvrir le bilan"), FIELD,
               None, _effect_assessment_reopen),
    Transition("admit", frozenset({S.ASSESSED}), S.ADMITTED, _l("Agréer"), DECIDING,
               None, _commission_effect(Decision.ADMITTED), manual=False, payload=CommissionDecided),
    Transition("refuse", frozenset({S.ASSESSED}), S.REFUSED, _l("Refuser"), DECIDING,
               None, _commission_effect(Decision.REFUSED), manual=False, payload=CommissionDecided),
    Transition("reorient", frozenset({S.ASSESSED}), S.REORIENTED, _l("Réorienter"), DECIDING,
               None, _commission_effect(Decision.REORIENTED), manual=False, payload=CommissionDecided),
    Transition("postpone", frozenset({S.ASSESSED}), S.ASSESSED, _l("Ajourner"), DECIDING,
               None, _commission_effect(""), manual=False, payload=CommissionDecided),
    # A way out before the commission: withdrawal, no-show, unreachable, duplicate (the log keeps reason and date).
    Transition("close_early", frozenset({S.SUBMITTED, S.ASSIGNED, S.ASSESSED}), S.CLOSED_BEFORE_COMMISSION,
               _l("Clore la candidature sans commission"), ASSIGNING, _check_close_early, payload=ClosedEarly),
    Transition("sign_contract", frozenset({S.ADMITTED}), S.ACTIVE, _l("Enregistrer la signature du contrat (entrée)"),
               FIELD, _check_sign_contract, _effect_sign_contract),
    Transition("start_followup", frozenset({S.ACTIVE}), S.FOLLOWUP, _l("Ouvrir le suivi dans l'emploi"), FIELD,
               manual=False, payload=FollowupStarted),
    Transition("validate_sustainable_employment", frozenset({S.FOLLOWUP}), S.EXITED,
               _l("Valider la sortie en emploi durable"), FIELD, _check_validate, _effect_validate),
    Transition("job_ended", frozenset({S.FOLLOWUP}), S.ACTIVE, _l("L'emploi a pris fin : le parcours continue"),
               FIELD, _check_job_ended, _effect_job_ended, payload=JobEnded),
    Transition("exit", frozenset({S.ACTIVE, S.FOLLOWUP}), S.EXITED, _l("Enregistrer une sortie"), FIELD,
               _check_exit, _effect_exit, payload=Exited),
]:
    PATHWAY_WORKFLOW.add(_t)
