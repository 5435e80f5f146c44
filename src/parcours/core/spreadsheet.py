"""Text written into a spreadsheet (CSV, XLSX) so that it never runs as a formula in its reader's program.

A name that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel or LibreOffice
(OWASP, "CSV injection"): `=HYPERLINK(...)` in a structure's name would become a live link in the export of
whoever opens it. CSV cells of that kind get a leading apostrophe, which spreadsheet programs read as "this is
text"; XLSX cells are stored as strings, never as formulas, and keep their text exactly.

The interchange format (docs/spec) is not a spreadsheet export: its files carry names exactly, for a machine.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """The value for a CSV cell: text that a spreadsheet would read as a formula is marked as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cell(sheet: Any, *, row: int, column: int, value: Any) -> Any:
    """Write `value` into an openpyxl sheet's cell; text is stored as text (openpyxl makes "=…" a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
