"""The Mission Locale in the browser: the desk records a first reception (and is shown the file when the same young
person comes back), the adviser finds the young person among theirs, records an interview, an
immersion and a housing theme; axe on every page (follow and login check each), at 1280 and 375 pixels."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

from .helpers import PHONE, assert_accessible, follow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def mission_locale(territory):
    return factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["1280px", "375px"])
def test_a_first_reception_then_the_advisers_file(page, territory, mission_locale, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    desk = factories.UserFactory(first_name="Yanis", last_name="Accueil", membership=(mission_locale, "youth_reception"))
    adviser = factories.UserFactory(first_name="Inès", last_name="Conseil", membership=(mission_locale, "youth_adviser"))
    today = timezone.localdate()
    born = datetime.date(today.year - 19, 3, 12)

    login(page, desk)
    follow(page, page.get_by_role("link", name="Premier accueil", exact=True), context="premier accueil")

    def fill_reception():
        page.get_by_label("Nom", exact=True).fill("Benali")
        page.get_by_label("Prénom", exact=True).fill("Sofia")
        page.get_by_label("Femme").check()
        page.get_by_label("Date de naissance").fill(born.isoformat())
        page.get_by_label("Téléphone", exact=True).fill("06 12 34 56 78")
        page.get_by_label("Motif de la venue").select_option(label="trouver une alternance")
        page.get_by_label("Orienté·e par").select_option(label="France Travail")

    fill_reception()
    page.get_by_label("Conseiller·ère").select_option(label="Inès Conseil")
    follow(page, page.get_by_role("button", name="Enregistrer le premier accueil"), context="le dossier, à l'accueil")
    expect(page.get_by_role("heading", level=1)).to_have_text("BENALI Sofia")
    expect(page.get_by_text("Inès Conseil")).to_be_visible()
    expect(page.get_by_role("heading", name="Événements")).to_have_count(0)

    # She comes back a week later: the desk is shown her file instead of making a second one.
    follow(page, page.get_by_role("link", name="Premier accueil", exact=True), context="premier accueil, à nouveau")
    fill_reception()
    with page.expect_navigation(wait_until="load") as refused:   # answered 400, the form given back
        page.get_by_role("button", name="Enregistrer le premier accueil").click()
    assert refused.value.status == 400
    assert_accessible(page, "doublon signalé")
    expect(page.get_by_role("heading", name="Ce jeune a peut-être déjà un dossier")).to_be_visible()

    page.context.clear_cookies()
    login(page, adviser)
    follow(page, page.get_by_role("link", name="Jeunes", exact=True), context="mes jeunes")
    follow(page, page.get_by_role("link", name="BENALI Sofia"), context="le dossier, pour la conseillère")

    page.get_by_label("Nature").select_option(label="entretien individuel")
    page.get_by_label("Durée (minutes)").fill("45")
    page.get_by_label("Compte rendu").fill("Projet d'apprentissage en boulangerie.")
    follow(page, page.get_by_role("button", name="Enregistrer l'événement"), context="entretien enregistré")
    expect(page.get_by_text("Projet d'apprentissage en boulangerie.")).to_be_visible()

    page.get_by_label("Situation", exact=True).select_option(label="immersion en entreprise (PMSMP)")
    page.get_by_label("Début", exact=True).fill(today.isoformat())
    page.get_by_label("Objet de l'immersion (PMSMP)").select_option(label="confirmer un projet")
    follow(page, page.get_by_role("button", name="Enregistrer la situation"), context="immersion enregistrée")
    expect(page.get_by_role("row", name="Immersion en entreprise (PMSMP)")).to_contain_text("Confirmer un projet")

    page.get_by_label("Thème", exact=True).select_option(label="logement")
    follow(page, page.get_by_role("button", name="Ouvrir le thème"), context="thème ouvert")
    expect(page.get_by_text("Logement — ouvert depuis le")).to_be_visible()

    if viewport:
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
