"""The whole flow through the pages: deposit, check report, confirmation, result; idempotence; failures."""

import html

from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.interchange.enums import ImportState
from parcours.interchange.models import ImportRun
from parcours.participants.models import Participant
from parcours.pathways.models import Appointment, Pathway, Step
from tests import factories

from .conftest import deposit, last_run, upload, zip_of


def _detail(client, run):
    return client.get(reverse("imports:import_detail", kwargs={"pk": run.pk}))


def _confirm(client, run):
    return client.post(reverse("imports:import_confirm", kwargs={"pk": run.pk}), follow=True)


def test_a_valid_zip_is_checked_and_shows_what_would_be_created_without_writing(team_client, small_set, coordinator):
    response = deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_detail", kwargs={"pk": run.pk})
    assert run.state == ImportState.VALIDATED
    assert (run.created_by, run.rows_total) == (coordinator, 7)
    assert run.report["files"]["participants.csv"] == {"present": True, "created": 2, "updated": 0, "unchanged": 0}
    assert run.report["files"]["appointments.csv"]["created"] == 2
    assert run.report["organisations_created"] == 1
    assert Participant.objects.count() == Pathway.objects.count() == 0
    page = html.unescape(_detail(team_client, run).content.decode())
    assert "Rapport de vérification" in page and "Confirmer l'import" in page
    assert "1 structure référente serait créée." in page
    assert AuditEvent.objects.filter(action="import.upload", actor=coordinator, object_id=str(run.pk)).count() == 1


def test_confirm_imports_everything_and_shows_the_result(team_client, small_set, coordinator):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    response = _confirm(team_client, run)
    run.refresh_from_db()
    assert run.state == ImportState.DONE
    assert (run.confirmed_by, run.rows_done, run.rows_total) == (coordinator, 7, 7)
    assert run.result["files"]["pathways.csv"] == {"present": True, "created": 2, "updated": 0, "unchanged": 0}
    assert (Participant.objects.count(), Pathway.objects.count(), Step.objects.count(),
            Appointment.objects.count()) == (2, 2, 1, 2)
    page = html.unescape(response.content.decode())
    assert "Import terminé : 7 lignes traitées." in page
    assert not run.upload  # the deposited files are deleted once imported
    assert AuditEvent.objects.filter(action="import.confirm", actor=coordinator, object_id=str(run.pk)).count() == 1


def test_separate_csv_files_are_accepted(team_client, small_set):
    deposit(team_client, *(upload(name, content) for name, content in small_set.items()))
    run = last_run()
    assert run.state == ImportState.VALIDATED
    assert [f["name"] for f in run.files] == ["participants.csv", "pathways.csv", "steps.csv", "appointments.csv"]


def test_a_zip_of_a_folder_is_accepted(team_client, small_set):
    deposit(team_client, upload("export.zip", zip_of({f"export/{n}": c for n, c in small_set.items()}
                                                      | {"__MACOSX/export/._participants.csv": b"x"})))
    assert last_run().state == ImportState.VALIDATED


def test_invalid_rows_are_reported_with_file_and_line_and_nothing_is_written(team_client, bad_set):
    deposit(team_client, upload("reprise.zip", zip_of(bad_set)))
    run = last_run()
    assert run.state == ImportState.REFUSED
    errors = run.report["errors"]
    assert run.report["error_count"] == len(errors) >= 2
    assert {"file": "participants.csv", "line": 3, "column": "sex"}.items() <= errors[0].items()
    assert any(e["file"] == "pathways.csv" and e["line"] == 2 for e in errors)
    assert Participant.objects.count() == 0 and not run.upload
    page = html.unescape(_detail(team_client, run).content.decode())
    assert "Import refusé" in page and "participants.csv" in page and "Confirmer" not in page


def test_a_refused_run_cannot_be_confirmed(team_client, bad_set):
    deposit(team_client, upload("reprise.zip", zip_of(bad_set)))
    run = last_run()
    response = _confirm(team_client, run)
    run.refresh_from_db()
    assert run.state == ImportState.REFUSED and run.confirmed_by is None
    expected = f"Action impossible : l'import n° {run.pk} est à l'état « Refusé »."
    assert expected in html.unescape(response.content.decode())
    assert Participant.objects.count() == 0


def test_a_double_confirmation_imports_once(team_client, small_set):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    _confirm(team_client, run)
    response = _confirm(team_client, run)
    assert "est à l'état « Importé »" in html.unescape(response.content.decode())
    assert Participant.objects.count() == 2
    assert AuditEvent.objects.filter(action="import.confirm").count() == 1


def test_the_same_files_again_create_nothing(team_client, small_set):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    _confirm(team_client, last_run())
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    second = last_run()
    assert second.report["files"]["participants.csv"] == {"present": True, "created": 0, "updated": 0,
                                                          "unchanged": 2}
    assert "l'import ne changerait rien" in html.unescape(_detail(team_client, second).content.decode())
    response = _confirm(team_client, second)
    second.refresh_from_db()
    assert second.state == ImportState.DONE
    assert all(f["created"] == 0 and f["updated"] == 0 for f in second.result["files"].values())
    assert "Rien n'a changé" in html.unescape(response.content.decode())
    assert Participant.objects.count() == 2


def test_cancel_deletes_the_files_and_forbids_confirmation(team_client, small_set):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    storage, name = run.upload.storage, run.upload.name
    assert storage.exists(name)
    team_client.post(reverse("imports:import_cancel", kwargs={"pk": run.pk}))
    run.refresh_from_db()
    assert run.state == ImportState.CANCELLED and not storage.exists(name)
    _confirm(team_client, run)
    run.refresh_from_db()
    assert run.state == ImportState.CANCELLED and Participant.objects.count() == 0


def test_data_changed_since_the_checks_fail_the_run_and_write_nothing(team_client, small_set):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    elsewhere = factories.TerritoryFactory(name="Territoire voisin")
    factories.PathwayFactory(participant=factories.ParticipantFactory(territory=elsewhere), external_ref="PW-1")
    response = _confirm(team_client, run)
    run.refresh_from_db()
    assert run.state == ImportState.FAILED
    assert "Les données ont changé depuis la vérification" in run.failure
    assert run.result["errors"][0]["file"] == "pathways.csv" and run.result["errors"][0]["line"] == 2
    assert Participant.objects.filter(territory=run.territory).count() == 0
    assert "pathways.csv" in html.unescape(response.content.decode())


def test_a_crash_while_writing_fails_the_run_and_leaves_nothing_half_written(team_client, small_set, monkeypatch):
    from parcours.interchange import importer

    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    original = importer._apply

    def crash_on_steps(model, *args, **kwargs):
        if model is Step:
            raise RuntimeError("disque plein")
        return original(model, *args, **kwargs)

    monkeypatch.setattr(importer, "_apply", crash_on_steps)
    response = _confirm(team_client, run)
    run.refresh_from_db()
    assert run.state == ImportState.FAILED
    assert "RuntimeError" in run.failure and "rien n'a été enregistré" in run.failure
    assert Participant.objects.count() == Pathway.objects.count() == 0  # written before the crash, rolled back
    assert "L'import a échoué." in html.unescape(response.content.decode())


def test_another_running_import_of_the_territory_blocks_confirmation(team_client, small_set, coordinator, territory):
    busy = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.RUNNING)
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    response = _confirm(team_client, run)
    run.refresh_from_db()
    assert run.state == ImportState.VALIDATED
    assert f"L'import n° {busy.pk} du même territoire est en cours" in html.unescape(response.content.decode())
