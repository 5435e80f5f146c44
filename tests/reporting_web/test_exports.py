"""XLSX, CSV and PDF exports of the indicators page: same selection, same figures, no personal name in file names."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from parcours.organisations.models import Organisation
from tests.interchange.helpers import run
from tests.reporting_web.conftest import YEAR_2024

SHEETS = ["Synthèse des résultats", "Caractéristiques des entrées", "Caractéristiques des sorties",
          "Le contenu des parcours", "Évolution année par année"]


def export(client, user, fmt, params=YEAR_2024):
    client.force_login(user)
    return client.get(f"/indicateurs/export.{fmt}", params)


def test_xlsx_has_one_sheet_per_group_with_numbers_and_the_filters(client, coordinator, dataset):
    response = export(client, coordinator, "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicateurs-2024-01-01-2024-12-31.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEETS
    cells = {row[0]: row[1:] for row in book["Synthèse des résultats"].iter_rows(values_only=True) if row[0]}
    assert cells["Entrées en parcours"][0] == 5
    assert cells["Taux de sorties positives"][0] == 0.5
    assert any("01/01/2024" in str(value) for value in cells)  # the period in the header rows


def test_csv_holds_the_indicators_command_figures_for_a_french_spreadsheet(client, coordinator, dataset):
    response = export(client, coordinator, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffIndicateur;Valeur;Clé\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[1:]
    code, out, err = run("indicators", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv")
    assert code == 0, err
    command_rows = [row for row in csv.reader(io.StringIO(out))][1:]
    # The same figures as the command, in its order, the decimal point a comma.
    assert [[row[2], row[1]] for row in rows] == [[key, value.replace(".", ",")] for key, value in command_rows]
    assert all(row[0] and row[0] != row[2] for row in rows), "every key has its French label"
    by_key = {row[2]: row for row in rows}
    assert by_key["entries"][:2] == ["Entrées en parcours", "5"]
    assert by_key["rates.positive_exit_rate"][1] == "0,5"
    assert not any("." in row[1] for row in rows)


def test_csv_names_the_filter_applied(client, coordinator, dataset):
    maison = Organisation.objects.get(name="Maison de l'emploi")
    response = export(client, coordinator, "csv", {**YEAR_2024, "operator": maison.pk})
    rows = {row[2]: row for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")}
    assert rows["filters.operator"][:2] == ["Structure référente", "Maison de l'emploi"]
    assert rows["entries"][1] == "1"


def test_pdf_is_laid_out_like_the_national_report(client, coordinator, dataset):
    response = export(client, coordinator, "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Consolidation quantitative" in text and "du 01/01/2024 au 31/12/2024" in text
    for heading in ["Synthèse des résultats", "2.1", "2.2", "2.3"]:
        assert heading in text


def test_pdf_prints_a_scripted_structure_name_as_text(client, coordinator, dataset):
    maison = Organisation.objects.get(name="Maison de l'emploi")
    Organisation.objects.filter(pk=maison.pk).update(name="<b>Maison</b> & <script>x</script>")
    response = export(client, coordinator, "pdf", {**YEAR_2024, "operator": maison.pk})
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "<b>Maison</b> & <script>x</script>" in text


def test_bad_filters_give_the_page_with_errors_not_a_file(client, coordinator):
    response = export(client, coordinator, "xlsx", {"date_from": "2024-12-31", "date_to": "2024-01-01"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "La date de fin précède la date de début." in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "exe", "XLSX"])
def test_an_unknown_format_is_not_found(client, coordinator, fmt):
    assert export(client, coordinator, fmt).status_code == 404


def test_export_json_figures_match_the_command(client, coordinator, dataset):
    """The PDF/XLSX/CSV come from the same report as the page: cross-check the synthesis against the command."""
    code, out, _ = run("indicators", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json")
    figures = json.loads(out)
    book = load_workbook(io.BytesIO(export(client, coordinator, "xlsx").content))
    cells = {row[0]: row[1] for row in book["Synthèse des résultats"].iter_rows(values_only=True) if row[0]}
    assert cells["Participant·es en parcours sur la période"] == figures["participants_in_pathway"]
    assert cells["Sorties positives"] == figures["exits"]["positive"]


FORMULAS = ["=HYPERLINK(\"http://example.org\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("name", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_a_name_that_reads_as_a_formula_stays_text_in_csv_and_xlsx(client, coordinator, dataset, name):
    maison = Organisation.objects.get(name="Maison de l'emploi")
    Organisation.objects.filter(pk=maison.pk).update(name=name)
    rows = list(csv.reader(io.StringIO(export(client, coordinator, "csv", {**YEAR_2024, "operator": maison.pk})
                                       .content.decode("utf-8-sig")), delimiter=";"))
    assert rows[[r[2] for r in rows].index("filters.operator")][1] == "'" + name
    book = load_workbook(io.BytesIO(export(client, coordinator, "xlsx", {**YEAR_2024, "operator": maison.pk}).content))
    # Exactly the name (XML keeps a leading carriage return as a line break: compared without the white space).
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.strip() == name.strip()]
    assert cells, "the name is in the workbook"
    assert all(cell.data_type == "s" for cell in cells)
    assert not [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"], "no formula anywhere in the workbook"


def test_ordinary_names_and_numbers_are_left_as_they_are():
    from parcours.core.spreadsheet import csv_cell

    assert [csv_cell(v) for v in ("Maison de l'emploi", "a=b", 5, -3, None, "")] == [
        "Maison de l'emploi", "a=b", 5, -3, None, ""]
