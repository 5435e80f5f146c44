"""Runs nobody will finish: a run whose task never showed a heartbeat fails after STALE_AFTER and frees its
territory; unconfirmed files are given up (a stopped heartbeat: test_heartbeat.py)."""

import datetime
import html
from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.interchange.enums import ImportState
from parcours.interchange.models import ImportRun
from parcours.interchange.selectors import STALE_AFTER
from parcours.interchange.services import UNCONFIRMED_KEPT, import_runs_housekeep

from .conftest import deposit, last_run, upload, zip_of

NOW = timezone.now()


def make_run(territory, by, state, *, sign_of_life, with_file=True):
    run = ImportRun.objects.create(territory=territory, created_by=by, state=state)
    if with_file:
        run.upload.save(f"import-test-{run.pk}.zip", ContentFile(b"PK-personal-data"))
    ImportRun.objects.filter(pk=run.pk).update(progress_at=sign_of_life)
    run.refresh_from_db()
    return run


def test_a_run_silent_for_too_long_fails_saying_why_and_its_file_goes(territory, coordinator):
    dead = make_run(territory, coordinator, ImportState.RUNNING, sign_of_life=NOW - STALE_AFTER - datetime.timedelta(minutes=1))
    checking = make_run(territory, coordinator, ImportState.UPLOADED, sign_of_life=NOW - 2 * STALE_AFTER)
    alive = make_run(territory, coordinator, ImportState.RUNNING, sign_of_life=NOW - datetime.timedelta(minutes=5))
    stored = dead.upload.name
    assert import_runs_housekeep(now=NOW) == {"interrupted": 2, "expired": 0, "orphan_files": 0}
    for run in (dead, checking):
        run.refresh_from_db()
        assert run.state == ImportState.FAILED and run.finished_at == NOW
        assert "ne donnait plus signe de vie" in run.failure
        assert "Rien n'a été enregistré" in run.failure and not run.upload
    assert not dead.upload.storage.exists(stored)
    alive.refresh_from_db()
    assert alive.state == ImportState.RUNNING and alive.upload
    assert AuditEvent.objects.filter(action="import.interrupted", actor=None).count() == 2


def test_without_any_progress_the_confirmation_or_the_deposit_counts(territory, coordinator):
    run = make_run(territory, coordinator, ImportState.RUNNING, sign_of_life=None)
    ImportRun.objects.filter(pk=run.pk).update(confirmed_at=NOW - datetime.timedelta(hours=1))
    assert import_runs_housekeep(now=NOW) == {"interrupted": 0, "expired": 0, "orphan_files": 0}
    ImportRun.objects.filter(pk=run.pk).update(confirmed_at=NOW - STALE_AFTER - datetime.timedelta(seconds=1))
    assert import_runs_housekeep(now=NOW) == {"interrupted": 1, "expired": 0, "orphan_files": 0}


def test_checked_files_never_confirmed_are_given_up_after_a_week(territory, coordinator):
    old = make_run(territory, coordinator, ImportState.VALIDATED, sign_of_life=NOW - UNCONFIRMED_KEPT - datetime.timedelta(hours=1))
    recent = make_run(territory, coordinator, ImportState.VALIDATED, sign_of_life=NOW - datetime.timedelta(days=6))
    done = make_run(territory, coordinator, ImportState.DONE, sign_of_life=NOW - datetime.timedelta(days=60),
                    with_file=False)
    assert import_runs_housekeep(now=NOW, dry_run=True) == {"interrupted": 0, "expired": 1, "orphan_files": 0}
    old.refresh_from_db()
    assert old.state == ImportState.VALIDATED and old.upload     # a dry run changes nothing
    assert import_runs_housekeep(now=NOW) == {"interrupted": 0, "expired": 1, "orphan_files": 0}
    old.refresh_from_db(), recent.refresh_from_db(), done.refresh_from_db()
    assert (old.state, bool(old.upload)) == (ImportState.CANCELLED, False)
    assert (recent.state, bool(recent.upload)) == (ImportState.VALIDATED, True)
    assert done.state == ImportState.DONE
    assert AuditEvent.objects.filter(action="import.expired", object_id=str(old.pk)).exists()


def test_a_dead_run_no_longer_blocks_the_territory(team_client, small_set, coordinator, territory):
    dead = make_run(territory, coordinator, ImportState.RUNNING, sign_of_life=NOW - 2 * STALE_AFTER)
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    run = last_run()
    response = team_client.post(reverse("imports:import_confirm", args=[run.pk]), follow=True)
    assert "est en cours" not in html.unescape(response.content.decode())
    dead.refresh_from_db(), run.refresh_from_db()
    assert dead.state == ImportState.FAILED and run.state == ImportState.DONE


def test_the_retention_command_closes_them_and_says_how_many(territory, coordinator):
    make_run(territory, coordinator, ImportState.RUNNING, sign_of_life=timezone.now() - 2 * STALE_AFTER)
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "[simulation] Imports interrompus clos : 1" in out.getvalue()
    assert ImportRun.objects.get().state == ImportState.RUNNING
    out = StringIO()
    call_command("retention", stdout=out)
    assert "Imports interrompus clos : 1" in out.getvalue()
    assert "Fichiers d'import vérifiés mais jamais confirmés, abandonnés : 0" in out.getvalue()
    assert ImportRun.objects.get().state == ImportState.FAILED
