"""The two phases behind the pages: the dry run computes exactly what the import does, and reports progress."""

from parcours.interchange.importer import dataset_import
from parcours.interchange.enums import ImportState
from parcours.interchange.models import IMPORT_TRANSITIONS, ImportRun
from parcours.interchange.services import import_preview, import_run
from parcours.organisations.models import Organisation
from parcours.participants.models import Participant
from parcours.pathways.models import Pathway
from tests.interchange.generate import generate_set
from tests.interchange.helpers import pathway, person, write_set


def _counts(report):
    return {name: (r.created, r.updated, r.unchanged) for name, r in report.files.items()}, report.organisations_created


def test_the_dry_run_reports_what_the_import_then_does_and_writes_nothing(tmp_path, territory):
    directory = tmp_path / "set"
    generate_set(directory, 40)
    organisations = Organisation.objects.count()
    preview = dataset_import(directory, territory=territory, dry_run=True)
    assert Participant.objects.count() == 0 and Organisation.objects.count() == organisations
    assert _counts(dataset_import(directory, territory=territory)) == _counts(preview)
    # Then an update: people moved, a pathway closed, new rows pointing at new and existing ones.
    write_set(tmp_path / "again", participants=[person("GP0", sex="M"), person("GP1"), person("NEW-1")],
              pathways=[pathway("GW1", "GP1", exit_date="2025-06-30", exit_reason="moved",
                                entry_date="2019-01-01", application_date="2018-01-01", commission_date="2018-02-01"),
                        pathway("NEW-W", "NEW-1", operator="Tout nouvel opérateur")])
    preview = dataset_import(tmp_path / "again", territory=territory, dry_run=True)
    before = sorted(Pathway.objects.values_list("pk", "version"))
    report = dataset_import(tmp_path / "again", territory=territory)
    assert _counts(report) == _counts(preview)
    assert preview.files["participants.csv"].created == 1 and preview.organisations_created == 2
    assert before != sorted(Pathway.objects.values_list("pk", "version"))


def test_progress_is_reported_step_by_step_up_to_every_row(tmp_path, territory):
    directory = tmp_path / "set"
    generate_set(directory, 700)  # 4,900 rows: reported once per batch of 2,000 rows, and at the end
    calls = []
    dataset_import(directory, territory=territory, progress=lambda *call: calls.append(call))
    assert calls == [("reading", 0, 0), ("checking", 0, 4900), ("writing", 0, 4900), ("writing", 2800, 4900),
                     ("writing", 4800, 4900), ("writing", 4900, 4900)]


def test_the_run_keeps_its_progress_and_counts(tmp_path, territory, coordinator, client, small_set):
    from .conftest import deposit, last_run, upload, zip_of

    client.force_login(coordinator)
    deposit(client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    assert (run.state, run.rows_done, run.rows_total, run.step) == (ImportState.VALIDATED, 0, 7, "")
    run.state = ImportState.RUNNING
    run.save()
    run = import_run(run_pk=run.pk)
    assert (run.state, run.rows_done, run.rows_total) == (ImportState.DONE, 7, 7)
    assert import_run(run_pk=run.pk).state == ImportState.DONE  # delivered twice: nothing more happens
    assert Participant.objects.count() == 2


def test_a_task_delivered_twice_checks_once(territory, coordinator):
    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.VALIDATED)
    assert import_preview(run_pk=run.pk).state == ImportState.VALIDATED


def test_the_state_machine_is_data():
    reachable = {target for _, target in IMPORT_TRANSITIONS.values()}
    assert reachable == set(ImportState.values) - {ImportState.UPLOADED}
    assert IMPORT_TRANSITIONS["start"][0] == {ImportState.VALIDATED}
