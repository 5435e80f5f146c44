"""The territory's places in the browser: the coordinator adds a permanence and corrects its hours; a referent
finds it by a word typed without its accent; axe on every page (follow and login check each)."""

import pytest
from playwright.sync_api import expect

from parcours.territory.models import Helpdesk
from tests import factories

from .helpers import follow, login

pytestmark = pytest.mark.browser


def test_the_team_adds_a_permanence_and_a_referent_finds_it(page, territory, coordinator, operator, referent):
    Helpdesk.objects.create(territory=territory, name="Agence du PLIE", kind="agency", address="64 bd Léon-Jouhaux")
    login(page, coordinator)
    follow(page, page.get_by_role("link", name="Lieux d'accueil", exact=True), context="les lieux du territoire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lieux d'accueil et permanences")
    follow(page, page.get_by_role("link", name="Ajouter un lieu"), context="ajout d'un lieu")
    page.get_by_label("Nom", exact=True).fill("Permanence des Vergnes")
    page.get_by_label("Type de lieu").select_option(label="Permanence")
    page.get_by_label("Structure qui accueille").select_option(label=operator.name)
    page.get_by_label("Téléphone", exact=True).fill("04 73 00 00 00")
    page.get_by_label("Horaires d'ouverture").fill("mardi, 9 h – 12 h")
    page.get_by_label("Ce qui y est proposé").fill("Entretiens avec un référent, accès numérique")
    follow(page, page.get_by_role("button", name="Enregistrer le lieu"), context="lieu enregistré")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Permanence des Vergnes"))
    expect(card).to_contain_text("mardi, 9 h – 12 h")

    follow(page, card.get_by_role("link", name="Modifier le lieu Permanence des Vergnes"), context="modifier un lieu")
    page.get_by_label("Horaires d'ouverture").fill("mardi et jeudi, 9 h – 12 h")
    follow(page, page.get_by_role("button", name="Enregistrer le lieu"), context="lieu corrigé")
    expect(card).to_contain_text("mardi et jeudi, 9 h – 12 h")

    page.context.clear_cookies()
    login(page, referent)
    follow(page, page.get_by_role("link", name="Lieux d'accueil", exact=True), context="les lieux, pour un référent")
    expect(page.get_by_role("link", name="Ajouter un lieu")).to_have_count(0)
    page.get_by_label("Nom, adresse ou service proposé").fill("numerique")
    follow(page, page.get_by_role("button", name="Filtrer"), context="lieux filtrés")
    expect(page.get_by_role("heading", level=2)).to_have_text(["Permanence des Vergnes"])
    expect(page.get_by_role("link", name="04 73 00 00 00")).to_have_attribute("href", "tel:+33473000000")


def test_a_person_of_another_territory_does_not_see_them(page, territory):
    Helpdesk.objects.create(territory=territory, name="Agence du PLIE", kind="agency")
    elsewhere = factories.TerritoryFactory(name="Autre territoire")
    stranger = factories.UserFactory(membership=(factories.OrganisationFactory(territory=elsewhere, operator=True),
                                                 "referent"))
    login(page, stranger)
    follow(page, page.get_by_role("link", name="Lieux d'accueil", exact=True), context="aucun lieu")
    expect(page.get_by_text("Aucun lieu ne répond à ces critères.")).to_be_visible()
