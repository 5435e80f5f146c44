"""The whole PLIE journey in Chromium, with axe-core on every page it visits.

A prescriber applies → the animation team assigns → the referent receives and assesses → the
commission admits → the three parties sign the contract (entry) → a CDI opens the follow-up in
employment → six months later the referent validates the sustainable-employment exit.

Months pass between the steps of a real journey; the test makes them pass by moving the dates
already recorded back in time (`time_passes`), never by writing a state: every state change goes
through the interface.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway
from parcours.plie.models import EmploymentFollowUp
from tests import factories

from .helpers import assert_accessible, follow, login, visit

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
SIGNED_SCAN = {"name": "dossier-signe.pdf", "mimeType": "application/pdf",
               "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


def ago(days: int) -> str:
    return (TODAY - datetime.timedelta(days=days)).isoformat()


def time_passes(pathway: Pathway, **dates: str) -> None:
    """Move recorded dates back, as if the journey had started months ago."""
    Pathway.objects.filter(pk=pathway.pk).update(**dates)


def switch_to(page, user) -> None:
    page.context.clear_cookies()
    login(page, user)


def submit(page, name: str, context: str):
    return follow(page, page.get_by_role("button", name=name, exact=True), context=context)


@pytest.fixture
def world(territory, plie, operator, prescriber_org):
    clermont = territory.communes.get(insee="63113")
    return {
        "prescriber": factories.UserFactory(first_name="Inès", membership=(prescriber_org, "prescriber")),
        "coordinator": factories.UserFactory(first_name="Claire", membership=(plie, "coordinator")),
        "director": factories.UserFactory(first_name="Didier", last_name="Morel", membership=(plie, "director")),
        "referent": factories.UserFactory(first_name="Rachid", last_name="Benali", membership=(operator, "referent")),
        "commune": clermont,
    }


def test_from_application_to_sustainable_employment(page, world):
    # 1. The prescriber fills the application; eligibility shows live, criterion by criterion.
    login(page, world["prescriber"])
    visit(page, reverse("intake:application_create"), context="candidature")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Prénom", exact=True).fill("Élodie")   # a vowel: « Candidature d'Élodie », never « de Élodie » (assert_accessible)
    page.get_by_label("Femme").check()
    page.get_by_label("Date de naissance").fill("1979-03-14")
    page.get_by_label("Commune de résidence").select_option(str(world["commune"].pk))
    page.get_by_label("Bénéficiaire du RSA").check()
    expect(page.locator("#eligibilite")).to_contain_text("Éligible au PLIE")
    assert_accessible(page, context="éligibilité mise à jour (htmx)")
    page.get_by_label("Pourquoi le PLIE ?").fill("Retrouver un emploi stable après une longue période sans activité.")
    page.get_by_label("Date de signature par la personne").fill(TODAY.isoformat())
    page.get_by_label("Date de signature par le prescripteur").fill(TODAY.isoformat())
    page.get_by_label("Dossier signé (scan)").set_input_files(SIGNED_SCAN)
    submit(page, "Transmettre la candidature", "candidature transmise")
    pathway = Pathway.objects.get(participant__last_name="Durand")
    assert pathway.status == PathwayStatus.SUBMITTED
    time_passes(pathway, application_date=ago(240))

    # 2. The coordinator assigns it to a referent, seeing each referent's caseload.
    switch_to(page, world["coordinator"])
    visit(page, reverse("intake:assignment_queue"), context="candidatures à affecter")
    visit(page, reverse("intake:assign", args=[pathway.pk]), context="affectation")
    page.get_by_label("Rachid Benali").check()
    submit(page, "Affecter", "candidature affectée")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ASSIGNED and pathway.referent == world["referent"]
    time_passes(pathway, assigned_at=ago(235))

    # 3. The referent records the first-reception interview and the assessment, then closes it.
    switch_to(page, world["referent"])
    visit(page, reverse("intake:reception", args=[pathway.pk]), context="premier accueil")
    page.get_by_label("Date de l'entretien").fill(ago(230))
    page.get_by_label("Modalité").select_option("in_person")
    page.get_by_label("Durée (minutes)").fill("60")
    page.get_by_label("Lieu").fill("Agence INFA, Clermont-Ferrand")
    submit(page, "Enregistrer l'entretien", "entretien enregistré")
    visit(page, reverse("intake:assessment", args=[pathway.pk]), context="bilan")
    page.get_by_label("Points d'appui").fill("Expérience en restauration collective, très motivée.")
    page.get_by_label("Préconisations").fill("Remise à niveau numérique, puis emploi en restauration collective.")
    page.locator("[name=level_digital_skills]").select_option("major")
    submit(page, "Enregistrer le bilan", "bilan enregistré")
    # A last edit, then closing at once: the edit is kept (closing saves what the form holds).
    page.get_by_label("Projet professionnel").fill("Agent·e de restauration collective")
    page.get_by_text("Clore le bilan et présenter en commission…").click()
    submit(page, "Enregistrer et clore le bilan", "bilan clos")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ASSESSED
    assert pathway.assessment.professional_project == "Agent·e de restauration collective"

    # 4. The commission d'agrément admits the file; the commission date lands on it.
    switch_to(page, world["coordinator"])
    visit(page, reverse("commissions:commission_list"), context="commissions")
    page.get_by_label("Date de la commission").fill(ago(200))
    submit(page, "Programmer", "commission programmée")
    expect(page.get_by_role("heading", level=3, name="Élodie Durand")).to_be_visible()
    page.get_by_role("radio", name="Agréé").check()
    follow(page, page.get_by_role("button", name=re.compile("^Enregistrer la décision")), context="décision enregistrée")
    pathway.refresh_from_db()
    assert (pathway.status, pathway.commission_date.isoformat()) == (PathwayStatus.ADMITTED, ago(200))
    record = page.request.get(page.get_by_role("link", name="Relevé de décisions (PDF)").get_attribute("href"))
    assert record.ok and record.body().startswith(b"%PDF")

    # 5. The three parties sign the engagement contract: that signature is the entry into the PLIE.
    switch_to(page, world["referent"])
    visit(page, reverse("pathways:pathway_detail", args=[pathway.pk]), context="dossier, contrat à signer")
    follow(page, page.get_by_role("link", name="Préparer le contrat d'engagement"), context="contrat")
    page.get_by_label("Signé par la personne le").fill(ago(195))
    page.get_by_label("Signé par le / la référent·e le").fill(ago(195))
    page.get_by_label("Pour la direction du PLIE").select_option(label="Didier Morel")
    page.get_by_label("Signé par la direction le").fill(ago(195))
    follow(page, page.locator("main form button[type=submit]").first, context="contrat enregistré")
    visit(page, reverse("pathways:pathway_detail", args=[pathway.pk]), context="dossier, contrat signé")
    submit(page, "Enregistrer la signature du contrat (entrée)", "entrée dans le PLIE")
    pathway.refresh_from_db()
    assert (pathway.status, pathway.entry_date.isoformat()) == (PathwayStatus.ACTIVE, ago(195))

    # 6. A CDI opens the six-month follow-up in employment.
    follow(page, page.get_by_role("link", name="Ajouter une étape"), context="nouvelle étape")
    page.get_by_label("Type d'étape").select_option("unsubsidised_employment")
    page.get_by_label("Opérateur ou employeur").fill("Restaurant d'entreprise du Brézet")
    page.get_by_label("Début").fill(ago(190))
    page.get_by_label("Type de contrat").select_option("cdi")
    follow(page, page.locator("main form button[type=submit]").first, context="emploi enregistré")
    pathway.refresh_from_db()
    followup = EmploymentFollowUp.objects.get(pathway=pathway)
    assert pathway.status == PathwayStatus.FOLLOWUP and followup.due_on <= TODAY

    # 7. At the due date the referent validates the exit in sustainable employment.
    visit(page, reverse("pathways:pathway_detail", args=[pathway.pk]), context="dossier, suivi dans l'emploi")
    submit(page, "Valider la sortie en emploi durable", "sortie validée")
    pathway.refresh_from_db()
    assert (pathway.status, pathway.exit_reason) == (PathwayStatus.EXITED, "sustainable_employment")
    assert pathway.exit_date == followup.due_on
