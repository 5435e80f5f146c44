"""A workshop in the browser: the adviser adds it to the catalogue, plans a session today, registers a young person
from their file, marks them present on the session's page (the file then shows the workshop among its events) and
downloads the attendance sheet; axe on every page (follow and login check each), at 1366 and 375 pixels."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

from .helpers import PHONE, follow, login

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "375px"])
def test_a_workshop_registration_and_attendance(page, territory, viewport):
    page.set_viewport_size(viewport)
    mission_locale = factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")
    adviser = factories.UserFactory(first_name="Inès", last_name="Conseil", membership=(mission_locale, "youth_adviser"))
    factories.SiteFactory(territory=territory, code="champratel", name="Permanence Champratel", kind="permanence")
    young = factories.YouthFileFactory(participant__territory=territory, participant__last_name="Benali",
                                       participant__first_name="Sofia", adviser=adviser)
    today = timezone.localdate()

    login(page, adviser)
    follow(page, page.get_by_role("link", name="Ateliers", exact=True), context="le catalogue")
    follow(page, page.get_by_role("link", name="Ajouter un atelier au catalogue"), context="nouvel atelier")
    page.get_by_label("Nom", exact=True).fill("Pass to Work")
    page.get_by_label("atelier", exact=True).check()
    page.get_by_label("Thème").select_option(label="emploi")
    page.get_by_label("la Mission Locale").check()
    page.get_by_label("Places par séance").fill("12")
    follow(page, page.get_by_role("button", name="Enregistrer"), context="l'atelier au catalogue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pass to Work")

    follow(page, page.get_by_role("link", name="Planifier une séance"), context="planifier une séance")
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Lieu").select_option(label="Permanence Champratel")
    follow(page, page.get_by_role("button", name="Enregistrer"), context="la séance planifiée")
    expect(page.get_by_text("Aucun jeune n'est inscrit.")).to_be_visible()

    follow(page, page.get_by_role("link", name="Jeunes", exact=True), context="mes jeunes")
    follow(page, page.get_by_role("link", name="BENALI Sofia"), context="le dossier")
    follow(page, page.get_by_role("link", name="Inscrire à un atelier"), context="inscrire à un atelier")
    page.get_by_label("Séance").select_option(index=0)
    follow(page, page.get_by_role("button", name="Inscrire"), context="le dossier, inscrite")
    expect(page.locator("li", has_text="Pass to Work : prescrit·e")).to_be_visible()

    follow(page, page.get_by_role("link", name="Pass to Work"), context="la séance et ses inscrits")
    page.get_by_label("BENALI Sofia").select_option(label="présent·e")
    follow(page, page.get_by_role("button", name="Enregistrer les présences"), context="présences enregistrées")
    expect(page.get_by_label("BENALI Sofia")).to_have_value("present")
    with page.expect_download() as download:
        page.get_by_role("link", name="Feuille d'émargement (PDF)").click()
    assert download.value.suggested_filename.startswith("emargement-")

    follow(page, page.get_by_role("link", name="Dossier de BENALI Sofia"), context="le dossier, présente")
    expect(page.get_by_text("Présent·e à la séance « Pass to Work ».")).to_be_visible()
    assert young.registrations.get().status == "present"
