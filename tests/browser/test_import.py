"""A coordinator imports a small generated data set from the interface: deposit, report, confirmation, result."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from parcours.participants.models import Participant
from tests.interchange.generate import generate_set

from .helpers import assert_accessible, follow, login, visit

pytestmark = pytest.mark.browser


def test_import_a_zip_from_the_interface(page, coordinator, territory, tmp_path):
    generate_set(tmp_path / "set", 3)
    archive = tmp_path / "reprise.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for path in sorted((tmp_path / "set").iterdir()):
            packed.write(path, path.name)

    login(page, coordinator)
    follow(page, page.get_by_role("link", name="Imports", exact=True), context="imports, liste vide")
    follow(page, page.get_by_role("link", name="Nouvel import"), context="imports, dépôt")
    page.get_by_label("Fichiers").set_input_files(str(archive))
    follow(page, page.get_by_role("button", name="Déposer et vérifier"), context="imports, rapport de vérification")
    expect(page.get_by_text("Les fichiers sont valides (21 lignes)")).to_be_visible()
    expect(page.get_by_role("row", name="participants.csv 3 0 0")).to_be_visible()
    assert Participant.objects.count() == 0

    follow(page, page.get_by_role("button", name="Confirmer l'import"), context="imports, résultat")
    expect(page.get_by_role("status")).to_contain_text("lancé")
    expect(page.get_by_text("Import terminé : 21 lignes traitées.")).to_be_visible()
    expect(page.get_by_role("row", name="appointments.csv 9 0 0")).to_be_visible()
    assert Participant.objects.filter(territory=territory).count() == 3

    follow(page, page.get_by_role("link", name="Retour aux imports"), context="imports, liste")
    expect(page.get_by_role("cell", name="Importé")).to_be_visible()


def test_a_refused_deposit_shows_its_errors(page, coordinator, territory, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("bonjour")
    login(page, coordinator)
    visit(page, "/imports/nouveau/", context="imports, dépôt")
    page.get_by_label("Fichiers").set_input_files(str(notes))
    with page.expect_navigation(wait_until="load") as navigation:
        page.get_by_role("button", name="Déposer et vérifier").click()
    assert navigation.value.status == 400  # the form again, with its errors
    assert_accessible(page, context="imports, dépôt refusé")
    expect(page.get_by_role("alert")).to_contain_text("notes.txt : nom de fichier inconnu.")
    expect(page.get_by_role("link", name="Fichiers")).to_have_attribute("href", "#id_files")


def test_the_progress_page_follows_a_run_in_the_background_until_its_result(page, coordinator, territory):
    from parcours.interchange.enums import ImportState, ImportStep
    from parcours.interchange.models import ImportRun

    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.RUNNING,
                                   step=ImportStep.WRITING, rows_done=2000, rows_total=8000,
                                   files=[{"name": "participants.csv", "size": 100}])
    login(page, coordinator)
    visit(page, f"/imports/{run.pk}/", context="imports, avancement")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"2\s000 ligne\(s\) sur 8\s000 \(25 %\)"))
    ImportRun.objects.filter(pk=run.pk).update(rows_done=6000)
    expect(page.get_by_role("status")).to_contain_text("(75 %)", timeout=6000)  # polled every 2 s
    assert_accessible(page, context="imports, avancement mis à jour (htmx)")
    result = {"files": {"participants.csv": {"present": True, "created": 8000, "updated": 0, "unchanged": 0}},
              "organisations_created": 0, "rows": 8000, "changed": True}
    with page.expect_navigation(wait_until="load", timeout=6000):
        ImportRun.objects.filter(pk=run.pk).update(state=ImportState.DONE, result=result, rows_done=8000)
    assert_accessible(page, context="imports, résultat après l'avancement")
    expect(page.get_by_text(re.compile(r"Import terminé : 8\s?000 lignes traitées\."))).to_be_visible()
