"""The PLIE's rules on its step types, and the follow-up in employment a lasting job opens.

The kernel's step services (pathways.services: step_create, step_update, step_end) ask the pathway's programme
through its definition's hooks: `step_check` (what a step of these types must say), `step_change_check` (the job
that opened a follow-up keeps its type, contract and start, and ends through the follow-up), `step_recorded`
(a lasting job opens the six-month follow-up, in the same transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.pathways.enums import ContractType
from parcours.plie.enums import PathwayStatus, StepType
from parcours.plie.enums import FollowUpStatus
from parcours.pathways.models import Pathway, Step
from parcours.plie.models import EmploymentFollowUp
from parcours.pathways.services import PATHWAY_AUDITED, add_months, pathway_act, pathway_transition


# Steps that are a job with an ordinary employer. IAE steps (ACI, EI, ETTI, AI) and the régie de quartier
# are insertion jobs, stages of the pathway rather than its outcome: their lasting contract does not open
# the follow-up in employment; the job found after them does. GEIQ contracts (professionalisation,
# apprenticeship, or a CDI/CDD with the group) and subsidised contracts of the ordinary market do.
EMPLOYMENT_STEP_TYPES = frozenset({
    StepType.UNSUBSIDISED_EMPLOYMENT, StepType.SUBSIDISED_CONTRACT, StepType.GEIQ,
})
INSERTION_EMPLOYMENT_STEP_TYPES = frozenset({
    StepType.IAE_ACI, StepType.IAE_EI, StepType.IAE_ETTI, StepType.IAE_AI, StepType.REGIE_QUARTIER,
})
# Step types that are a work contract: their contract type is required.
WORK_STEP_TYPES = EMPLOYMENT_STEP_TYPES | INSERTION_EMPLOYMENT_STEP_TYPES
FIXED_TERM_CONTRACTS = frozenset({ContractType.CDD, ContractType.CTT})
LASTING_MONTHS = 6


def lasts_six_months(start: date, end: date | None) -> bool:
    """A fixed-term contract lasts 6 months or more when its last day (inclusive) reaches the day before
    the same date six months later: 1 January → 30 June is six months, 1 January → 29 June is not.
    """
    if end is None:
        return False
    return end.toordinal() + 1 >= add_months(start, LASTING_MONTHS).toordinal()


def step_opens_followup(step: Step) -> bool:
    """A CDI (no end date), or a CDD / temporary work lasting 6 months or more, on an employment step."""
    if step.step_type not in EMPLOYMENT_STEP_TYPES:
        return False
    if step.contract_type == ContractType.CDI:
        return step.end_date is None
    if step.contract_type in FIXED_TERM_CONTRACTS:
        return lasts_six_months(step.start_date, step.end_date)
    return False


def step_check(pathway: Pathway, step: Step, add: Callable[[str, str], None]) -> None:
    """A work step says its contract; a fixed-term one its planned end."""
    if step.step_type in WORK_STEP_TYPES and not step.contract_type:
        add("contract_type", _("Type de contrat : obligatoire pour une étape d'emploi."))
    if step.contract_type in FIXED_TERM_CONTRACTS and step.end_date is None and step.step_type in WORK_STEP_TYPES:
        add("end_date", _("Fin : un CDD ou une mission d'intérim a une date de fin prévue."))


def step_change_check(step: Step, before: dict, *, ending: bool) -> None:
    """The job that opened a follow-up keeps what opened it; while the follow-up is open it ends through it."""
    followup = EmploymentFollowUp.objects.filter(step=step).first()
    if followup is None:
        return
    if ending:
        if followup.status == FollowUpStatus.OPEN:
            raise ValidationError({"end_date": [
                _("Fin : cet emploi fait l'objet du suivi dans l'emploi ; utilisez « L'emploi a pris fin ».")]})
        return
    _followup_step_kept(step, before, followup)


def day_fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _followup_step_kept(step: Step, before: dict, followup: EmploymentFollowUp) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("step_type", _("Type d'étape")), ("contract_type", _("Type de contrat")),
                        ("start_date", _("Début"))):
        if str(getattr(step, name)) != str(before[name]):
            errors[name] = [_("%(field)s : cet emploi a ouvert le suivi dans l'emploi, il ne peut plus changer.")
                            % {"field": label}]
    if followup.status == FollowUpStatus.OPEN and step.end_date and step.end_date < followup.due_on:
        errors.setdefault("end_date", []).append(
            _("Fin : le suivi dans l'emploi court jusqu'au %(date)s ; si l'emploi a pris fin, utilisez "
              "« L'emploi a pris fin » dans le suivi.") % {"date": day_fr(followup.due_on)})
    if errors:
        raise ValidationError(errors)


def followup_open_if_lasting(pathway: Pathway, step: Step, by: Any) -> EmploymentFollowUp | None:
    """A lasting job opens the 6-month follow-up (one at a time), in the caller's transaction."""
    if not step_opens_followup(step) or pathway.status != PathwayStatus.ACTIVE:
        return None
    if EmploymentFollowUp.objects.filter(pathway=pathway, status=FollowUpStatus.OPEN).exists():
        return None
    if EmploymentFollowUp.objects.filter(step=step).exists():
        return None
    months = pathway.programme.parameter("followup_months")
    followup = EmploymentFollowUp(pathway=pathway, step=step, started_on=step.start_date,
                                  due_on=add_months(step.start_date, months))
    followup.full_clean()
    followup.save()
    before = model_snapshot(pathway, PATHWAY_AUDITED)
    moved = pathway_transition(pathway=pathway, name="start_followup", by=by,
                               data={"step": step.pk, "due_on": followup.due_on})
    audit_record(actor=by, action="followup.open", obj=followup, participant_id=pathway.participant_id, before={},
                 after=model_snapshot(followup, ["step_id", "started_on", "due_on", "status"]))
    audit_record(actor=by, action="pathway.start_followup", obj=moved, participant_id=pathway.participant_id,
                 before=before, after=model_snapshot(moved, PATHWAY_AUDITED))
    pathway.status = moved.status
    return followup


# --- the follow-up's end ---------------------------------------------------------------------------------

def followup_validate(*, pathway: Pathway, by) -> Pathway:
    """At the follow-up's due date: exit in sustainable employment (refused before the due date)."""
    return pathway_act(pathway=pathway, name="validate_sustainable_employment", by=by)


def followup_job_ended(*, pathway: Pathway, by, ended_on: date) -> Pathway:
    """The job ended before the due date: the follow-up closes and the pathway goes on."""
    return pathway_act(pathway=pathway, name="job_ended", by=by, data={"ended_on": ended_on})
