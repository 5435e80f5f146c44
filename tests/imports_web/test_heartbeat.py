"""A killed import worker (issue 11): its run is seen dead within minutes, can be abandoned, and leaves no file.

A dead worker is simulated by an old heartbeat (`heartbeat_at`), as a killed process leaves it.
"""

import datetime
import html
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.interchange import services
from parcours.interchange.enums import ImportState, ImportStep
from parcours.interchange.models import ImportRun
from parcours.interchange.selectors import STALE_AFTER, dead_after, import_runs_dead
from parcours.interchange.services import import_runs_housekeep
from parcours.participants.models import Participant

from .conftest import deposit, last_run, upload, zip_of


def started_run(territory, by, *, beat_ago, state=ImportState.RUNNING, step=ImportStep.CHECKING):
    """A run whose task started (it stamped a heartbeat `beat_ago` ago), with its deposited file in storage."""
    run = ImportRun.objects.create(territory=territory, created_by=by, state=state, step=step)
    run.upload.save(f"import-heartbeat-{run.pk}.zip", ContentFile(b"PK-personal-data"))
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - beat_ago, confirmed_at=timezone.now())
    run.refresh_from_db()
    return run


def page(client, run) -> str:
    return html.unescape(client.get(reverse("imports:import_detail", kwargs={"pk": run.pk})).content.decode())


def test_a_started_run_whose_heartbeat_stopped_for_minutes_is_dead(territory, coordinator, settings):
    assert dead_after() == datetime.timedelta(minutes=3)
    dead = started_run(territory, coordinator, beat_ago=dead_after() + datetime.timedelta(seconds=5))
    checking = started_run(territory, coordinator, beat_ago=dead_after() + datetime.timedelta(seconds=5),
                           state=ImportState.UPLOADED)
    alive = started_run(territory, coordinator, beat_ago=datetime.timedelta(seconds=20))
    over = started_run(territory, coordinator, beat_ago=datetime.timedelta(hours=5), state=ImportState.DONE)
    queued = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.RUNNING,
                                      confirmed_at=timezone.now() - datetime.timedelta(hours=1))
    assert set(import_runs_dead()) == {dead, checking}
    assert alive not in import_runs_dead() and over not in import_runs_dead() and queued not in import_runs_dead()
    settings.PARCOURS_IMPORT_DEAD_AFTER_SECONDS = 3600
    assert not import_runs_dead().exists()


def test_while_an_import_writes_sqlite_waits_longer(territory, coordinator):
    """SQLite has one writer: the heartbeat cannot be written beside the import's transaction."""
    writing = started_run(territory, coordinator, beat_ago=datetime.timedelta(minutes=10), step=ImportStep.WRITING)
    if connection.vendor == "sqlite":
        assert not import_runs_dead().exists()
        ImportRun.objects.filter(pk=writing.pk).update(heartbeat_at=timezone.now() - STALE_AFTER
                                                       - datetime.timedelta(minutes=1))
    assert list(import_runs_dead()) == [writing]


def test_the_page_says_interrupted_and_abandon_deletes_the_files(team_client, coordinator, territory):
    run = started_run(territory, coordinator, beat_ago=datetime.timedelta(minutes=10))
    stored = run.upload.name
    text = page(team_client, run)
    assert "Interrompu" in text and "Import interrompu : le traitement ne donne plus signe de vie" in text
    assert reverse("imports:import_cancel", kwargs={"pk": run.pk}) in text and "Abandonner" in text
    assert 'hx-trigger="every 2s"' not in text   # no more polling of a dead run
    listed = html.unescape(team_client.get(reverse("imports:import_list")).content.decode())
    assert "Interrompu" in listed
    response = team_client.post(reverse("imports:import_cancel", kwargs={"pk": run.pk}), follow=True)
    assert "abandonné : les fichiers déposés sont supprimés" in html.unescape(response.content.decode())
    run.refresh_from_db()
    assert run.state == ImportState.CANCELLED and run.finished_at is not None and not run.upload
    assert not run.upload.storage.exists(stored)
    assert AuditEvent.objects.filter(action="import.abandon", actor=coordinator, object_id=str(run.pk)).exists()
    assert "Import abandonné : rien n'a été enregistré" in page(team_client, run)


def test_a_living_run_cannot_be_abandoned(team_client, coordinator, territory):
    run = started_run(territory, coordinator, beat_ago=datetime.timedelta(seconds=30))
    response = team_client.post(reverse("imports:import_cancel", kwargs={"pk": run.pk}), follow=True)
    assert "donne encore signe de vie" in html.unescape(response.content.decode())
    run.refresh_from_db()
    assert run.state == ImportState.RUNNING and run.upload.storage.exists(run.upload.name)
    assert not AuditEvent.objects.filter(action="import.abandon").exists()


def test_abandon_is_for_the_plie_team(client, referent, coordinator, territory):
    run = started_run(territory, coordinator, beat_ago=datetime.timedelta(minutes=10))
    client.force_login(referent)
    assert client.post(reverse("imports:import_cancel", kwargs={"pk": run.pk})).status_code == 403
    run.refresh_from_db()
    assert run.state == ImportState.RUNNING


def test_the_polled_progress_sends_a_dead_run_to_its_page(team_client, coordinator, territory):
    run = started_run(territory, coordinator, beat_ago=datetime.timedelta(minutes=10))
    response = team_client.get(reverse("imports:import_progress", kwargs={"pk": run.pk}), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("imports:import_detail", kwargs={"pk": run.pk})


def test_a_dead_run_does_not_block_a_new_one_for_long(team_client, small_set, coordinator, territory):
    dead = started_run(territory, coordinator, beat_ago=dead_after() + datetime.timedelta(seconds=1))
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    response = team_client.post(reverse("imports:import_confirm", args=[run.pk]), follow=True)
    assert "est en cours" not in html.unescape(response.content.decode())
    dead.refresh_from_db(), run.refresh_from_db()
    assert dead.state == ImportState.FAILED and not dead.upload
    assert run.state == ImportState.DONE and not run.upload


def test_retention_closes_dead_runs_and_their_files_go(territory, coordinator):
    run = started_run(territory, coordinator, beat_ago=datetime.timedelta(minutes=10))
    stored = run.upload.name
    assert import_runs_housekeep() == {"interrupted": 1, "expired": 0, "orphan_files": 0}
    run.refresh_from_db()
    assert run.state == ImportState.FAILED and not run.upload and not run.upload.storage.exists(stored)


def test_files_no_run_holds_are_swept_once_a_day_old(territory, coordinator, tmp_path):
    from django.core.files.storage import default_storage

    assert str(default_storage.location).startswith(str(tmp_path))   # the test's own storage (conftest)
    held = started_run(territory, coordinator, beat_ago=datetime.timedelta(seconds=5))
    old_orphan = default_storage.save("imports/2025/01/import-orphan.zip", ContentFile(b"PK-personal-data"))
    young_orphan = default_storage.save("imports/2025/01/import-young.zip", ContentFile(b"PK-personal-data"))
    two_days_ago = time.time() - 2 * 24 * 3600
    for name in (old_orphan, held.upload.name):
        os.utime(default_storage.path(name), (two_days_ago, two_days_ago))
    assert import_runs_housekeep(dry_run=True)["orphan_files"] == 1
    assert default_storage.exists(old_orphan)
    assert import_runs_housekeep()["orphan_files"] == 1
    assert not default_storage.exists(old_orphan)
    assert default_storage.exists(young_orphan) and default_storage.exists(held.upload.name)


def test_a_run_abandoned_while_its_task_still_worked_writes_nothing(team_client, small_set, monkeypatch):
    """Taken for dead, abandoned, and yet its worker was only slow: its import is rolled back, its files go."""
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    real_import = services.dataset_import

    def abandoned_meanwhile(*args, **kwargs):
        if not kwargs.get("dry_run"):
            ImportRun.objects.filter(pk=run.pk).update(state=ImportState.CANCELLED)
        return real_import(*args, **kwargs)

    monkeypatch.setattr(services, "dataset_import", abandoned_meanwhile)
    before = Participant.objects.count()
    team_client.post(reverse("imports:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.CANCELLED and not run.upload
    assert Participant.objects.count() == before


def test_the_task_stamps_a_heartbeat_when_it_starts(team_client, small_set):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    assert run.state == ImportState.VALIDATED and run.heartbeat_at is not None
    team_client.post(reverse("imports:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.DONE and run.heartbeat_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_stamps_until_the_task_ends(territory, coordinator, settings):
    settings.PARCOURS_IMPORT_HEARTBEAT_SECONDS = 0.05
    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.RUNNING)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    with services._Heartbeat(run.pk):
        ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
        time.sleep(0.5)
        run.refresh_from_db()
        assert run.heartbeat_at > long_ago + datetime.timedelta(minutes=59), "the thread did not stamp"
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
    time.sleep(0.3)
    run.refresh_from_db()
    assert run.heartbeat_at == long_ago, "the thread went on after the task"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite has one writer: beside an open write transaction the heartbeat waits (selectors.py)")
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_seen_while_the_import_transaction_is_open(territory, coordinator, settings):
    """The import writes in one long transaction: its heartbeat, from a connection of its own, is seen meanwhile."""
    from tests import factories

    settings.PARCOURS_IMPORT_HEARTBEAT_SECONDS = 0.05
    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.RUNNING,
                                   step=ImportStep.WRITING)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    with services._Heartbeat(run.pk):
        ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
        with transaction.atomic():
            factories.ParticipantFactory(territory=territory)     # the import's writes, not committed yet
            time.sleep(0.5)
            assert not import_runs_dead().exists()
            run.refresh_from_db()
            assert run.heartbeat_at > long_ago + datetime.timedelta(minutes=59)
            transaction.set_rollback(True)
