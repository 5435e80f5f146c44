"""The immersion agreement (PMSMP) as a PDF: the three parties (the young person, the company and its tutor, the
Mission Locale), the trade, dates, hours and aim, three signature boxes.

Every user-supplied text goes through `core.pdf.text` (escaped), so a name like "<script>" or "A & B" prints as
typed.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from parcours.core.plausibility import phone_display
from parcours.core.pdf import markup, register_fonts, text

from .models import ImmersionAgreement


def _heading(label: str, style: str = "h2"):
    return markup(escape(str(label)), style)


def _signature_block(title: str, name: str) -> list:
    return [markup(f"<b>{escape(str(title))}</b>"), text(name, "cell"),
            text(_("Date : ____ / ____ / ________"), "cell"), text(_("Signature :"), "cell"), Spacer(1, 22 * mm)]


def immersion_pdf(agreement: ImmersionAgreement) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title=_("Convention d'immersion"), author="Parcours"
                      ).build(immersion_story(agreement))
    return buffer.getvalue()


def immersion_story(agreement: ImmersionAgreement) -> list:
    """The flowables of the agreement (tests read their plain text)."""
    register_fonts()
    person = agreement.youth_file.participant
    name = f"{person.first_name} {person.last_name}".strip()
    adviser = agreement.prescriber.get_full_name()
    tutor = agreement.tutor_name + (f", {agreement.tutor_job}" if agreement.tutor_job else "")
    contact = " — ".join(v for v in (phone_display(agreement.tutor_phone), agreement.tutor_email) if v)
    story = [
        _heading(_("Convention de période de mise en situation en milieu professionnel (PMSMP)"), "title"),
        text(_("Convention n° %(pk)s — état : %(state)s") % {"pk": agreement.pk,
                                                             "state": agreement.get_status_display()}, "small"),
        Spacer(1, 4 * mm),
        _heading(_("Entre les parties")),
        text(_("Le / la bénéficiaire : %(name)s, né·e le %(birth)s (dossier %(ref)s)")
             % {"name": name, "birth": person.birth_date.strftime("%d/%m/%Y"), "ref": agreement.youth_file.youth_ref}),
        text(_("La structure d'accueil : %(company)s, SIRET %(siret)s, %(address)s")
             % {"company": agreement.company_name, "siret": agreement.company_siret,
                "address": agreement.company_address}),
        text(_("Le / la tuteur·rice : %(tutor)s") % {"tutor": tutor} + (f" ({contact})" if contact else "")),
        text(_("La structure prescriptrice : la Mission Locale, représentée par %(adviser)s, conseiller·ère")
             % {"adviser": adviser}),
        Spacer(1, 3 * mm),
        _heading(_("L'immersion")),
        text(_("Métier observé : %(trade)s") % {"trade": agreement.trade}
             + (f" (ROME {agreement.rome_code})" if agreement.rome_code else "")),
        text(_("Objet : %(aim)s") % {"aim": agreement.get_aim_display()}),
        text(_("Du %(start)s au %(end)s, %(hours)s heures par semaine")
             % {"start": agreement.start_date.strftime("%d/%m/%Y"), "end": agreement.end_date.strftime("%d/%m/%Y"),
                "hours": f"{agreement.weekly_hours.normalize():f}"}),
        Spacer(1, 4 * mm),
        text(_("Le / la bénéficiaire n'est pas rémunéré·e par la structure d'accueil ; il / elle conserve son statut. "
               "Les données de cette convention sont traitées par la Mission Locale pour le suivi de l'immersion."),
             "small"),
        Spacer(1, 6 * mm),
    ]
    blocks = [_signature_block(_("Le / la bénéficiaire"), name),
              _signature_block(_("La structure d'accueil et son tuteur·rice"),
                               f"{agreement.company_name} — {agreement.tutor_name}"),
              _signature_block(_("La Mission Locale"), adviser)]
    table = Table([blocks], colWidths=[(A4[0] - 36 * mm) / 3] * 3)
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    return story
