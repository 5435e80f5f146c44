"""The social clauses facilitator in the browser: the contracts, a contract's statements, entering one, the figures
of a period; axe on every page."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.clauses.dataset import clauses_set
from tests.esf.dataset import imported

from .helpers import follow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def facilitator(tmp_path, territory, plie):
    imported(clauses_set(tmp_path / "set"))
    return factories.UserFactory(first_name="Farida", membership=(plie, "facilitator"))


def test_the_facilitator_follows_a_contract_and_enters_a_month(page, facilitator):
    login(page, facilitator)
    follow(page, page.get_by_role("link", name="Clauses sociales", exact=True), context="marchés à clause sociale")
    expect(page.get_by_role("heading", level=1)).to_have_text("Marchés à clause sociale")
    page.get_by_label("Acheteur").select_option(label="Assemblia")
    follow(page, page.get_by_role("button", name="Filtrer"), context="marchés d'un acheteur")
    expect(page.get_by_role("row", name="M-2 — Entretien des espaces verts")).to_contain_text("210,07")

    follow(page, page.get_by_role("link", name="M-2", exact=True), context="un marché et ses relevés")
    expect(page.get_by_role("row", name="03/2025")).to_contain_text("140,00")
    follow(page, page.get_by_role("link", name="Saisir un relevé d'heures"), context="saisie d'un relevé")
    page.get_by_label("Bénéficiaire").select_option(label="BE-2")
    page.get_by_label("Mois (AAAA-MM)").fill("2025-04")
    page.get_by_label("Modalité de réalisation").select_option(label="GEIQ")
    page.get_by_label("Type de contrat de travail").select_option(label="Contrat de professionnalisation")
    page.get_by_label("Heures").fill("151.67")
    follow(page, page.get_by_role("button", name="Enregistrer le relevé"), context="relevé enregistré")
    expect(page.get_by_role("row", name="04/2025")).to_contain_text("151,67")

    follow(page, page.get_by_role("link", name="Marchés à clause sociale"), context="retour aux marchés")
    follow(page, page.get_by_role("link", name="Chiffres des clauses sociales d'une période"), context="chiffres")
    page.get_by_label("Du").fill("2025-01-01")
    page.get_by_label("Au").fill("2025-06-30")
    follow(page, page.get_by_role("button", name="Afficher"), context="chiffres du premier semestre 2025")
    expect(page.get_by_role("row", name="Heures d'insertion")).to_contain_text("726,36")   # 574.69 + 151.67


def test_the_facilitator_records_a_buyer_a_contract_and_a_beneficiary(page, territory, plie):
    facilitator = factories.UserFactory(first_name="Farida", membership=(plie, "facilitator"))
    participant = factories.PathwayFactory(participant__territory=territory).participant
    login(page, facilitator)
    follow(page, page.get_by_role("link", name="Clauses sociales", exact=True), context="marchés à clause sociale")
    follow(page, page.get_by_role("link", name="Nouvel acheteur public"), context="nouvel acheteur")
    page.get_by_label("Identifiant de l'acheteur").fill("B-RIOM")
    page.get_by_label("Nom").fill("Ville de Riom")
    page.get_by_label("Type d'acheteur").select_option(label="Commune")
    follow(page, page.get_by_role("button", name="Enregistrer l'acheteur"), context="acheteur enregistré")

    follow(page, page.get_by_role("link", name="Nouveau marché à clause sociale"), context="nouveau marché")
    page.get_by_label("Numéro du marché").fill("M-RIOM-1")
    page.get_by_label("Acheteur").select_option(label="Ville de Riom")
    page.get_by_label("Objet du marché (et lot)").fill("Rénovation de l'école, lot 1")
    page.get_by_label("Fondement juridique").select_option(value="execution_condition")
    page.get_by_label("SIRET de l'attributaire").fill("732 829 320 00074")
    page.get_by_label("Attributaire (raison sociale)").fill("BTP Auvergne")
    page.get_by_label("Montant HT (€)").fill("1000000")
    page.get_by_label("Début d'exécution").fill("2025-01-15")
    page.get_by_label("Fin d'exécution").fill("2025-12-31")
    follow(page, page.get_by_role("button", name="Calculer les heures"), context="heures calculées")
    expect(page.get_by_role("status")).to_contain_text("Heures proposées : 667")
    expect(page.get_by_label("Heures d'insertion prévues")).to_have_value("667")
    page.get_by_label("Heures d'insertion prévues").fill("700")    # the facilitator changes the proposal
    follow(page, page.get_by_role("button", name="Enregistrer le marché"), context="marché enregistré")
    expect(page.get_by_role("heading", level=1)).to_have_text("M-RIOM-1 — Rénovation de l'école, lot 1")

    follow(page, page.get_by_role("link", name="Marchés à clause sociale"), context="retour aux marchés")
    follow(page, page.get_by_role("link", name="Bénéficiaires des clauses"), context="bénéficiaires")
    follow(page, page.get_by_role("link", name="Nouveau ou nouvelle bénéficiaire"), context="nouveau bénéficiaire")
    page.get_by_label("Identifiant du ou de la bénéficiaire").fill("BE-RIOM-1")
    page.get_by_label("Numéro de dossier PLIE").fill(f"P{participant.pk}")
    page.get_by_label("Sexe").select_option(value="F")
    page.get_by_label("Date de naissance").fill("1980-05-17")
    page.get_by_label("Participant·e du PLIE").check()
    page.get_by_label("Date de vérification de l'éligibilité").fill("2025-02-03")
    follow(page, page.get_by_role("button", name="Enregistrer le ou la bénéficiaire"), context="bénéficiaire")
    expect(page.get_by_role("row", name="BE-RIOM-1")).to_contain_text(participant.last_name)

    follow(page, page.get_by_role("link", name="Marchés à clause sociale"), context="retour aux marchés")
    follow(page, page.get_by_role("link", name="M-RIOM-1", exact=True), context="le marché")
    follow(page, page.get_by_role("link", name="Saisir un relevé d'heures"), context="saisie d'un relevé")
    page.get_by_label("Bénéficiaire").select_option(label="BE-RIOM-1")
    page.get_by_label("Mois (AAAA-MM)").fill("2025-03")
    page.get_by_label("Modalité de réalisation").select_option(label="Embauche directe")
    page.get_by_label("Type de contrat de travail").select_option(label="CDD")
    page.get_by_label("Heures").fill("120")
    follow(page, page.get_by_role("button", name="Enregistrer le relevé"), context="relevé enregistré")
    expect(page.get_by_role("row", name="03/2025")).to_contain_text("120,00")

    # The buyer's report, downloaded and read.
    with page.expect_download() as download:
        page.get_by_role("link", name="tableur (XLSX)").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True)}
    assert summary["Marché"] == "M-RIOM-1" and summary["Heures d'insertion prévues"] == 700
    assert participant.last_name not in str(list(book["Synthèse"].iter_rows(values_only=True)))
