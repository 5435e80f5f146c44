"""The claim's XLSX and PDF: its figures (as frozen at the last submission), the per-referent annex of the
calculation, the sampled control and the control log. XLSX text is written through core.spreadsheet (never a
formula); PDF text through core.pdf (escaped)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from parcours.core import pdf
from parcours.core.spreadsheet import xlsx_cell
from parcours.esf.models import Claim
from parcours.esf.workflow import CLAIM_WORKFLOW

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def _rows(sheet, rows: list[list], *, header: bool = True, widths: tuple[int, ...] = ()) -> None:
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = xlsx_cell(sheet, row=r, column=c, value=value)
            if isinstance(value, (Decimal, float)):
                cell.number_format = MONEY_FORMAT
            if header and r == 1:
                cell.font = Font(bold=True)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _figures(claim: Claim) -> list[list]:
    operation, data = claim.operation, claim.data
    return [
        [_("Rubrique"), _("Valeur")],
        [_("Opération"), operation.operation_ref], [_("Intitulé"), operation.title],
        [_("Bénéficiaire"), operation.beneficiary.name],
        [_("Période du"), claim.date_from], [_("Période au"), claim.date_to],
        [_("État"), claim.get_state_display()],
        [_("Calculée le"), timezone.localtime(claim.computed_at).strftime("%d/%m/%Y %H:%M")],
        [_("Frais de personnel directs (€)"), claim.direct_staff_costs],
        [_("Taux forfaitaire de 40 % (€)"), claim.flat_rate_costs],
        [_("Total éligible (€)"), claim.total_eligible],
        [_("Taux FSE+"), data.get("esf_rate")],
        [_("FSE+ dû (€)"), claim.esf_due],
        [_("Rendez-vous sans durée"), data.get("appointments_without_duration")],
        [_("Référent·es sans coût pour une année"), ", ".join(data.get("referents_without_cost", []))],
        [_("Participant·es écarté·es par le contrôle"), len(claim.excluded_participants)],
        [_("Date du paiement"), claim.paid_on], [_("Montant payé (€)"), claim.paid_amount],
    ]


def _annex(claim: Claim) -> list[list]:
    return [[_("Référent·e"), _("Minutes"), _("Heures"), _("Frais de personnel (€)")]] + [
        [r["referent"], r["minutes"], Decimal(str(r["hours"])), Decimal(str(r["staff_cost"]))]
        for r in claim.data.get("referents", [])]


def _sample(claim: Claim) -> list[list]:
    return [[_("Participation"), _("Entrée"), _("Sortie"), _("Résultat"), _("Motif du rejet"), _("Commentaire")]] + [
        [item.participation.participation_ref, item.participation.entry_date, item.participation.exit_date,
         item.get_outcome_display(), item.get_rejection_reason_display(), item.comment]
        for item in claim.sample.select_related("participation")]


def _log(claim: Claim) -> list[list]:
    return [[_("Le"), _("Par"), _("Action"), _("Vers l'état"), _("Détails")]] + [
        [timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M"), str(row.actor),
         str(CLAIM_WORKFLOW.transitions[row.transition].label), CLAIM_WORKFLOW.state_label(row.to_state),
         "; ".join(f"{k} : {v}" for k, v in row.data.items())]
        for row in claim.transitions.select_related("by")]


def claim_xlsx(claim: Claim) -> bytes:
    workbook = Workbook()
    figures = workbook.active
    figures.title = _("Demande de paiement")[:31]
    _rows(figures, _figures(claim), widths=(44, 40))
    for row in (5, 6, 17):
        figures.cell(row=row, column=2).number_format = "DD/MM/YYYY"
    figures.cell(row=12, column=2).number_format = "0.00%"
    _rows(workbook.create_sheet(_("Annexe par référent")[:31]), _annex(claim), widths=(40, 12, 12, 24))
    _rows(workbook.create_sheet(_("Échantillon")[:31]), _sample(claim), widths=(40, 12, 12, 14, 40, 40))
    _rows(workbook.create_sheet(_("Journal du contrôle")[:31]), _log(claim), widths=(18, 30, 34, 22, 60))
    workbook.properties.title = f"{_('Demande de paiement')} {claim.operation.operation_ref}"
    workbook.properties.creator = "Parcours"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------------------

def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, float):
        return f"{value * 100:.2f} %".replace(".", ",")
    return str(value)


def _pdf_table(title: str, rows: list[list], widths: list[float]) -> list:
    styles = pdf.styles()
    header = styles["cell"].clone("ParcoursClaimHeader", fontName=pdf.FONT_BOLD)
    cells = [[pdf.text(_display(v) if not isinstance(v, str) else v, "cell") for v in row] for row in rows[1:]]
    body = [[Paragraph(escape(str(v)), header) for v in rows[0]]] + cells
    if len(body) == 1:
        body.append([pdf.text(_("Aucun élément."), "cell")] + [pdf.text("", "cell")] * (len(rows[0]) - 1))
    table = PdfTable(body, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Paragraph(escape(title), styles["h2"]), table, Spacer(1, 0.3 * cm)]


def claim_story(claim: Claim) -> list:
    operation = claim.operation
    title = _("Demande de paiement FSE+ — %(ref)s, du %(start)s au %(end)s") % {
        "ref": operation.operation_ref, "start": _display(claim.date_from), "end": _display(claim.date_to)}
    figures = [[label, _display(value)] for label, value in _figures(claim)[1:]]
    return [pdf.text(title, "title"),
            *_pdf_table(_("Montants"), [[_("Rubrique"), _("Valeur")]] + figures, [8, 9]),
            *_pdf_table(_("Annexe : temps éligible par référent·e"), _annex(claim), [7, 3, 3, 4]),
            *_pdf_table(_("Contrôle de service fait : l'échantillon"), _sample(claim), [4.5, 2.2, 2.2, 2.4, 3.2, 2.5]),
            *_pdf_table(_("Journal du contrôle"), _log(claim), [2.8, 3.5, 3.5, 2.7, 4.5])]


def claim_pdf(claim: Claim) -> bytes:
    return pdf.render(claim_story(claim))
