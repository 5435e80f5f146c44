"""Putting people forward for a job in the browser (issue 15's journey): the officer records an employer and an
offer; a referent proposes two people from their files; the officer presents both; one does an immersion (PMSMP)
and is hired — the hire opens the follow-up in employment —, the other is not retained, with a reason. Axe on
every page (follow and login check each)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parcours.plie.enums import PathwayStatus
from tests import factories

from .helpers import follow, login, visit

pytestmark = pytest.mark.browser


def test_two_people_proposed_one_hired_after_an_immersion_one_refused(page, live_server, territory, plie, operator):
    today = timezone.localdate()
    officer = factories.UserFactory(first_name="Olivia", membership=(plie, "employer_relations"))
    referent = factories.UserFactory(first_name="Rémi", membership=(operator, "referent"))
    ines = factories.PathwayFactory(active=True, operator=operator, referent=referent, participant__last_name="Delmas",
                                    participant__first_name="Inès", participant__territory=territory)
    paul = factories.PathwayFactory(active=True, operator=operator, referent=referent, participant__last_name="Garnier",
                                    participant__first_name="Paul", participant__territory=territory)

    login(page, officer)
    follow(page, page.get_by_role("link", name="Employeurs", exact=True), context="les employeurs")
    follow(page, page.get_by_role("link", name="Enregistrer un employeur"), context="nouvel employeur")
    page.get_by_label("SIRET", exact=True).fill("732 829 320 00074")
    page.get_by_label("Raison sociale").fill("Propreté Volcans")
    page.get_by_label("Secteur d'activité (division NAF)").select_option(value="81")
    page.get_by_label("Taille").select_option(label="Petite entreprise (10 à 49 salariés)")
    follow(page, page.get_by_role("button", name="Enregistrer l'employeur"), context="l'employeur")
    page.get_by_label("Nom et prénom").fill("Claire Martin")
    follow(page, page.get_by_role("button", name="Ajouter le contact"), context="contact ajouté")
    follow(page, page.get_by_role("link", name="Enregistrer une offre"), context="nouvelle offre")
    page.get_by_label("Intitulé du poste").fill("Agent·e de propreté")
    page.get_by_label("Code ROME").fill("k2204")
    page.get_by_label("Type de contrat").select_option(label="CDI")
    page.get_by_label("Heures par semaine").fill("35")
    follow(page, page.get_by_role("button", name="Enregistrer l'offre"), context="l'offre enregistrée")
    expect(page.get_by_text("K2204")).to_be_visible()
    offer_url = page.url

    page.context.clear_cookies()
    login(page, referent)
    for pathway, name in ((ines, "Inès"), (paul, "Paul")):
        visit(page, live_server.url + reverse("pathways:pathway_detail", args=[pathway.pk]), context=f"le dossier de {name}")
        follow(page, page.get_by_role("link", name="Positionner sur une offre d'emploi"), context="offres ouvertes")
        follow(page, page.get_by_role("link", name="Agent·e de propreté"), context="l'offre, pour proposer")
        page.get_by_label("Pourquoi cette personne").fill(f"{name} a travaillé en nettoyage industriel.")
        follow(page, page.get_by_role("button", name="Positionner sur l'offre"), context="positionnement")
        expect(page.get_by_text("Proposé·e par le ou la référent·e", exact=True)).to_be_visible()

    page.context.clear_cookies()
    login(page, officer)
    for name in ("Delmas", "Garnier"):
        visit(page, offer_url, context="les personnes positionnées")
        follow(page, page.get_by_role("link", name=name), context=f"le positionnement de {name}")
        follow(page, page.get_by_role("button", name="Présenter à l'employeur"), context="présenté·e")
    page.get_by_label("Motif", exact=True).select_option(label="Expérience ou qualification insuffisante")
    follow(page, page.get_by_role("button", name="Non retenu·e"), context="non retenu")
    expect(page.get_by_text("Expérience ou qualification insuffisante", exact=True)).to_be_visible()

    page.context.clear_cookies()
    login(page, referent)
    visit(page, offer_url, context="l'offre, pour le référent")
    follow(page, page.get_by_role("link", name="Delmas"), context="le positionnement d'Inès")
    page.locator("#id_prior_action-kind").select_option(label="Immersion en entreprise (PMSMP)")
    page.locator("#id_prior_action-start").fill((today - datetime.timedelta(days=20)).isoformat())
    page.locator("#id_prior_action-end").fill((today - datetime.timedelta(days=10)).isoformat())
    follow(page, page.get_by_role("button", name="Action préalable à l'embauche"), context="immersion enregistrée")
    page.locator("#id_hire-on").fill(today.isoformat())
    page.locator("#id_hire-contact").select_option(label="Claire Martin")
    follow(page, page.get_by_role("button", name="Embauche"), context="embauche enregistrée")
    expect(page.get_by_text("Embauché·e", exact=True)).to_be_visible()
    follow(page, page.get_by_role("link", name="Inès Delmas"), context="le dossier d'Inès après l'embauche")
    expect(page.get_by_text("Immersion en entreprise (PMSMP)").first).to_be_visible()
    ines.refresh_from_db()
    assert ines.status == PathwayStatus.FOLLOWUP
