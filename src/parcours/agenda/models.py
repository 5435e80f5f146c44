"""The agenda: appointments planned ahead (individual or collective), each person's attendance, its log.

An appointment that is *held* is the kernel's `pathways.Appointment` (a contact, ESF-eligible referent time, in
the interchange format); a planned one lives here until it is held: marking a person "seen" records that contact.
So every reader of held contacts (the ESF+ claim, the indicators, the export) stays as it is (docs/agenda.md).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped, TransitionLog
from parcours.pathways.enums import AppointmentKind, ContactMode

from .enums import AttendanceStatus, ConvocationChannel

MAX_MEETING_MINUTES = 600


class Meeting(TimeStamped):
    """A planned appointment: one person (individual) or several (collective), at a time and place."""

    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("référent·e"), on_delete=models.PROTECT,
                                  related_name="meetings")
    # The structure the organiser worked for when planning it (their current scope): the team calendar's key.
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("structure"),
                                     on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    kind = models.CharField(_("type"), max_length=12, choices=AppointmentKind.choices,
                            default=AppointmentKind.INDIVIDUAL)
    mode = models.CharField(_("modalité"), max_length=12, choices=ContactMode.choices)
    helpdesk = models.ForeignKey("territory.Helpdesk", verbose_name=_("lieu d'accueil"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("lieu (précision ou autre adresse)"), max_length=200, blank=True)
    subject = models.CharField(_("objet"), max_length=200)

    class Meta:
        verbose_name = _("rendez-vous planifié")
        verbose_name_plural = _("rendez-vous planifiés")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MEETING_MINUTES),
                                   name="meeting_duration_range"),
            models.CheckConstraint(condition=~Q(subject=""), name="meeting_subject_required"),
        ]
        indexes = [models.Index(fields=["organiser", "starts_at"], name="meeting_organiser_start_idx"),
                   models.Index(fields=["organisation", "starts_at"], name="meeting_organisation_start_idx")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.starts_at:%d/%m/%Y %H:%M})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def location_label(self) -> str:
        """Where, in one line: the helpdesk with its address and the detail typed, or the place typed."""
        helpdesk = self.helpdesk if self.helpdesk_id else None
        parts = [helpdesk.name, helpdesk.address, self.place] if helpdesk else [self.place]
        return ", ".join(p for p in parts if p)


class Attendance(TimeStamped):
    """One person expected at a meeting, their status (a workflow: agenda/workflow.py) and the contact it became."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    pathway = models.ForeignKey("pathways.Pathway", verbose_name=_("parcours"), on_delete=models.CASCADE,
                                related_name="attendances")
    status = models.CharField(_("statut"), max_length=12, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PLANNED)
    # The held contact a "seen" recorded (its minutes are the ESF-eligible time).
    appointment = models.OneToOneField("pathways.Appointment", verbose_name=_("rendez-vous tenu"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="attendance")
    convened_at = models.DateTimeField(_("convoqué·e le"), null=True, blank=True)
    convocation_channel = models.CharField(_("convocation par"), max_length=8, choices=ConvocationChannel.choices,
                                           blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("présence à un rendez-vous")
        ordering = ["meeting__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "pathway"], name="attendance_once_per_meeting"),
            models.CheckConstraint(condition=Q(appointment__isnull=True) | Q(status=AttendanceStatus.SEEN),
                                   name="attendance_appointment_only_when_seen"),
        ]
        indexes = [models.Index(fields=["pathway", "status"], name="attendance_pathway_status_idx")]


class AttendanceTransition(TransitionLog):
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement de statut d'une présence")


class MeetingChange(models.Model):
    """A meeting moved: when from, when to, why, by whom (the person is convened again)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    previous_starts_at = models.DateTimeField(_("ancien début"))
    new_starts_at = models.DateTimeField(_("nouveau début"))
    reason = models.CharField(_("motif"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("déplacement d'un rendez-vous")
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="meeting_change_reason_required")]
