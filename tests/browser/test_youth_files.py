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


def test_the_adviser_runs_a_pacea_of_two_phases_then_a_cej_through_the_collective_start(page, territory,
                                                                                        mission_locale):
    from parcours.youth.services import youth_file_receive

    adviser = factories.UserFactory(first_name="Inès", last_name="Conseil", membership=(mission_locale, "youth_adviser"))
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    youth_file = youth_file_receive(by=adviser, territory=territory, first_reception_date=today - 90 * days,
                                    values={"adviser": adviser}, person={
                                        "last_name": "Roche", "first_name": "Lucas", "sex": "M",
                                        "birth_date": datetime.date(today.year - 20, 5, 4)})
    login(page, adviser)
    page.goto(f"/mission-locale/jeunes/{youth_file.pk}/")
    assert_accessible(page, "dossier du jeune")

    def act(link: str, fields: dict[str, str], button: str, context: str):
        follow(page, page.get_by_role("link", name=link, exact=True), context=f"{context} (formulaire)")
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)
        follow(page, page.get_by_role("button", name=button), context=context)

    act("Enregistrer un diagnostic", {"Date du diagnostic": (today - 80 * days).isoformat(),
                                      "Situation, besoins et projet": "Hébergé chez un ami ; vise la logistique."},
        "Enregistrer le diagnostic", "diagnostic enregistré")
    act("Signer un PACEA", {"Date d'entrée (signature)": (today - 75 * days).isoformat()}, "Signer un PACEA",
        "PACEA signé")
    for number, (start, end, goal) in enumerate([(75, 45, "Se loger"), (44, 10, "Découvrir la logistique")], 1):
        act("Ajouter une phase", {"Début": (today - start * days).isoformat(),
                                  "Fin prévue": (today - end * days).isoformat(), "Objectifs": goal},
            "Enregistrer la phase", f"phase {number} enregistrée")
        act(f"Évaluer la phase {number}", {"Fin": (today - end * days).isoformat(), "Évaluation": "Atteint."},
            "Enregistrer l'évaluation", f"phase {number} évaluée")
    follow(page, page.get_by_role("link", name="Terminer le PACEA"), context="fin du PACEA (formulaire)")
    page.get_by_label("Date de fin").fill((today - 8 * days).isoformat())
    page.get_by_label("Situation à la sortie").select_option(label="en recherche d'emploi")
    page.get_by_label("Motif de fin").select_option(label="passage dans un autre dispositif")
    follow(page, page.get_by_role("button", name="Terminer"), context="PACEA terminé")

    follow(page, page.get_by_role("link", name="Entrer en CEJ", exact=True), context="entrée en CEJ (formulaire)")
    page.get_by_label("Date d'entrée (signature)").fill((today - 7 * days).isoformat())
    page.get_by_label("Entrée par le SAS collectif (cinq semaines)").check()
    follow(page, page.get_by_role("button", name="Entrer en CEJ"), context="entrée en CEJ")
    expect(page.get_by_role("heading", level=3, name="CEJ —")).to_contain_text("SAS collectif")
    expect(page.get_by_text("Phase 2, du")).to_be_visible()

    follow(page, page.get_by_role("link", name="Enregistrer une aide ou une allocation"), context="aide (formulaire)")
    page.get_by_label("Fonds").select_option(label="FAJ (fonds d'aide aux jeunes)")
    page.get_by_label("Montant (€)").fill("150")
    page.get_by_label("Objet").select_option(label="mobilité")
    follow(page, page.get_by_role("button", name="Enregistrer l'aide"), context="aide enregistrée")
    expect(page.get_by_text("FAJ (fonds d'aide aux jeunes) : 150")).to_be_visible()
