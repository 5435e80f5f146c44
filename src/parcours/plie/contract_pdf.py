"""The engagement contract as a PDF: the parties, objectives, reciprocal commitments, three signature blocks.

Every user-supplied text goes through `core.pdf.text` (escaped), so a name like "<script>" or "A & B" prints
as typed.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from parcours.core.pdf import markup, register_fonts, text

from parcours.pathways.models import Pathway
from parcours.plie.models import EngagementContract


def _signature_block(title: str, name: str, signed_on: date | None):
    return [
        markup(f"<b>{_escape_label(title)}</b>"),
        text(name or "", "cell"),
        text(_("Date : %(date)s") % {"date": signed_on.strftime("%d/%m/%Y")} if signed_on
             else _("Date : ____ / ____ / ________"), "cell"),
        text(_("Signature :"), "cell"),
        Spacer(1, 22 * mm),
    ]


def _escape_label(label: str) -> str:
    return escape(str(label))


def contract_pdf(pathway: Pathway, contract: EngagementContract) -> bytes:
    """The contract of `pathway` as PDF bytes (A4)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=18 * mm, bottomMargin=18 * mm,
                                 title=_("Contrat d'engagement"), author="Parcours")
    document.build(contract_story(pathway, contract))
    return buffer.getvalue()


def contract_story(pathway: Pathway, contract: EngagementContract) -> list:
    """The flowables of the contract (tests read their plain text)."""
    register_fonts()
    participant = pathway.participant
    story = [
        markup(_escape_label(_("Contrat d'engagement dans le parcours PLIE")), "title"),
        text(_("Parcours n° %(pk)s") % {"pk": pathway.pk}, "small"),
        Spacer(1, 4 * mm),
        markup(_escape_label(_("Entre les parties")), "h2"),
        text(_("La personne accompagnée : %(name)s, née le %(birth)s") % {
            "name": f"{participant.first_name} {participant.last_name}".strip(),
            "birth": participant.birth_date.strftime("%d/%m/%Y")}),
        text(_("Le / la référent·e de parcours : %(name)s (%(org)s)") % {
            "name": pathway.referent.get_full_name() if pathway.referent else "",
            "org": pathway.operator or ""}),
        text(_("La direction du PLIE : %(name)s") % {
            "name": contract.director.get_full_name() if contract.director else ""}),
    ]
    if pathway.commission_date:
        story.append(text(_("Agrément de la commission du %(date)s.") % {
            "date": pathway.commission_date.strftime("%d/%m/%Y")}))
    sections = [
        (_("Objectifs du parcours"), contract.objectives),
        (_("Engagements de la personne accompagnée"), contract.participant_commitments),
        (_("Engagements du / de la référent·e de parcours"), contract.referent_commitments),
        (_("Engagements de la direction du PLIE"), contract.plie_commitments),
    ]
    for heading, body in sections:
        story += [Spacer(1, 3 * mm), markup(_escape_label(heading), "h2"), text(body)]
    story += [
        Spacer(1, 4 * mm),
        text(_("Les données de ce contrat sont traitées par le PLIE pour le suivi du parcours. La personne peut "
               "accéder à ses données, les faire rectifier, et demander à lire les notes de son dossier."), "small"),
        Spacer(1, 6 * mm),
    ]
    blocks = [
        _signature_block(_("La personne accompagnée"), f"{participant.first_name} {participant.last_name}".strip(),
                         contract.participant_signed_on),
        _signature_block(_("Le / la référent·e"), pathway.referent.get_full_name() if pathway.referent else "",
                         contract.referent_signed_on),
        _signature_block(_("La direction du PLIE"), contract.director.get_full_name() if contract.director else "",
                         contract.director_signed_on),
    ]
    table = Table([blocks], colWidths=[(A4[0] - 36 * mm) / 3] * 3)
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    return story
