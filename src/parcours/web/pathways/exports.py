"""The caseload as a file: a CSV for French spreadsheets (`;`, French headers) or an XLSX, never a formula."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from parcours.core.spreadsheet import csv_cell, xlsx_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(pathways) -> tuple[list[str], list[list]]:
    header = [_("Nom"), _("Prénom"), _("Date de naissance"), _("Commune"), _("QPV"), _("État"), _("Entrée"),
              _("Dernier contact"), _("Référent·e"), _("Structure référente")]
    rows = []
    for p in pathways:
        person = p.participant
        rows.append([person.last_name, person.first_name, person.birth_date,
                     person.commune.name if person.commune_id else "", _("oui") if person.qpv_id else _("non"),
                     p.get_status_display(), p.entry_date, p.last_contact_date,
                     p.referent.get_full_name() if p.referent_id else "", p.operator.name if p.operator_id else ""])
    return header, rows


def caseload_file(pathways, fmt: str) -> tuple[bytes, str]:
    header, rows = _rows(pathways)
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = _("Participants")
        for column, name in enumerate(header, start=1):
            xlsx_cell(sheet, row=1, column=column, value=name).font = Font(bold=True)
        for row_number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = xlsx_cell(sheet, row=row_number, column=column, value=value)
                if hasattr(value, "isoformat"):
                    cell.number_format = "DD/MM/YYYY"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), XLSX_TYPE
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else csv_cell(value or "")
                         for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
