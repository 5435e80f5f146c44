"""The payment claim's journey in the browser, axe on every page: the structure's financial officer creates a
draft for a period and submits it; the controller takes it, draws the sample, rejects the one item and asks for a
correction; the officer resubmits (the rejected participant left out); the controller validates; the ESF manager
records the payment (docs/esf.md, "The claim's workflow and control")."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parcours.esf.models import Claim, ReferentCost
from tests import factories

from .helpers import follow, login, visit

pytestmark = pytest.mark.browser


def _confirm(page, label: str, context: str, fields: dict | None = None) -> None:
    page.locator("summary", has_text=label).click()
    for name, value in (fields or {}).items():
        page.locator(f"#id_{name}").fill(value)
    follow(page, page.get_by_role("button", name=f"Confirmer : {label}"), context=context)


def test_the_claim_journey(page, territory, plie, operator):
    year = timezone.localdate().year - 1
    referent = factories.UserFactory(email="referente@example.org", membership=(operator, "referent"))
    operation = factories.OperationFactory(beneficiary=operator, operation_ref="OP-2015-004",
                                           start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31))
    for day in (1, 2):
        pathway = factories.PathwayFactory(participant__territory=territory, active=True, operator=operator,
                                           referent=referent)
        factories.AppointmentFactory(pathway=pathway, date=datetime.date(year, 3, day), duration_minutes=60)
        factories.ParticipationFactory(participant=pathway.participant, operation=operation,
                                       entry_date=operation.start_date)
    ReferentCost.objects.create(territory=territory, referent=referent, year=year,
                                annual_gross_cost=Decimal("43000"), work_time_share=Decimal("1"))
    officer = factories.UserFactory(membership=(operator, "financial_officer"))
    controller = factories.UserFactory(membership=(plie, "esf_controller"))
    manager = factories.UserFactory(membership=(plie, "esf_manager"))

    login(page, officer)
    follow(page, page.get_by_role("link", name="Demandes de paiement FSE+"), context="opérations de la structure")
    follow(page, page.get_by_role("link", name="OP-2015-004"), context="demandes de l'opération")
    follow(page, page.get_by_role("link", name="Nouvelle demande de paiement"), context="nouvelle demande")
    page.get_by_label("Début de la période").fill(f"{year}-01-01")
    page.get_by_label("Fin de la période").fill(f"{year}-06-30")
    follow(page, page.get_by_role("button", name="Créer le brouillon"), context="brouillon")
    expect(page.locator("dd", has_text="50,00 €").first).to_be_visible()        # two hours at 25 €/h
    _confirm(page, "Déposer la demande", "demande déposée")
    claim = Claim.objects.get()
    assert claim.state == "submitted"

    page.context.clear_cookies()
    login(page, controller)
    visit(page, f"/fse/demandes/{claim.pk}/", context="demande déposée, contrôleur")
    _confirm(page, "Prendre en contrôle", "demande en contrôle")
    page.get_by_label("Taille de l'échantillon (participant·es)").fill("1")
    page.get_by_label("Graine du tirage", exact=False).fill("2026")
    follow(page, page.get_by_role("button", name="Tirer l'échantillon"), context="échantillon tiré")
    page.get_by_label("Résultat").select_option("rejected")
    page.get_by_label("Motif du rejet").select_option("missing_document")
    follow(page, page.get_by_role("button", name="Enregistrer"), context="élément rejeté")
    _confirm(page, "Demander des corrections", "corrections demandées",
             {"request_corrections-reason": "Feuille d'émargement manquante"})
    expect(page.get_by_role("cell", name="Feuille d'émargement manquante")).to_be_visible()

    page.context.clear_cookies()
    login(page, officer)
    visit(page, f"/fse/demandes/{claim.pk}/", context="corrections demandées, structure")
    _confirm(page, "Redéposer la demande corrigée", "demande redéposée")
    expect(page.locator("dd", has_text="25,00 €").first).to_be_visible()        # the rejected hour left out

    page.context.clear_cookies()
    login(page, controller)
    visit(page, f"/fse/demandes/{claim.pk}/", context="demande redéposée, contrôleur")
    _confirm(page, "Prendre en contrôle", "demande de nouveau en contrôle")
    _confirm(page, "Valider la demande", "demande validée")

    page.context.clear_cookies()
    login(page, manager)
    visit(page, f"/fse/demandes/{claim.pk}/", context="demande validée, gestionnaire")
    _confirm(page, "Enregistrer le paiement", "demande payée",
             {"pay-paid_on": timezone.localdate().isoformat(), "pay-amount": "21,00"})
    claim.refresh_from_db()
    assert (claim.state, claim.paid_amount) == ("paid", Decimal("21.00"))
    expect(page.get_by_role("rowheader", name="Enregistrer le paiement")).to_be_visible()
