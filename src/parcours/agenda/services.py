"""The agenda's writes: plan, add a person, move, cancel, mark attendance, convene, remind. Each in one
transaction with its audit row (a person's attendance also in the workflow's log)."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.workflow import TransitionRefused, transition_apply, transition_create
from parcours.organisations.models import User
from parcours.organisations.capabilities import PATHWAY_WRITE
from parcours.organisations.scope import memberships_with
from parcours.pathways.enums import AppointmentKind
from parcours.pathways.models import Pathway
from parcours.pathways.services import in_pathway_check, pathway_writer_check
from parcours.territory.models import Helpdesk

from . import ics
from .enums import AttendanceStatus, ConvocationChannel
from .models import MAX_MEETING_MINUTES, Attendance, Meeting, MeetingChange
from .workflow import ATTENDANCE_WORKFLOW

logger = logging.getLogger("parcours.agenda")

MEETING_FIELDS = ["starts_at", "duration_minutes", "kind", "mode", "helpdesk_id", "place", "subject"]
# How many days before a planned appointment the reminder goes, unless the programme says otherwise
# (its parameters' "reminder_days_before"; 0 switches reminders off; at most a fortnight).
DEFAULT_REMINDER_DAYS = 2
MAX_REMINDER_DAYS = 14
# A planned appointment lies at most this far ahead (a typing error in the year would hide it from every view).
PLANNING_HORIZON_DAYS = 366


def reminder_days(pathway: Pathway) -> int:
    value = (pathway.programme.parameters or {}).get("reminder_days_before", DEFAULT_REMINDER_DAYS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return DEFAULT_REMINDER_DAYS
    return min(value, MAX_REMINDER_DAYS)


def _pathway_check(pathway: Pathway, by: User) -> None:
    pathway_writer_check(by, pathway)
    in_pathway_check(pathway, _("Un rendez-vous"))


def _when_check(starts_at: datetime | None) -> None:
    now = timezone.now()
    if starts_at is None:
        raise ValidationError({"starts_at": [_("Début : ce champ est obligatoire.")]})
    if starts_at < now - timedelta(minutes=5):
        raise ValidationError({"starts_at": [_("Début : un rendez-vous se planifie à venir ; un rendez-vous déjà tenu "
                                         "s'enregistre dans le dossier (« Enregistrer un rendez-vous tenu »).")]})
    if starts_at > now + timedelta(days=PLANNING_HORIZON_DAYS):
        raise ValidationError({"starts_at": [_("Début : au plus un an à l'avance.")]})


def _audit(by: Any, action: str, obj: Any, participant_id: int | None, before: dict | None = None,
           after: dict | None = None) -> None:
    audit_record(actor=by, action=action, obj=obj, participant_id=participant_id, before=before, after=after)


@dataclass(frozen=True)
class MeetingValues:
    starts_at: datetime
    duration_minutes: int
    kind: str
    mode: str
    subject: str
    helpdesk: Helpdesk | None = None
    place: str = ""


def meeting_plan(*, by: User, pathway: Pathway, values: MeetingValues) -> Meeting:
    """Plan an appointment with one person (a collective one takes more people afterwards: attendance_add)."""
    _pathway_check(pathway, by)
    _when_check(values.starts_at)
    errors: dict[str, list[str]] = {}
    if not 1 <= (values.duration_minutes or 0) <= MAX_MEETING_MINUTES:
        errors["duration_minutes"] = [_("Durée : entre 1 et %(max)s minutes.") % {"max": MAX_MEETING_MINUTES}]
    if values.helpdesk is not None and values.helpdesk.territory_id != pathway.territory_id:
        errors["helpdesk"] = [_("Lieu d'accueil : ce lieu n'est pas sur le territoire du dossier.")]
    if not values.subject.strip():
        errors["subject"] = [_("Objet : ce champ est obligatoire.")]
    if errors:
        raise ValidationError(errors)
    # The structure the organiser plans for: the current one (in a request there is one in force).
    membership = memberships_with(by, PATHWAY_WRITE)[0]
    with transaction.atomic():
        meeting = Meeting(organiser=by, organisation_id=membership.organisation_id, starts_at=values.starts_at,
                          duration_minutes=values.duration_minutes, kind=values.kind, mode=values.mode,
                          helpdesk=values.helpdesk, place=values.place.strip(), subject=values.subject.strip())
        meeting.full_clean()
        meeting.save()
        _audit(by, "meeting.plan", meeting, pathway.participant_id, {}, model_snapshot(meeting, MEETING_FIELDS))
        _attendance_create(meeting=meeting, pathway=pathway, by=by)
    return meeting


def _attendance_create(*, meeting: Meeting, pathway: Pathway, by: User) -> Attendance:
    attendance = Attendance(meeting=meeting, pathway=pathway)
    transition_create(ATTENDANCE_WORKFLOW, attendance, "plan", by=by)
    _audit(by, "attendance.plan", attendance, pathway.participant_id, {}, {"meeting": meeting.pk})
    return attendance


def attendance_add(*, meeting: Meeting, pathway: Pathway, by: User) -> Attendance:
    """One more person at a collective appointment still to come."""
    _pathway_check(pathway, by)
    if meeting.kind != AppointmentKind.COLLECTIVE:
        raise ValidationError({"pathway": [_("Personne : un rendez-vous individuel reçoit une seule personne.")]})
    if meeting.starts_at <= timezone.now():
        raise ValidationError({"pathway": [_("Personne : ce rendez-vous a commencé.")]})
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.attendances.filter(pathway=pathway).exists():
            raise ValidationError({"pathway": [_("Personne : cette personne est déjà convoquée à ce rendez-vous.")]})
        return _attendance_create(meeting=meeting, pathway=pathway, by=by)


def meeting_move(*, meeting: Meeting, by: User, starts_at: datetime, reason: str) -> Meeting:
    """Move an appointment still to come: the change is kept, the people are to be convened again."""
    if not by.can(PATHWAY_WRITE):
        raise ValidationError(_("Votre rôle ne permet pas de modifier ce rendez-vous."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Motif : ce champ est obligatoire.")]})
    _when_check(starts_at)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        planned = list(locked.attendances.filter(status=AttendanceStatus.PLANNED))
        if not planned:
            raise ValidationError(_("Plus personne n'est attendu à ce rendez-vous : il ne se déplace pas."))
        if starts_at == locked.starts_at:
            raise ValidationError({"starts_at": [_("Début : c'est déjà la date et l'heure du rendez-vous.")]})
        MeetingChange.objects.create(meeting=locked, previous_starts_at=locked.starts_at, new_starts_at=starts_at,
                                     reason=reason.strip(), by=by)
        before = model_snapshot(locked, ["starts_at"])
        locked.starts_at = starts_at
        locked.save(update_fields=["starts_at", "updated_at"])
        Attendance.objects.filter(pk__in=[a.pk for a in planned]).update(convened_at=None, convocation_channel="",
                                                                        reminded_at=None)
        for attendance in planned:
            _audit(by, "meeting.move", locked, attendance.pathway.participant_id, before,
                   model_snapshot(locked, ["starts_at"]))
    return locked


def attendance_mark(*, attendance: Attendance, by: User, transition: str, data: Any = None) -> Attendance:
    """Apply one of the attendance's transitions (seen, excused, no_show, cancel, correct) with its audit row."""
    with transaction.atomic():
        before = {"status": attendance.status}
        try:
            marked = transition_apply(ATTENDANCE_WORKFLOW, attendance, transition, by=by, data=data)
        except TransitionRefused as refused:
            raise ValidationError(refused.message) from None
        _audit(by, f"attendance.{transition}", marked, attendance.pathway.participant_id, before,
               {"status": marked.status})
    return marked


def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> int:
    """Cancel the appointment for everyone still expected; returns how many were."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Motif : ce champ est obligatoire.")]})
    with transaction.atomic():
        planned = list(meeting.attendances.filter(status=AttendanceStatus.PLANNED).select_related("pathway"))
        if not planned:
            raise ValidationError(_("Plus personne n'est attendu à ce rendez-vous."))
        for attendance in planned:
            attendance_mark(attendance=attendance, by=by, transition="cancel", data={"reason": reason})
    return len(planned)


# --- convocations and reminders -----------------------------------------------------------------------------------

def _send(*, attendance: Attendance, subject: str, body: str, what: str) -> bool:
    participant = attendance.pathway.participant
    message = EmailMessage(subject, body, None, [participant.email])
    message.attach("rendez-vous.ics", ics.meeting_calendar(attendance.meeting, for_person=participant),
                   "text/calendar")
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError):
        # No address and no name in the log: the ids say which.
        logger.exception("agenda mail not sent kind=%s attendance_id=%s", what, attendance.pk)
        return False
    logger.info("agenda mail sent kind=%s attendance_id=%s", what, attendance.pk)
    return True


def convocation_send(*, attendance: Attendance, by: User) -> None:
    """E-mail the convocation (with the calendar file) to the person."""
    if attendance.status != AttendanceStatus.PLANNED:
        raise ValidationError(_("Seule une personne attendue reçoit une convocation."))
    if not attendance.pathway.participant.email:
        raise ValidationError(_("Courriel : la personne n'a pas d'adresse ; imprimez la convocation."))
    from .letters import convocation_mail

    subject, body = convocation_mail(attendance)
    if not _send(attendance=attendance, subject=subject, body=body, what="convocation"):
        raise ValidationError(_("Le serveur de courriel n'a pas répondu : la convocation n'est pas partie. "
                                "Réessayez plus tard ou imprimez-la."))
    convocation_record(attendance=attendance, by=by, channel=ConvocationChannel.EMAIL)


def convocation_record(*, attendance: Attendance, by: User, channel: str) -> None:
    with transaction.atomic():
        Attendance.objects.filter(pk=attendance.pk).update(convened_at=timezone.now(), convocation_channel=channel)
        _audit(by, "attendance.convene", attendance, attendance.pathway.participant_id, {}, {"channel": channel})


def reminders_due(*, now: datetime) -> list[Attendance]:
    """Planned attendances whose reminder is due now: within the programme's days before, not yet reminded, with
    an e-mail address. The programme's days are a parameter of each row's programme: the database reads the
    furthest window, each row is then kept or not."""
    rows = (Attendance.objects.filter(status=AttendanceStatus.PLANNED, reminded_at__isnull=True,
                                      meeting__starts_at__gt=now,
                                      meeting__starts_at__lte=now + timedelta(days=MAX_REMINDER_DAYS + 1))
            .exclude(pathway__participant__email="")
            .select_related("meeting__helpdesk", "meeting__organiser", "meeting__organisation",
                            "pathway__participant", "pathway__programme"))
    today = timezone.localdate(now)
    due = []
    for attendance in rows:
        days = reminder_days(attendance.pathway)
        if days and (timezone.localdate(attendance.meeting.starts_at) - today).days <= days:
            due.append(attendance)
    return due


def reminders_send(*, now: datetime | None = None) -> tuple[int, int]:
    """Send the reminders due; returns (sent, failed). A failed one is tried again at the next run."""
    from .letters import reminder_mail

    now = now or timezone.now()
    sent = failed = 0
    for attendance in reminders_due(now=now):
        subject, body = reminder_mail(attendance)
        if _send(attendance=attendance, subject=subject, body=body, what="reminder"):
            with transaction.atomic():
                Attendance.objects.filter(pk=attendance.pk).update(reminded_at=now)
                # No actor: the daily command sends it.
                audit_record(actor=None, action="attendance.remind", obj=attendance,
                             participant_id=attendance.pathway.participant_id, after={"channel": "email"})
            sent += 1
        else:
            failed += 1
    return sent, failed
