"""An action in the browser, end to end: the PLIE's team creates it with three sessions, it appears in the
catalogue, a referent proposes a person from their file, the operator's staff accept her, fill the attendance of
the three sessions and mark the action completed; the pathway shows the action's step. Axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

from .helpers import follow, login, visit

pytestmark = pytest.mark.browser


def test_an_action_from_its_creation_to_the_step_on_the_pathway(page, territory, plie, operator):
    today = timezone.localdate()
    provider = factories.OrganisationFactory(territory=territory, kind="step_provider", name="Formations du Puy")
    coordinator = factories.UserFactory(first_name="Corinne", membership=(plie, "coordinator"))
    referent = factories.UserFactory(first_name="Rémi", membership=(operator, "referent"))
    staff = factories.UserFactory(first_name="Sacha", membership=(provider, "action_staff"))
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent,
                                       participant__last_name="Delmas", participant__first_name="Inès",
                                       participant__territory=territory)

    login(page, coordinator)
    follow(page, page.get_by_role("link", name="Actions", exact=True), context="catalogue des actions")
    follow(page, page.get_by_role("link", name="Créer une action"), context="création d'une action")
    page.get_by_label("Opérateur").select_option(label="Formations du Puy")
    page.get_by_label("Fiche action").select_option(label="Fiche 17 — Former au numérique et orienter vers la "
                                                          "filière numérique")
    page.get_by_label("Intitulé").fill("Premiers pas numériques")
    page.get_by_label("Places").fill("8")
    page.get_by_label("Début").fill((today - datetime.timedelta(days=10)).isoformat())
    page.locator("#id_end_date").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Adresse (si le lieu n'est pas dans la liste)").fill("5 place de Jaude, Clermont-Ferrand")
    page.get_by_label("Type d'étape sur le parcours").select_option(label="Action de mobilisation")
    follow(page, page.get_by_role("button", name="Enregistrer l'action"), context="l'action créée")
    expect(page.get_by_role("heading", level=1)).to_have_text("Premiers pas numériques")
    for days_ago in (3, 2, 1):
        page.get_by_label("Date de la séance").fill((today - datetime.timedelta(days=days_ago)).isoformat())
        page.get_by_label("Heure de début").fill("09:00")
        page.get_by_label("Heure de fin").fill("12:00")
        follow(page, page.get_by_role("button", name="Ajouter la séance"), context="une séance ajoutée")
    expect(page.get_by_role("table", name="Séances de l'action").get_by_role("row")).to_have_count(4)
    page.context.clear_cookies()

    login(page, referent)
    visit(page, reverse("pathways:pathway_detail", args=[pathway.pk]), context="le dossier de la personne")
    follow(page, page.get_by_role("link", name="Positionner sur une action du catalogue"),
           context="le catalogue pour une personne")
    follow(page, page.get_by_role("link", name="Premiers pas numériques"), context="l'action pour une personne")
    page.get_by_label("Pourquoi cette action").fill("Pour ses démarches en ligne.")
    follow(page, page.get_by_role("button", name="Proposer sur l'action"), context="personne proposée")
    page.context.clear_cookies()

    login(page, staff)
    follow(page, page.get_by_role("link", name="Mes actions"), context="les actions de l'opérateur")
    follow(page, page.get_by_role("link", name="Premiers pas numériques"), context="les personnes positionnées")
    row = page.get_by_role("row", name="Inès Delmas")
    expect(row).to_contain_text("proposé·e")
    follow(page, row.get_by_role("button", name="Retenir — Inès Delmas", exact=True), context="personne retenue")
    start = page.locator("form", has=page.get_by_role("button", name="Entrée dans l'action"))
    start.get_by_label("Date").fill((today - datetime.timedelta(days=3)).isoformat())
    follow(page, start.get_by_role("button", name="Entrée dans l'action"), context="entrée dans l'action")
    for number in range(3):
        follow(page, page.get_by_role("link", name="Séance du").nth(number), context="présences d'une séance")
        page.get_by_role("group", name="Inès Delmas").get_by_label("présent·e").check()
        follow(page, page.get_by_role("button", name="Enregistrer les présences"), context="présences enregistrées")
    expect(page.get_by_role("listitem").filter(has_text="1 présent·e(s)")).to_have_count(3)
    follow(page, page.get_by_role("button", name="Action terminée"), context="action terminée")
    expect(page.get_by_role("row", name="Inès Delmas")).to_contain_text("action terminée")
    page.context.clear_cookies()

    login(page, referent)
    visit(page, reverse("pathways:pathway_detail", args=[pathway.pk]), context="le dossier et son étape")
    step = page.get_by_role("row", name="Action de mobilisation — action « Premiers pas numériques »")
    expect(step).to_contain_text("Formations du Puy")
    expect(step).to_contain_text((today - datetime.timedelta(days=3)).strftime("%d/%m/%Y"))
    expect(step).to_contain_text(today.strftime("%d/%m/%Y"))
