"""The social clauses facilitator in the browser: the contracts, a contract's statements, entering one, the figures
of a period; axe on every page."""

import pytest
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
