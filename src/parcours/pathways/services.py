"""Writes on pathways. Each service runs in one transaction and leaves a trace.

State changes go through `pathway_transition` (the workflow engine); the services below wrap it
with the audit row, and record the pathway's contract, steps, appointments, barrier reviews and notes.
Refusals are `ValidationError` (French messages keyed by field) or `TransitionRefused`.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core import plausibility
from parcours.core.concurrency import save_with_version
from parcours.core.workflow import transition_apply
from parcours.organisations.capabilities import PATHWAY_WRITE

from .models import Appointment, BarrierReview, Note, Pathway, Step
from parcours.programmes.registry import definition_of

STEP_FIELDS = ["step_type", "start_date", "end_date", "operator_name", "employer_siret", "contract_type",
               "social_clause", "hours", "comment"]
PATHWAY_AUDITED = ["status", "entry_date", "exit_date", "exit_reason", "referent_id", "operator_id",
                   "commission_date", "decision", "last_contact_date"]


# --- dates ----------------------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st of a shorter month becomes its last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def day_fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- common guards --------------------------------------------------------------------------------------------

def pathway_writer_check(by, pathway: Pathway) -> None:
    """Writing on a pathway's file is a capability of the current scope."""
    if not by.can(PATHWAY_WRITE):
        raise ValidationError(_("Votre rôle ne permet pas de modifier ce dossier."))


def pathway_lock(pathway: Pathway) -> Pathway:
    """The pathway row, locked until the end of the transaction (state checks then hold)."""
    return Pathway.objects.select_for_update().get(pk=pathway.pk)


def in_pathway_check(pathway: Pathway, what: str) -> None:
    if pathway.status not in definition_of(pathway).in_pathway_states:
        raise ValidationError(
            _("%(what)s ne s'enregistre que pendant le parcours (en parcours ou en suivi dans l'emploi) ; "
              "le dossier est à l'état « %(state)s ».") % {"what": what, "state": pathway.get_status_display()})


def _audit(by, action: str, obj, participant_id: int, before: dict | None, after: dict | None) -> None:
    audit_record(actor=by, action=action, obj=obj, participant_id=participant_id, before=before, after=after)


# --- transitions ----------------------------------------------------------------------------------------------

def pathway_transition(*, pathway: Pathway, name: str, by, data: Any = None) -> Pathway:
    """Apply a transition of the pathway's programme's workflow as `by` (its policy decides), with its payload
    (an instance of the transition's payload class, or a mapping of its fields)."""
    return transition_apply(definition_of(pathway).workflow, pathway, name, by=by, data=data)


def pathway_act(*, pathway: Pathway, name: str, by, data: Any = None) -> Pathway:
    """A transition asked from the interface: applied, and its effect on the pathway audited, in one transaction."""
    with transaction.atomic():
        before = model_snapshot(Pathway.objects.get(pk=pathway.pk), PATHWAY_AUDITED)
        locked = pathway_transition(pathway=pathway, name=name, by=by, data=data)
        _audit(by, f"pathway.{name}", locked, locked.participant_id, before, model_snapshot(locked, PATHWAY_AUDITED))
    return locked


def pathway_exit(*, pathway: Pathway, by, reason: str, exit_date: date) -> Pathway:
    """Exit for any reason but sustainable employment (that one is the follow-up's validation)."""
    return pathway_act(pathway=pathway, name="exit", by=by, data={"reason": reason, "exit_date": exit_date})


# --- steps ----------------------------------------------------------------------------------------------------

def _check_step(pathway: Pathway, step: Step, *, today: date, siret_before: str = "") -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if step.start_date:
        if pathway.entry_date and step.start_date < pathway.entry_date:
            add("start_date", _("Début : l'étape ne peut pas commencer avant l'entrée dans le parcours (%(date)s).")
                % {"date": day_fr(pathway.entry_date)})
        if step.start_date > today:
            add("start_date", _("Début : l'étape ne peut pas commencer après aujourd'hui."))
        if step.end_date and step.end_date < step.start_date:
            add("end_date", _("Fin : la fin de l'étape ne peut pas précéder son début (%(date)s).")
                % {"date": day_fr(step.start_date)})
    # The key is checked on a SIRET typed now; one kept as the import brought it (14 digits) is left as it is.
    if step.employer_siret and step.employer_siret != siret_before:
        if problem := plausibility.siret_problem(step.employer_siret):
            add("employer_siret", _("SIRET de l'employeur : %(problem)s") % {"problem": problem})
    step_check = definition_of(pathway).step_check
    if step_check is not None:
        step_check(pathway, step, add)   # the programme's own rules on its step types
    if step.hours is not None and step.hours < Decimal("0"):
        add("hours", _("Heures prévues : le nombre d'heures ne peut pas être négatif."))
    if errors:
        raise ValidationError(errors)


def _step_recorded(pathway: Pathway, step: Step, by) -> None:
    """The programme's effect of a step saved, in the caller's transaction (the PLIE: a lasting job opens the
    follow-up in employment)."""
    recorded = definition_of(pathway).step_recorded
    if recorded is not None:
        recorded(pathway, step, by)


def step_create(*, pathway: Pathway, by, values: dict[str, Any]) -> Step:
    """Record a step; the programme's effect of it (the PLIE's follow-up in employment) in the same transaction."""
    pathway_writer_check(by, pathway)
    with transaction.atomic():
        locked = pathway_lock(pathway)
        in_pathway_check(locked, _("Une étape"))
        step = Step(pathway=locked, **{k: v for k, v in values.items() if k in STEP_FIELDS})
        step.employer_siret = plausibility.siret_compact(step.employer_siret)
        _check_step(locked, step, today=timezone.localdate())
        step.full_clean()
        step.save()
        _audit(by, "step.create", step, locked.participant_id, {}, model_snapshot(step, STEP_FIELDS))
        _step_recorded(locked, step, by)
    return step


def step_update(*, step: Step, by, values: dict[str, Any], expected_version: int) -> Step:
    """Edit a step. While it carries an open follow-up, its type, contract and start stay as they are."""
    pathway_writer_check(by, step.pathway)
    with transaction.atomic():
        locked = pathway_lock(step.pathway)
        in_pathway_check(locked, _("Une étape"))
        current = Step.objects.select_for_update().get(pk=step.pk)
        before = model_snapshot(current, STEP_FIELDS)
        for name in STEP_FIELDS:
            if name in values:
                setattr(current, name, values[name])
        current.employer_siret = plausibility.siret_compact(current.employer_siret)
        _check_step(locked, current, today=timezone.localdate(), siret_before=before["employer_siret"])
        change_check = definition_of(locked).step_change_check
        if change_check is not None:
            change_check(current, before, ending=False)   # what the programme hung on the step may forbid it
        current.full_clean()
        save_with_version(current, expected_version, STEP_FIELDS)
        _audit(by, "step.update", current, locked.participant_id, before, model_snapshot(current, STEP_FIELDS))
        _step_recorded(locked, current, by)
    return current


def step_end(*, step: Step, by, end_date: date, expected_version: int) -> Step:
    """Close a step on `end_date` (not in the future, not before its start)."""
    pathway_writer_check(by, step.pathway)
    with transaction.atomic():
        locked = pathway_lock(step.pathway)
        in_pathway_check(locked, _("La fin d'une étape"))
        current = Step.objects.select_for_update().get(pk=step.pk)
        change_check = definition_of(locked).step_change_check
        if change_check is not None:
            change_check(current, model_snapshot(current, STEP_FIELDS), ending=True)
        if end_date > timezone.localdate():
            raise ValidationError({"end_date": [_("Fin : la date ne peut pas être dans le futur.")]})
        if end_date < current.start_date:
            raise ValidationError({"end_date": [_("Fin : la fin de l'étape ne peut pas précéder son début (%(date)s).")
                                                % {"date": day_fr(current.start_date)}]})
        before = model_snapshot(current, ["end_date"])
        current.end_date = end_date
        save_with_version(current, expected_version, ["end_date"])
        _audit(by, "step.end", current, locked.participant_id, before, model_snapshot(current, ["end_date"]))
    return current


# --- appointments, barrier reviews, notes ---------------------------------------------------------------------

APPOINTMENT_FIELDS = ["date", "kind", "mode", "duration_minutes", "place", "summary"]
MAX_APPOINTMENT_MINUTES = 600


def appointment_create(*, pathway: Pathway, by, values: dict[str, Any]) -> Appointment:
    """Record a contact (ESF-eligible referent time); it moves the pathway's last contact date."""
    pathway_writer_check(by, pathway)
    with transaction.atomic():
        locked = pathway_lock(pathway)
        in_pathway_check(locked, _("Un rendez-vous"))
        appointment = Appointment(pathway=locked, referent=by,
                                  **{k: v for k, v in values.items() if k in APPOINTMENT_FIELDS})
        errors: dict[str, list[str]] = {}
        today = timezone.localdate()
        if appointment.date:
            if appointment.date > today:
                errors["date"] = [_("Date : un rendez-vous s'enregistre une fois tenu, pas dans le futur.")]
            elif locked.entry_date and appointment.date < locked.entry_date:
                errors["date"] = [_("Date : le rendez-vous ne peut pas précéder l'entrée dans le parcours (%(date)s).")
                                  % {"date": day_fr(locked.entry_date)}]
        if not appointment.mode:
            errors["mode"] = [_("Modalité : ce champ est obligatoire.")]
        minutes = appointment.duration_minutes
        if minutes is None or minutes <= 0 or minutes > MAX_APPOINTMENT_MINUTES:
            errors["duration_minutes"] = [_("Durée : entre 1 et %(max)s minutes.") % {"max": MAX_APPOINTMENT_MINUTES}]
        if errors:
            raise ValidationError(errors)
        appointment.full_clean()
        appointment.save()
        before = model_snapshot(locked, ["last_contact_date"])
        if locked.last_contact_date is None or appointment.date > locked.last_contact_date:
            locked.last_contact_date = appointment.date
            locked.save(update_fields=["last_contact_date", "updated_at"])
        _audit(by, "appointment.create", appointment, locked.participant_id, {},
               model_snapshot(appointment, APPOINTMENT_FIELDS))
        _audit(by, "pathway.last_contact", locked, locked.participant_id, before,
               model_snapshot(locked, ["last_contact_date"]))
    return appointment


def barrier_review_create(*, pathway: Pathway, by, values: dict[str, Any]) -> BarrierReview:
    """Reassess one barrier of the catalogue on a date (one review per barrier and day)."""
    pathway_writer_check(by, pathway)
    with transaction.atomic():
        locked = pathway_lock(pathway)
        if locked.status not in definition_of(locked).followed_states:
            raise ValidationError(_("Les freins se réévaluent pendant le parcours ; le dossier est à l'état "
                                    "« %(state)s ».") % {"state": locked.get_status_display()})
        reviewed_on: date | None = values.get("reviewed_on")
        if reviewed_on is None:
            raise ValidationError({"reviewed_on": [_("Évalué le : ce champ est obligatoire.")]})
        # A missing barrier or level is blank, refused by full_clean() below.
        review = BarrierReview(pathway=locked, reviewed_by=by, barrier=values.get("barrier", ""),
                               level=values.get("level", ""), reviewed_on=reviewed_on,
                               comment=values.get("comment", ""))
        today = timezone.localdate()
        floor = locked.entry_date or locked.application_date
        if review.reviewed_on and review.reviewed_on > today:
            raise ValidationError({"reviewed_on": [_("Évalué le : la date ne peut pas être dans le futur.")]})
        if review.reviewed_on and floor and review.reviewed_on < floor:
            raise ValidationError({"reviewed_on": [_("Évalué le : la date ne peut pas précéder le %(date)s.")
                                                   % {"date": day_fr(floor)}]})
        if BarrierReview.objects.filter(pathway=locked, barrier=review.barrier,
                                        reviewed_on=review.reviewed_on).exists():
            raise ValidationError({"barrier": [_("Frein : ce frein a déjà été évalué ce jour-là.")]})
        review.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError:
            raise ValidationError({"barrier": [_("Frein : ce frein a déjà été évalué ce jour-là.")]}) from None
        _audit(by, "barrier_review.create", review, locked.participant_id, {},
               model_snapshot(review, ["barrier", "level", "reviewed_on", "comment"]))
    return review


def note_create(*, pathway: Pathway, by, body: str) -> Note:
    """A factual note on the pathway (the person may ask to read it)."""
    pathway_writer_check(by, pathway)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Note : ce champ est obligatoire.")]})
    with transaction.atomic():
        locked = pathway_lock(pathway)
        note = Note(pathway=locked, author=by, body=body)
        note.full_clean()
        note.save()
        _audit(by, "note.create", note, locked.participant_id, {}, {"body": body})
    return note


