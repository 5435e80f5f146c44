"""A referent's agenda in the browser: planning from the file, the convocation, the week, marking a no-show and
correcting it, moving, then a held appointment recorded as seen; axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parcours.agenda.models import Attendance, Meeting
from parcours.territory.models import Helpdesk
from tests import factories

from .helpers import follow, login, visit

pytestmark = pytest.mark.browser


def test_a_referent_plans_convenes_moves_and_marks(page, live_server, territory, operator, referent):
    person = factories.ParticipantFactory(territory=territory, first_name="Léa", last_name="Martin",
                                          email="lea.martin@example.org")
    pathway = factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)
    Helpdesk.objects.create(territory=territory, name="Maison de l'emploi Nord", address="1 place Nord")
    login(page, referent)
    visit(page, f"{live_server.url}/parcours/{pathway.pk}/", context="le dossier")
    follow(page, page.get_by_role("link", name="Planifier un rendez-vous"), context="planifier un rendez-vous")
    day = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Objet", exact=True).fill("Point sur la recherche d'emploi")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Heure", exact=True).fill("14:30")
    page.get_by_label("Durée (minutes)").fill("45")
    page.get_by_label("Modalité").select_option(label="En présentiel")
    page.get_by_label("Lieu d'accueil").select_option(label="Maison de l'emploi Nord")
    follow(page, page.get_by_role("button", name="Planifier le rendez-vous"), context="le rendez-vous planifié")
    expect(page.get_by_role("heading", level=1)).to_have_text("Point sur la recherche d'emploi")
    expect(page.get_by_role("row", name="Léa Martin")).to_contain_text("Courriel, le")

    follow(page, page.get_by_role("link", name="Retour à l'agenda"), context="l'agenda de la semaine")
    expect(page.get_by_role("link", name="14:30–15:15 Point sur la recherche d'emploi")).to_be_visible()
    follow(page, page.get_by_role("link", name="14:30–15:15 Point sur la recherche d'emploi"), context="retour")

    page.get_by_text("Déplacer le rendez-vous…").click()
    page.get_by_label("Nouvelle date").fill((day + timedelta(days=1)).isoformat())
    page.get_by_label("Nouvelle heure").fill("09:00")
    page.get_by_label("Motif du déplacement").fill("Référente en formation")
    follow(page, page.get_by_role("button", name="Déplacer", exact=True), context="rendez-vous déplacé")
    expect(page.get_by_role("row", name="Léa Martin")).to_contain_text("pas encore convoquée")
    expect(page.get_by_text("Référente en formation")).to_be_visible()

    # Time passes: the appointment was yesterday.
    meeting = Meeting.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=1))
    visit(page, f"{live_server.url}/agenda/{meeting.pk}/", context="le rendez-vous passé")
    follow(page, page.get_by_role("button", name="Absent·e sans prévenir Léa Martin"), context="absence")
    expect(page.get_by_role("row", name="Léa Martin")).to_contain_text("Absent·e sans prévenir")
    page.locator("summary", has_text="Corriger (remettre à prévu)").click()
    page.get_by_label("Motif").fill("Elle était venue : erreur de saisie")
    follow(page, page.get_by_role("button", name="Confirmer"), context="présence corrigée")
    page.locator("summary", has_text="Venu·e").click()
    page.get_by_label("Compte rendu").fill("CV repris, deux candidatures envoyées.")
    follow(page, page.get_by_role("button", name="Enregistrer : venu·e"), context="venue enregistrée")
    expect(page.get_by_role("row", name="Léa Martin")).to_contain_text("enregistré dans le dossier")
    assert Attendance.objects.get().appointment.summary == "CV repris, deux candidatures envoyées."
