"""A referent handles a person's request: rights page, guide, rectification, then the export download."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from parcours.core.french import of_name
from parcours.participants.models import Participant
from tests.browser.helpers import follow, login, visit

from ..conftest import build_file

pytestmark = pytest.mark.browser


def test_rights_page_rectification_then_export(page, referent, coordinator, operator, prescriber, prescriber_org):
    participant, _pathway = build_file(operator=operator, referent=referent, coordinator=coordinator,
                                       prescriber=prescriber, prescriber_org=prescriber_org)
    login(page, referent)
    visit(page, reverse("rights:participant_rights", args=[participant.pk]), context="droits de la personne")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Droits {of_name(participant)}")

    follow(page, page.get_by_role("link", name="Comment traiter une demande (Vos droits)"), context="vos droits")
    expect(page.get_by_role("heading", name="Délai")).to_be_visible()
    visit(page, reverse("rights:participant_rights", args=[participant.pk]), context="droits de la personne, retour")

    follow(page, page.get_by_role("link", name="Corriger les données"), context="rectification")
    page.get_by_label("Nom", exact=True).fill("Martin-Durand")
    page.get_by_label("Courriel", exact=True).fill("martin.durand@example.org")
    follow(page, page.get_by_role("button", name="Enregistrer les corrections"), context="rectification enregistrée")
    expect(page.get_by_role("status")).to_contain_text("Les corrections sont enregistrées.")
    participant.refresh_from_db()
    assert (participant.last_name, participant.version) == ("Martin-Durand", 2)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger l'export (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"export-participant-{participant.pk}-")
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert archive.read("donnees.pdf").startswith(b"%PDF-")
    data = json.loads(archive.read("donnees.json"))
    assert data["participant"]["last_name"] == "Martin-Durand"
    assert Participant.objects.get(pk=participant.pk).email == "martin.durand@example.org"


def test_coordinator_erases_a_person_who_never_entered(page, referent, coordinator, operator, prescriber,
                                                       prescriber_org):
    participant, _pathway = build_file(entered=False, operator=operator, referent=referent, coordinator=coordinator,
                                       prescriber=prescriber, prescriber_org=prescriber_org)
    login(page, coordinator)
    visit(page, reverse("rights:participant_rights", args=[participant.pk]), context="droits de la personne")
    follow(page, page.get_by_role("link", name="Examiner l'effacement"), context="effacement, confirmation")
    expect(page.get_by_role("table", name="Ce qui sera supprimé")).to_be_visible()
    follow(page, page.get_by_role("button", name="Effacer définitivement"), context="effacement fait")
    expect(page.get_by_role("status")).to_contain_text("Les données de la personne ont été effacées.")
    assert not Participant.objects.filter(pk=participant.pk).exists()
