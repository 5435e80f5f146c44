"""Writes of the actions: the catalogue (the team), sessions, positionings through their workflow, attendance.

Each write checks who may do it, validates, and writes its audit row in the same transaction. A positioning that
starts puts the action's step on the person's pathway (its type the action's, its provider the action's operator)
and one that ends closes it: the operator's staff write these without holding `pathway.write`, the step being
the action's own record on the file.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.workflow import TransitionRefused, transition_apply, transition_create
from parcours.organisations.capabilities import ACTIONS_MANAGE, ACTIONS_PROPOSE
from parcours.organisations.scope import territory_ids_with
from parcours.pathways.models import Pathway, Step
from parcours.programmes.registry import definition_of

from .access import actions_run_by, actions_visible_to, pathways_proposable_by
from .enums import OPEN_POSITIONING, Attendance, PositioningStatus
from .models import Action, ActionSession, Positioning, SessionAttendance
from .workflow import POSITIONING_WORKFLOW

ACTION_FIELDS = ["operator_id", "kind", "title", "public", "places", "start_date", "end_date", "helpdesk_id",
                 "address", "in_qpv", "cost", "funders", "step_type", "plie_collective"]
POSITIONING_AUDITED = ["status", "refusal_reason", "leaving_reason", "started_on", "ended_on", "step_id"]


def _team_check(by, action: Action) -> None:
    if action.operator.territory_id not in territory_ids_with(by, ACTIONS_MANAGE):
        raise ValidationError(_("Seule l'équipe d'animation du territoire de l'opérateur gère ses actions."))


def action_save(*, by, values: dict[str, Any], action: Action | None = None) -> Action:
    """Create an action, or edit one; `values` holds ACTION_FIELDS (the ids of operator and helpdesk)."""
    creating = action is None
    with transaction.atomic():
        if action is None:
            action = Action(created_by=by)
            before: dict[str, Any] = {}
        else:
            action = Action.objects.select_for_update().get(pk=action.pk)
            before = model_snapshot(action, ACTION_FIELDS)
        for name in ACTION_FIELDS:
            if name in values:
                setattr(action, name, values[name])
        if action.operator_id is None:
            raise ValidationError({"operator": _("Opérateur : obligatoire.")})
        _team_check(by, action)
        if not creating and action.places < (taken := _places_taken(action)):
            raise ValidationError({"places": _("Places : %(taken)s personnes sont déjà retenues sur l'action.")
                                   % {"taken": taken}})
        action.full_clean()
        action.save()
        audit_record(actor=by, action="action_create" if creating else "action_update", obj=action,
                     participant_id=None, before=before, after=model_snapshot(action, ACTION_FIELDS))
    return action


def _places_taken(action: Action) -> int:
    from .workflow import places_taken

    return places_taken(action.pk)


def action_session_add(*, action: Action, by, day: date, start_time: time, end_time: time,
                       place: str = "") -> ActionSession:
    errors: dict[str, list[str]] = {}
    if day and not (action.start_date <= day <= action.end_date):
        errors.setdefault("date", []).append(_("Date : la séance doit tomber entre le début et la fin de l'action "
                                               "(%(start)s – %(end)s).") % {"start": f"{action.start_date:%d/%m/%Y}",
                                                                            "end": f"{action.end_date:%d/%m/%Y}"})
    if start_time and end_time and end_time <= start_time:
        errors.setdefault("end_time", []).append(_("Heure de fin : elle doit suivre l'heure de début."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _team_check(by, action)
        session = ActionSession(action=action, date=day, start_time=start_time, end_time=end_time, place=place)
        session.full_clean()
        session.save()
        audit_record(actor=by, action="action_session_add", obj=session, participant_id=None,
                     after=model_snapshot(session, ["action_id", "date", "place"])
                     | {"start_time": f"{start_time:%H:%M}", "end_time": f"{end_time:%H:%M}"})
    return session


def positioning_propose(*, action: Action, pathway: Pathway, by, comment: str = "") -> Positioning:
    """Propose a person (their pathway) on an action: a referent for the people they follow, a prescriber for
    their structure's candidates, the team for its territory's."""
    if not by.can(ACTIONS_PROPOSE):
        raise TransitionRefused(_("Votre rôle ne permet pas de positionner une personne sur une action."))
    if not actions_visible_to(by).filter(pk=action.pk).exists():
        raise TransitionRefused(_("Cette action n'est pas dans votre catalogue."))
    if not pathways_proposable_by(by).filter(pk=pathway.pk).exists():
        raise ValidationError({"pathway": _("Personne : vous ne pouvez positionner que les personnes que vous "
                                            "suivez ou que votre structure a prescrites.")})
    if pathway.territory_id != action.operator.territory_id:
        raise ValidationError({"pathway": _("Personne : elle n'est pas suivie sur le territoire de l'action.")})
    with transaction.atomic():
        # The action's row, locked: two proposals of the same person at once cannot both pass the check below.
        action = Action.objects.select_for_update().get(pk=action.pk)
        if Positioning.objects.filter(action=action, pathway=pathway, status__in=OPEN_POSITIONING).exists():
            raise ValidationError({"pathway": _("Personne : elle est déjà positionnée sur cette action.")})
        positioning = Positioning(action=action, pathway=pathway, proposed_by=by, comment=comment.strip())
        transition_create(POSITIONING_WORKFLOW, positioning, "propose", by=by, data={"action": action})
        audit_record(actor=by, action="positioning_propose", obj=positioning, participant_id=pathway.participant_id,
                     after={"action_id": action.pk, "pathway_id": pathway.pk, "status": positioning.status})
    return positioning


def positioning_decide(*, positioning: Positioning, name: str, by, data: Any = None) -> Positioning:
    """Apply a transition of the positioning (accept, wait, refuse, start, complete, leave) as `by`; starting
    puts the action's step on the pathway, completing or leaving ends it, in the same transaction."""
    with transaction.atomic():
        before = model_snapshot(Positioning.objects.get(pk=positioning.pk), POSITIONING_AUDITED)
        locked = transition_apply(POSITIONING_WORKFLOW, positioning, name, by=by, data=data)
        if name == "start":
            _step_open(locked, by)
        elif name in ("complete", "leave") and locked.step_id is not None:
            _step_close(locked, by)
        audit_record(actor=by, action=f"positioning.{name}", obj=locked,
                     participant_id=locked.pathway.participant_id, before=before,
                     after=model_snapshot(locked, POSITIONING_AUDITED))
    return locked


def _step_open(positioning: Positioning, by) -> None:
    action, pathway = positioning.action, Pathway.objects.select_for_update().get(pk=positioning.pathway_id)
    assert positioning.started_on is not None  # set by the start transition's effect
    step = Step(pathway=pathway, step_type=action.step_type, start_date=positioning.started_on,
                end_date=None, operator_name=action.operator.name, comment=action.title)
    errors: dict[str, list[str]] = {}
    step_check = definition_of(pathway).step_check
    if step_check is not None:
        step_check(pathway, step, lambda field, message: errors.setdefault(field, []).append(message))
    if errors:
        raise ValidationError(errors)
    step.full_clean()
    step.save()
    positioning.step = step
    positioning.save(update_fields=["step", "updated_at"])
    audit_record(actor=by, action="step.create", obj=step, participant_id=pathway.participant_id,
                 after=model_snapshot(step, ["step_type", "start_date", "operator_name", "comment"])
                 | {"action_id": action.pk})


def _step_close(positioning: Positioning, by) -> None:
    assert positioning.step_id is not None  # the caller closes the step a start opened
    step = Step.objects.select_for_update().get(pk=positioning.step_id)
    before = model_snapshot(step, ["end_date"])
    step.end_date = positioning.ended_on
    step.version += 1
    step.full_clean()
    step.save(update_fields=["end_date", "version", "updated_at"])
    audit_record(actor=by, action="step.end", obj=step, participant_id=positioning.pathway.participant_id,
                 before=before, after=model_snapshot(step, ["end_date"]))


ATTENDING = (PositioningStatus.STARTED, PositioningStatus.COMPLETED, PositioningStatus.LEFT)


def attendance_record(*, session: ActionSession, marks: dict[int, str], by) -> int:
    """Record the attendance of a session: `marks` maps a positioning's id to present / absent / excused. Only the
    people who entered the action, and only by those who run it; a session to come has no attendance yet.
    Returns how many marks changed."""
    if not actions_run_by(by).filter(pk=session.action_id).exists():
        raise TransitionRefused(_("Seul l'opérateur de l'action saisit ses présences."))
    if session.date > timezone.localdate():
        raise ValidationError({"attendance": _("Présences : la séance n'a pas encore eu lieu.")})
    unknown = [value for value in marks.values() if value not in Attendance.values]
    if unknown:
        raise ValidationError({"attendance": _("Présences : valeur inconnue.")})
    with transaction.atomic():
        people = {p.pk: p for p in Positioning.objects.filter(action_id=session.action_id, status__in=ATTENDING,
                                                                   pk__in=list(marks)).select_related("pathway")}
        if set(marks) - set(people):
            raise ValidationError({"attendance": _("Présences : une personne n'est pas entrée dans l'action.")})
        existing = {a.positioning_id: a for a in SessionAttendance.objects.select_for_update()
                    .filter(session=session, positioning_id__in=list(marks))}
        changed = 0
        for positioning_id, value in sorted(marks.items()):
            row = existing.get(positioning_id)
            before = row.attendance if row else ""
            if before == value:
                continue
            if row is None:
                row = SessionAttendance(session=session, positioning_id=positioning_id, attendance=value,
                                        recorded_by=by)
            else:
                row.attendance, row.recorded_by = value, by
            row.save()
            changed += 1
            audit_record(actor=by, action="attendance_record", obj=row,
                         participant_id=people[positioning_id].pathway.participant_id,
                         before={"attendance": before}, after={"attendance": value, "session_id": session.pk})
    return changed
