"""What the person receives: the convocation (e-mail text and a letter to post, PDF) and the reminder.

Plain French; the place with its address, the mode, whom to call to excuse oneself. Nothing of anybody else.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from parcours.core.pdf import text
from parcours.pathways.enums import ContactMode

from .models import Attendance, Meeting


def when_fr(moment: datetime) -> str:
    """« jeudi 10 décembre 2026 à 14 h 30 »."""
    local = timezone.localtime(moment)
    hour = f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"
    return _("%(day)s à %(hour)s") % {"day": date_format(local, "l j F Y"), "hour": hour}


def where_fr(meeting: Meeting) -> str:
    if meeting.mode == ContactMode.PHONE:
        return _("par téléphone : votre référent·e vous appellera")
    if meeting.mode == ContactMode.VIDEO:
        return _("en visioconférence : le lien vous sera envoyé par votre référent·e")
    return meeting.location_label or _("lieu à confirmer avec votre référent·e")


def _contact(meeting: Meeting) -> str:
    organisation = meeting.organisation
    phone = (meeting.helpdesk.phone if meeting.helpdesk_id and meeting.helpdesk and meeting.helpdesk.phone
             else organisation.phone)
    if phone:
        return _("En cas d'empêchement, prévenez %(organisation)s au %(phone)s.") % {
            "organisation": organisation.name, "phone": phone}
    return _("En cas d'empêchement, prévenez %(organisation)s.") % {"organisation": organisation.name}


def _lines(attendance: Attendance) -> list[str]:
    meeting = attendance.meeting
    return [
        _("Objet : %(subject)s") % {"subject": meeting.subject},
        _("Date : %(when)s (durée prévue : %(minutes)s minutes)") % {"when": when_fr(meeting.starts_at),
                                                                    "minutes": meeting.duration_minutes},
        _("Lieu : %(where)s") % {"where": where_fr(meeting)},
        _("Avec : %(who)s, %(organisation)s") % {"who": meeting.organiser.get_full_name(),
                                                 "organisation": meeting.organisation.name},
    ]


def _greeting(attendance: Attendance) -> str:
    participant = attendance.pathway.participant
    return _("Bonjour %(name)s,") % {"name": f"{participant.first_name} {participant.last_name}".strip()}


def _mail(attendance: Attendance, *, subject: str, opening: str, closing: list[str]) -> tuple[str, str]:
    meeting = attendance.meeting
    body = "\n".join([_greeting(attendance), "", opening, "", *_lines(attendance), "", _contact(meeting), "",
                      *closing, meeting.organisation.name])
    return subject % {"when": when_fr(meeting.starts_at)}, body


def convocation_mail(attendance: Attendance) -> tuple[str, str]:
    return _mail(attendance, subject=_("Convocation : rendez-vous le %(when)s"),
                 opening=_("Vous êtes attendu·e à un rendez-vous :"),
                 closing=[_("Le fichier joint ajoute ce rendez-vous à votre agenda."), ""])


def reminder_mail(attendance: Attendance) -> tuple[str, str]:
    return _mail(attendance, subject=_("Rappel : rendez-vous le %(when)s"),
                 opening=_("Nous vous rappelons votre rendez-vous :"), closing=[])


def convocation_letter_story(attendance: Attendance) -> list:
    """The letter to post: the structure's letterhead, the person's address block, the convocation."""
    meeting, participant = attendance.meeting, attendance.pathway.participant
    organisation = meeting.organisation
    story: list = [text(organisation.name, "h2")]
    for line in (organisation.address, organisation.phone, organisation.email):
        if line:
            story.append(text(line, "small"))
    story += [Spacer(1, 1 * cm), text(f"{participant.first_name} {participant.last_name}".strip())]
    if participant.address:
        story.append(text(participant.address))
    town = " ".join(p for p in (participant.postal_code, participant.commune.name if participant.commune_id
                                and participant.commune else "") if p)
    if town:
        story.append(text(town))
    story += [
        Spacer(1, 0.8 * cm),
        text(_("Le %(date)s") % {"date": date_format(timezone.localdate(), "j F Y")}),
        Spacer(1, 0.4 * cm),
        text(_("Convocation à un rendez-vous"), "h2"),
        text(_greeting(attendance)),
        text(_("Vous êtes attendu·e à un rendez-vous :")),
    ]
    story += [text(line) for line in _lines(attendance)]
    story += [Spacer(1, 0.4 * cm), text(_contact(meeting)), Spacer(1, 0.6 * cm),
              text(meeting.organiser.get_full_name()), text(organisation.name)]
    return story
