"""A person's attendance at a planned appointment, as a table applied by the engine (core/workflow.py) with its
log: planned, then seen (the contact is recorded on the pathway), excused, no-show or cancelled; an excuse or a
no-show recorded by mistake is put back to planned with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import NoPayload, Transition, TransitionRefused, Workflow
from parcours.organisations.capabilities import PATHWAY_WRITE

from .enums import AttendanceStatus
from .models import Attendance, AttendanceTransition

WRITERS = frozenset({PATHWAY_WRITE})
PLANNED = frozenset({AttendanceStatus.PLANNED})


@dataclass(frozen=True)
class Seen:
    # The held contact's report and its real length (the planned length when empty).
    summary: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class Reason:
    reason: str


def _reason_required(attendance: Attendance, payload: Reason) -> None:
    if not payload.reason.strip():
        raise TransitionRefused(_("Motif : ce champ est obligatoire."))


def _check_started(attendance: Attendance, payload: Any) -> None:
    if attendance.meeting.starts_at > timezone.now():
        raise TransitionRefused(_("Ce rendez-vous n'a pas encore eu lieu (%(when)s).")
                                % {"when": timezone.localtime(attendance.meeting.starts_at).strftime("%d/%m/%Y %H:%M")})


def _effect_seen(attendance: Attendance, payload: Seen, by: Any) -> None:
    from parcours.pathways.services import appointment_create

    meeting = attendance.meeting
    try:
        attendance.appointment = appointment_create(pathway=attendance.pathway, by=by, values={
            "date": timezone.localdate(meeting.starts_at), "kind": meeting.kind, "mode": meeting.mode,
            "duration_minutes": payload.duration_minutes or meeting.duration_minutes,
            "place": meeting.location_label[:200],
            "summary": payload.summary,
        })
    except ValidationError as error:
        raise TransitionRefused(" ".join(error.messages)) from None


ATTENDANCE_WORKFLOW = Workflow(state_field="status", states=dict(AttendanceStatus.choices),
                               initial=AttendanceStatus.PLANNED, log_model=AttendanceTransition,
                               log_object_field="attendance",
                               state_refusal=_l("Action « %(action)s » impossible : la présence est à l'état "
                                                "« %(state)s »."))
ATTENDANCE_WORKFLOW.add(Transition("plan", frozenset({""}), AttendanceStatus.PLANNED, _l("Convoquer"), WRITERS,
                                   manual=False))
ATTENDANCE_WORKFLOW.add(Transition("seen", PLANNED, AttendanceStatus.SEEN, _l("Venu·e"), WRITERS,
                                   _check_started, _effect_seen, payload=Seen))
ATTENDANCE_WORKFLOW.add(Transition("excused", PLANNED, AttendanceStatus.EXCUSED, _l("Excusé·e"), WRITERS,
                                   _reason_required, payload=Reason))
ATTENDANCE_WORKFLOW.add(Transition("no_show", PLANNED, AttendanceStatus.NO_SHOW, _l("Absent·e sans prévenir"),
                                   WRITERS, _check_started, payload=NoPayload))
ATTENDANCE_WORKFLOW.add(Transition("cancel", PLANNED, AttendanceStatus.CANCELLED, _l("Annuler"), WRITERS,
                                   _reason_required, payload=Reason))
ATTENDANCE_WORKFLOW.add(Transition("correct", frozenset({AttendanceStatus.EXCUSED, AttendanceStatus.NO_SHOW}),
                                   AttendanceStatus.PLANNED, _l("Corriger (remettre à prévu)"), WRITERS,
                                   _reason_required, payload=Reason))
