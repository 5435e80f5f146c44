"""Exports of a report: XLSX (one sheet per group of figures), CSV for French spreadsheets (label, value with a
decimal comma, the CLI's dotted key) and a printable PDF laid out like section 2 of the national consolidation.

Only aggregated figures leave here; file names hold the period only.
"""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

from parcours.core import pdf
from parcours.core.spreadsheet import csv_cell, xlsx_cell
from parcours.plie.enums import ExitReason

from .figures import COUNT, DECIMAL, PERCENT, Table, display, flatten, label, months, ratio
from .report import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {COUNT: "#,##0", PERCENT: "0.0%", DECIMAL: "0.00"}
BRAND = "1B4F8A"


# CSV ---------------------------------------------------------------------------------------------

def _french_number(value) -> str:
    """A figure as a French spreadsheet reads it: decimal comma, no thousands separator (it stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return str(value).replace(".", ",") if isinstance(value, (int, float)) else csv_cell(str(value))


def report_csv(report: Report) -> bytes:
    """The figures for a French spreadsheet: `Indicateur;Valeur;Clé`, one row a figure of
    `parcours indicators` — its French label, its value with a decimal comma, its dotted key.

    UTF-8 with a byte order mark, so that Excel reads the accents; `;` separates, as French spreadsheets expect
    of a CSV where the comma is the decimal mark; rates stay numbers between 0 and 1 (0,5).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Indicateur"), _("Valeur"), _("Clé")])
    for key, value in flatten(report.data):
        writer.writerow([label(key), _french_number(value), key])
    selection = report.selection
    # Names come from the people who type them: never a formula in the reader's spreadsheet.
    if selection.operator:
        writer.writerow([_("Structure référente"), csv_cell(selection.operator.name), "filters.operator"])
    if selection.referent:
        writer.writerow([_("Référent·e"), csv_cell(selection.referent.get_full_name()), "filters.referent"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# XLSX --------------------------------------------------------------------------------------------

def _write_table(sheet, row: int, table: Table) -> int:
    """Writes a table from `row`: caption, headers, rows; returns the next free row."""
    xlsx_cell(sheet, row=row, column=1, value=table.caption).font = Font(bold=True, size=12)
    row += 1
    for column, header in enumerate(table.columns, start=1):
        cell = xlsx_cell(sheet, row=row, column=column, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=BRAND)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row += 1
    for line in table.rows:
        xlsx_cell(sheet, row=row, column=1, value=line.header).font = Font(bold=line.group)
        for column, value in enumerate(line.cells, start=2):
            cell = xlsx_cell(sheet, row=row, column=column, value=value.value)
            cell.number_format = NUMBER_FORMATS.get(value.kind, "General")
            cell.font = Font(bold=line.group)
        row += 1
    if table.note:
        xlsx_cell(sheet, row=row, column=1, value=table.note).font = Font(italic=True)
        row += 1
    return row + 1


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in report.sections:
        # Sheet names: at most 31 characters, no "2.1" numbering.
        name = section.title.split(" ", 1)[1] if section.title[:1].isdigit() else section.title
        sheet = workbook.create_sheet(name[:31])
        sheet.column_dimensions["A"].width = 62
        for column in range(2, 6):
            sheet.column_dimensions[get_column_letter(column)].width = 22
        xlsx_cell(sheet, row=1, column=1, value=report.title).font = Font(bold=True, size=14)
        row = 2
        for filter_label, value in report.filters:
            xlsx_cell(sheet, row=row, column=1, value=filter_label)
            xlsx_cell(sheet, row=row, column=2, value=value)
            row += 1
        row += 1
        for table in section.tables:
            row = _write_table(sheet, row, table)
    workbook.properties.title = report.title
    workbook.properties.creator = "Parcours"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# PDF ---------------------------------------------------------------------------------------------

def _pdf_table(table: Table) -> list:
    styles = pdf.styles()
    header_style = styles["cell"].clone("ParcoursHeaderCell", fontName=pdf.FONT_BOLD, textColor=colors.white)
    bold = styles["cell"].clone("ParcoursBoldCell", fontName=pdf.FONT_BOLD)
    number = styles["cell"].clone("ParcoursNumberCell", alignment=2)
    number_bold = number.clone("ParcoursNumberBoldCell", fontName=pdf.FONT_BOLD)
    rows = [[Paragraph(escape(column), header_style) for column in table.columns]]
    group_rows = []
    for index, line in enumerate(table.rows, start=1):
        rows.append([Paragraph(escape(line.header), bold if line.group else styles["cell"])]
                    + [Paragraph(escape(cell.display), number_bold if line.group else number)
                       for cell in line.cells])
        if line.group:
            group_rows.append(index)
    first = 8.5 * cm if len(table.columns) > 2 else 11 * cm
    others = (17 * cm - first) / max(len(table.columns) - 1, 1)
    flowable = PdfTable(rows, colWidths=[first] + [others] * (len(table.columns) - 1), repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + BRAND)),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#e8eef6")) for r in group_rows]
    flowable.setStyle(TableStyle(commands))
    story = [KeepTogether([Paragraph(escape(table.caption), styles["h2"]), flowable])]
    if table.note:
        story.append(pdf.text(table.note, "small"))
    story.append(Spacer(1, 0.3 * cm))
    return story


def _synthesis_box(report: Report) -> PdfTable:
    """The report's "Synthèse des résultats" box, with this period's figures."""
    data = report.data
    exits, profile, entries = data["exits"], data["entries_profile"], data["entries"]
    positive = exits["positive"]
    by_reason = exits["by_reason"]

    def pct(part, whole):
        return display(ratio(part, whole), PERCENT)

    lines = [
        _("%(n)s personnes ont bénéficié d'un parcours PLIE.") % {"n": display(data["participants_in_pathway"], COUNT)},
        _("%(n)s sont entrées en parcours.") % {"n": display(entries, COUNT)},
        _("%(n)s parcours (soit %(rate)s des sorties) ont débouché sur une sortie positive : "
          "%(job)s sur un emploi durable et %(training)s sur une formation qualifiante.") % {
            "n": display(positive, COUNT), "rate": display(data["rates"]["positive_exit_rate"], PERCENT),
            "job": pct(by_reason.get(ExitReason.SUSTAINABLE_EMPLOYMENT.value, 0), positive),
            "training": pct(by_reason.get(ExitReason.QUALIFYING_TRAINING.value, 0), positive)},
        _("Le public entré : %(old)s ont 45 ans ou plus, %(women)s sont des femmes, %(rsa)s sont bénéficiaires "
          "du RSA, %(deld)s sont demandeur·ses d'emploi de longue durée, %(low)s sont peu ou pas qualifié·es.") % {
            "old": pct(profile["age_45_plus"], entries), "women": pct(profile["women"], entries),
            "rsa": pct(profile["rsa"], entries), "deld": pct(profile["deld"], entries),
            "low": pct(profile["no_qualification"] + profile["low_qualification"], entries)},
        _("La durée moyenne d'un parcours est de %(months)s mois.") % {
            "months": display(months(data["mean_pathway_duration_days"]), DECIMAL)},
    ]
    styles = pdf.styles()
    cell = [Paragraph(escape(_("Synthèse des résultats")), styles["h2"])] + [pdf.text(line) for line in lines]
    box = PdfTable([[cell]], colWidths=[17 * cm])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#" + BRAND)),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e8eef6")),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return box


def report_story(report: Report) -> list:
    """The flowables of the PDF: title, filters, synthesis box, then 2.1, 2.2, 2.3 and the evolution."""
    styles = pdf.styles()
    story = [Paragraph(escape(report.title), styles["title"])]
    for filter_label, value in report.filters:
        story.append(pdf.markup(f"<b>{escape(filter_label)} :</b> {escape(value)}", "small"))
    story.append(pdf.text(_("Édité le %(date)s avec Parcours.") % {
        "date": timezone.localdate().strftime("%d/%m/%Y")}, "small"))
    story += [Spacer(1, 0.4 * cm), _synthesis_box(report), Spacer(1, 0.4 * cm)]
    for section in report.sections[1:]:
        story.append(Paragraph(escape(section.title), styles["h1"]))
        if section.intro:
            story.append(pdf.text(section.intro))
        for table in section.tables:
            story += _pdf_table(table)
    return story


def report_pdf(report: Report, *, compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm, bottomMargin=1.8 * cm,
        title=report.title, author="Parcours", lang="fr", pageCompression=1 if compress else 0)
    document.build(report_story(report))
    return buffer.getvalue()
