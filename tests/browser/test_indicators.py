"""The coordinator's indicators page in the browser: menu, period, filter, quick periods, charts, exports."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.reporting.dataset import import_dataset

from .helpers import NARROWEST, PHONE, assert_accessible, follow, login, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(tmp_path, territory, plie):
    import_dataset(tmp_path / "set", territory)
    return factories.UserFactory(first_name="Claire", membership=(plie, "coordinator"))


def test_the_coordinator_reads_and_exports_the_indicators(page, coordinator):
    login(page, coordinator)
    follow(page, page.get_by_role("link", name="Indicateurs", exact=True), context="indicateurs, année en cours")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consolidation quantitative")

    page.get_by_label("Du", exact=True).fill("2024-01-01")
    page.get_by_label("Au", exact=True).fill("2024-12-31")
    follow(page, page.get_by_role("button", name="Afficher les indicateurs"), context="indicateurs 2024")
    expect(page.get_by_role("row", name="Entrées en parcours")).to_contain_text("5")
    expect(page.get_by_role("row", name="Taux de sorties positives").first).to_contain_text("50,0")
    # Charts are images with a text alternative listing their values.
    expect(page.get_by_role("img", name="Entrées par sexe — Part des entrées")).to_be_visible()

    chosen = page.get_by_label("Structure référente").select_option(label="Maison de l'emploi")
    follow(page, page.get_by_role("button", name="Afficher les indicateurs"), context="indicateurs filtrés")
    expect(page.get_by_role("row", name="Entrées en parcours")).to_contain_text("1")

    # A quick period keeps the structure filter.
    follow(page, page.get_by_role("navigation", name="Périodes rapides").get_by_role("link", name="2025"),
           context="période rapide 2025")
    expect(page.get_by_label("Structure référente")).to_have_value(chosen[0])
    assert "date_from=2025-01-01" in page.url

    follow(page, page.get_by_role("navigation", name="Périodes rapides").get_by_role("link", name="2024"),
           context="période rapide 2024")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "indicateurs-2024-01-01-2024-12-31.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert "Synthèse des résultats" in book.sheetnames
    for fmt, start in (("CSV", "\ufeffIndicateur;Valeur;Clé".encode()), ("PDF", b"%PDF")):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=fmt, exact=False).first.click()
        assert download_info.value.suggested_filename == f"indicateurs-2024-01-01-2024-12-31.{fmt.lower()}"
        assert Path(download_info.value.path()).read_bytes().startswith(start)


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["375px", "320px"])
def test_the_page_reads_on_a_phone_without_scrolling_sideways(page, coordinator, viewport):
    page.set_viewport_size(viewport)
    login(page, coordinator)
    visit(page, "/indicateurs/?date_from=2024-01-01&date_to=2024-12-31", context=f"indicateurs, {viewport['width']}px")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    expect(page.get_by_role("img", name="Entrées par sexe — Part des entrées")).to_be_visible()


def test_a_bad_period_is_explained_next_to_the_field(page, coordinator):
    login(page, coordinator)
    page.goto("/indicateurs/?date_from=2024-12-31&date_to=2024-01-01")
    assert_accessible(page, context="indicateurs, période inversée")
    expect(page.get_by_label("Au", exact=True)).to_have_accessible_description(
        "La date de fin précède la date de début.", ignore_case=False)
