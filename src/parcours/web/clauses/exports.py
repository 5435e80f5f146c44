"""The report to the buyer on one contract, as XLSX and PDF: the contract, its hours to date against those required,
the forecast at the end, the hours by month and by modality, the people counted (no one named). XLSX text is
written through core.spreadsheet (never a formula); PDF text through core.pdf (escaped)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from parcours.clauses.enums import Modality
from parcours.clauses.selectors import BuyerReport
from parcours.core import pdf
from parcours.core.spreadsheet import xlsx_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOURS_FORMAT = "#,##0.00"


def _rate(report: BuyerReport) -> str:
    return "—" if report.completion_rate is None else f"{float(report.completion_rate) * 100:.0f} %"


def _summary(report: BuyerReport) -> list[list]:
    contract = report.contract
    return [
        [_("Rubrique"), _("Valeur")],
        [_("Acheteur"), contract.buyer.name], [_("Marché"), contract.contract_ref], [_("Objet"), contract.title],
        [_("Fondement juridique"), contract.get_legal_basis_display()],
        [_("Attributaire"), f"{contract.awardee_name} (SIRET {contract.awardee_siret})"],
        [_("Début d'exécution"), contract.start_date], [_("Fin d'exécution"), contract.end_date or "—"],
        [_("Arrêté au"), report.today],
        [_("Heures d'insertion prévues"), contract.hours_required],
        [_("Heures réalisées"), report.worked],
        [_("Taux de réalisation"), _rate(report)],
        [_("Prévision en fin de marché"), report.forecast if report.forecast is not None else "—"],
        [_("Équivalents temps plein (heures ÷ 1607)"), report.fte],
        [_("Personnes ayant travaillé les heures"), report.beneficiaries],
        [_("dont femmes"), report.women], [_("dont participant·es du PLIE"), report.plie_participants],
        [_("Employeurs"), report.employers],
    ]


def _months(report: BuyerReport) -> list[list]:
    return [[_("Mois"), _("Heures")]] + [[month.strftime("%m/%Y"), hours] for month, hours in report.by_month]


def _modalities(report: BuyerReport) -> list[list]:
    return [[_("Modalité de réalisation"), _("Heures")]] + [[str(Modality(code).label), hours]
                                                             for code, hours in report.by_modality]


def buyer_report_xlsx(report: BuyerReport) -> bytes:
    book = Workbook()
    sheets = [(book.active, _("Synthèse"), _summary(report)), (None, _("Par mois"), _months(report)),
              (None, _("Par modalité"), _modalities(report))]
    for sheet, title, rows in sheets:
        sheet = sheet if sheet is not None else book.create_sheet()
        sheet.title = title
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                cell = xlsx_cell(sheet, row=r, column=c, value=value)
                if isinstance(value, (Decimal, float)):
                    cell.number_format = HOURS_FORMAT
                if r == 1:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 42
        sheet.column_dimensions["B"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value) -> str:
    if isinstance(value, (Decimal, float)):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _table(rows: list[list]) -> PdfTable:
    table = PdfTable([[pdf.text(_number(v), "cell") for v in row] for row in rows], colWidths=[8 * cm, 9 * cm],
                     repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    return table


def buyer_report_story(report: BuyerReport) -> list:
    contract = report.contract
    return [
        pdf.text(_("Clause sociale : bilan pour l'acheteur"), "title"),
        pdf.text(f"{contract.contract_ref} — {contract.title}", "h1"),
        _table(_summary(report)), Spacer(1, 0.5 * cm),
        pdf.text(_("Heures par mois"), "h2"), _table(_months(report)), Spacer(1, 0.5 * cm),
        pdf.text(_("Heures par modalité de réalisation"), "h2"), _table(_modalities(report)),
        pdf.text(_("Prévision : les heures des mois écoulés divisées par le nombre de mois écoulés depuis le mois de "
                   "début, multipliées par le nombre de mois du marché. Aucune personne n'est nommée."), "small"),
    ]


def buyer_report_pdf(report: BuyerReport) -> bytes:
    return pdf.render(buyer_report_story(report))
