"""A workshop session's attendance sheet (feuille d'émargement) as a PDF: the session, then one row per young person
registered with a column to sign. Every user-supplied text goes through `core.pdf.text` (escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import cm, mm
from reportlab.platypus import Spacer, Table, TableStyle

from parcours.core.pdf import markup, register_fonts, render, text

from .models import WorkshopRegistration, WorkshopSession


def attendance_sheet_story(session: WorkshopSession, registrations: Sequence[WorkshopRegistration]) -> list:
    """The flowables of the sheet (tests read their plain text)."""
    register_fonts()
    when = session.date.strftime("%d/%m/%Y") + (f", {session.start_time:%H:%M}" if session.start_time else "")
    where = session.site.name if session.site else _("Siège de la Mission Locale")
    story: list = [
        markup(escape(_("Feuille d'émargement")), "title"),
        text(session.workshop, "h1"),
        text(_("Séance du %(when)s — %(where)s") % {"when": when, "where": where}),
    ]
    if session.catalogue is not None and session.catalogue.partner_name:
        story.append(text(_("Animé par : %(partner)s") % {"partner": session.catalogue.partner_name}))
    story += [text(_("Séance n° %(ref)s — %(n)s inscrit·es") % {"ref": session.session_ref, "n": len(registrations)},
                   "small"), Spacer(1, 5 * mm)]
    rows: list[list] = [[markup(f"<b>{escape(label)}</b>", "cell") for label in (
        _("Nom"), _("Prénom"), _("Né·e le"), _("Signature"))]]
    for registration in registrations:
        person = registration.youth_file.participant
        rows.append([text(person.last_name.upper(), "cell"), text(person.first_name, "cell"),
                     text(person.birth_date.strftime("%d/%m/%Y"), "cell"), ""])
    table = Table(rows, colWidths=[4.5 * cm, 4 * cm, 2.5 * cm, 6 * cm], repeatRows=1,
                  rowHeights=[None] + [12 * mm] * len(registrations))
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]))
    story += [table, Spacer(1, 6 * mm),
              text(_("Les données de cette feuille sont traitées par la Mission Locale pour le suivi des jeunes ; "
                     "chacun·e peut y accéder et les faire rectifier."), "small")]
    return story


def attendance_sheet_pdf(session: WorkshopSession, registrations: Sequence[WorkshopRegistration]) -> bytes:
    return render(attendance_sheet_story(session, registrations))
