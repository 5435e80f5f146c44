"""The employer-relations officer in the browser: records an employer (a SIRET typed with spaces, its NAF division),
adds a contact, records a visit; a referent finds it by its sector; axe on every page (follow and login check each)."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .helpers import follow, login

pytestmark = pytest.mark.browser


def test_the_officer_builds_the_portfolio_and_a_referent_reads_it(page, territory, plie, referent):
    officer = factories.UserFactory(first_name="Olivia", membership=(plie, "employer_relations"))
    factories.EmployerFactory(territory=territory, name="BTP Volcans")
    login(page, officer)
    follow(page, page.get_by_role("link", name="Employeurs", exact=True), context="le portefeuille d'employeurs")
    follow(page, page.get_by_role("link", name="Enregistrer un employeur"), context="nouvel employeur")
    page.get_by_label("SIRET", exact=True).fill("732 829 320 00074")
    page.get_by_label("Raison sociale").fill("Ehpad Les Cèdres")
    page.get_by_label("Secteur d'activité (division NAF)").select_option(value="87")
    page.get_by_label("Taille").select_option(label="Moyenne entreprise (50 à 249 salariés)")
    page.get_by_label("Relation").select_option(label="Partenaire")
    follow(page, page.get_by_role("button", name="Enregistrer l'employeur"), context="l'employeur enregistré")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ehpad Les Cèdres")
    expect(page.get_by_text("87 — Hébergement médico-social et social")).to_be_visible()

    page.get_by_label("Nom et prénom").fill("Claire Martin")
    page.get_by_label("Fonction").fill("Directrice des soins")
    follow(page, page.get_by_role("button", name="Ajouter le contact"), context="contact ajouté")
    page.get_by_label("Type d'échange").select_option(label="Visite en entreprise")
    page.get_by_label("Avec").select_option(label="Claire Martin")
    page.get_by_label("Compte rendu").fill("Trois postes d'agent·e de service hospitalier en mars")
    follow(page, page.get_by_role("button", name="Enregistrer l'échange"), context="échange enregistré")
    expect(page.get_by_text("Trois postes d'agent·e de service hospitalier en mars")).to_be_visible()

    page.context.clear_cookies()
    login(page, referent)
    follow(page, page.get_by_role("link", name="Employeurs", exact=True), context="les employeurs, pour un référent")
    page.get_by_label("Secteur d'activité (section NAF)").select_option(value="Q")
    follow(page, page.get_by_role("button", name="Filtrer"), context="employeurs de la santé et de l'action sociale")
    expect(page.get_by_role("row", name="Ehpad Les Cèdres")).to_contain_text("Partenaire")
    expect(page.get_by_role("row", name="BTP Volcans")).to_have_count(0)
    follow(page, page.get_by_role("link", name="Ehpad Les Cèdres"), context="un employeur, pour un référent")
    expect(page.get_by_role("button", name="Enregistrer l'échange")).to_have_count(0)
