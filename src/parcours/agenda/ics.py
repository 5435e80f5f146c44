"""Calendar files (RFC 5545, by the icalendar library): one appointment for the person's convocation, a
referent's agenda for their own calendar software."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .enums import AttendanceStatus
from .models import Meeting


def _event(meeting: Meeting, *, summary: str, description: str, cancelled: bool = False) -> Event:
    event = Event()
    # Stable: a calendar that imported it updates the same event when the appointment moves.
    event.add("uid", f"meeting-{meeting.pk}@{settings.PARCOURS_ICS_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", summary)
    changes = getattr(meeting, "change_count", None)
    event.add("sequence", meeting.changes.count() if changes is None else changes)
    if description:
        event.add("description", description)
    if meeting.location_label:
        event.add("location", meeting.location_label)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Parcours//Agenda//FR")
    calendar.add("version", "2.0")
    return calendar


def meeting_calendar(meeting: Meeting, *, for_person) -> bytes:
    """The person's own file: the subject and the place, their referent; nothing of anybody else."""
    calendar = _calendar()
    description = _("Rendez-vous avec %(who)s (%(organisation)s)") % {
        "who": meeting.organiser.get_full_name(), "organisation": meeting.organisation.name}
    calendar.add_component(_event(meeting, summary=meeting.subject, description=description))
    return calendar.to_ical()


def agenda_calendar(meetings: Iterable[Meeting]) -> bytes:
    """A referent's appointments: the names of the people expected are in each event (their own calendar)."""
    calendar = _calendar()
    for meeting in meetings:
        people = [a for a in meeting.attendances.all() if a.status != AttendanceStatus.CANCELLED]
        names = ", ".join(f"{a.pathway.participant.first_name} {a.pathway.participant.last_name}" for a in people)
        calendar.add_component(_event(meeting, summary=f"{meeting.subject} — {names}" if names else meeting.subject,
                                      description="", cancelled=not people))
    return calendar.to_ical()
