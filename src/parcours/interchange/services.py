"""Imports started from the interface: deposit, checks (dry run), confirmation, import (docs/interchange.md).

The two phases reuse `importer.dataset_import`: `import_preview` runs it with `dry_run=True` (every check, the
counts per file, nothing written), `import_run` runs it for real; both run as background tasks (`tasks.py`) and
write their progress on the run. The run's state changes only through `IMPORT_TRANSITIONS` (models.py), on the
locked row, so a double-clicked confirmation imports once.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files import File
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record
from parcours.core.workflow import TransitionRefused
from parcours.territory.models import Territory

from .importer import WRITING, ImportRefused, ImportReport, dataset_import
from .enums import ImportState, ImportStep
from .models import BUSY_STATES, IMPORT_TRANSITIONS, ImportRun
from .reader import ImportError_
from .selectors import import_runs_dead
from .uploads import deposit_extract, deposit_pack

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1000          # errors stored on the run (and shown); the count is always exact
PROGRESS_INTERVAL = 1.0     # seconds between two progress writes during the writes
# Checked files neither confirmed nor cancelled are given up after a week: they hold personal data.
UNCONFIRMED_KEPT = timedelta(days=7)
# A file of the imports folder that no run holds is a deposit that never committed, once it is that old.
ORPHAN_KEPT = timedelta(days=1)


# --- reports --------------------------------------------------------------------------------------------------------

def report_errors(errors: list[ImportError_]) -> dict:
    return {"error_count": len(errors),
            "errors": [{"file": e.file, "line": e.line, "column": e.column, "message": e.message}
                       for e in errors[:ERRORS_KEPT]]}


def report_counts(report: ImportReport) -> dict:
    return {"files": {name: {"present": r.present, "created": r.created, "updated": r.updated,
                             "unchanged": r.unchanged} for name, r in report.files.items()},
            "organisations_created": report.organisations_created, "rows": report.rows, "changed": report.changed}


# --- state ----------------------------------------------------------------------------------------------------------

def _transition(run_pk: int, name: str, **fields) -> ImportRun:
    """Apply a row of IMPORT_TRANSITIONS on the locked run; TransitionRefused if its state does not allow it."""
    sources, target = IMPORT_TRANSITIONS[name]
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_pk)
        if run.state not in sources:
            raise TransitionRefused(_("Action impossible : l'import n° %(number)s est à l'état « %(state)s ».")
                                    % {"number": run.pk, "state": run.get_state_display()})
        run.state = target
        for key, value in fields.items():
            setattr(run, key, value)
        run.save()
    return run


def _discard_upload(run: ImportRun) -> None:
    """The deposited files hold personal data: once the run is over, the database is the only copy kept."""
    if run.upload:
        run.upload.storage.delete(run.upload.name)
        ImportRun.objects.filter(pk=run.pk).update(upload="")
        run.upload = ""


class _ProgressWriter:
    """Writes the importer's progress on the run, where the progress page reads it.

    Before the import's transaction the run's row is written through the ordinary connection. Inside it, rows
    written there would only be seen at commit: on PostgreSQL the progress goes through a second connection of its
    own; SQLite has one writer at a time, so there the page shows "Enregistrement" until the end.
    """

    def __init__(self, run_pk: int, *, transactional: bool):
        self.run_pk, self.transactional = run_pk, transactional
        self.writing_began, self.last, self.side = False, 0.0, None

    def __call__(self, step: str, done: int, total: int) -> None:
        inside = self.transactional and step == WRITING and self.writing_began
        self.writing_began = self.writing_began or step == WRITING
        if not inside:
            ImportRun.objects.filter(pk=self.run_pk).update(step=step, rows_done=done, rows_total=total,
                                                            progress_at=timezone.now())
            return
        now = time.monotonic()
        if connection.vendor != "postgresql" or (now - self.last < PROGRESS_INTERVAL and done < total):
            return
        self.last = now
        if self.side is None:
            primary = connections[DEFAULT_DB_ALIAS]
            self.side = type(primary)(dict(primary.settings_dict), DEFAULT_DB_ALIAS)  # a connection of its own
        quote = connection.ops.quote_name
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {quote(ImportRun._meta.db_table)} SET {quote('step')} = %s, "
                           f"{quote('rows_done')} = %s, {quote('rows_total')} = %s, {quote('progress_at')} = %s "
                           f"WHERE {quote('id')} = %s", [step, done, total, timezone.now(), self.run_pk])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


class _Heartbeat:
    """While a task works on a run, a thread of the worker stamps `heartbeat_at` every few seconds.

    The thread has a database connection of its own (Django's are per thread), in autocommit: the stamp is seen at
    once, even while the import's transaction is open (on PostgreSQL; on SQLite the writer's lock makes it wait,
    and the stamp is skipped, see selectors.py). A killed worker stops stamping: that is how a dead run is told
    from a slow one. The first stamp is written before the work starts, through the task's own connection.
    """

    def __init__(self, run_pk: int):
        self.run_pk = run_pk
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"import-heartbeat-{run_pk}", daemon=True)

    def stamp(self) -> None:
        ImportRun.objects.filter(pk=self.run_pk, state__in=BUSY_STATES).update(heartbeat_at=timezone.now())

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(settings.PARCOURS_IMPORT_HEARTBEAT_SECONDS):
                try:
                    self.stamp()
                except DatabaseError as error:   # the database is busy or away: the next beat tries again
                    logger.warning("import run %s: heartbeat not written (%s)", self.run_pk, type(error).__name__)
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.stamp()
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join(timeout=60)


def _failure(exc: BaseException) -> str:
    logger.exception("import run failed: %s", type(exc).__name__, exc_info=exc)
    return _("Erreur inattendue (%(kind)s) : rien n'a été enregistré. Le détail est dans le journal du serveur.") % {
        "kind": type(exc).__name__}


# --- what users do --------------------------------------------------------------------------------------------------

def import_upload(*, territory: Territory, by, uploads: list) -> ImportRun:
    """Check and store the deposited files (one zip, or CSV files), then start the checks in the background.

    Raises ValidationError({"files": [...]}) naming each refused file; nothing is kept then.
    """
    from .tasks import import_check_task

    deposit = deposit_pack(uploads)
    run = ImportRun(territory=territory, created_by=by, files=deposit.files)
    try:
        run.upload.save(f"import-{uuid.uuid4().hex}.zip", File(deposit.archive), save=False)
    finally:
        deposit.close()
    try:
        with transaction.atomic():
            run.full_clean()
            run.save()
            audit_record(actor=by, action="import.upload", obj=run, participant_id=None,
                         after={"territory_id": territory.pk, "files": [f["name"] for f in run.files]})
    except BaseException:
        run.upload.storage.delete(run.upload.name)  # no row, no file
        raise
    import_check_task.enqueue(run.pk)
    return ImportRun.objects.get(pk=run.pk)


def import_confirm(*, run: ImportRun, by) -> ImportRun:
    """Start the import of checked files; a second click (or a refused run) raises TransitionRefused."""
    from .tasks import import_run_task

    import_runs_housekeep(territory_id=run.territory_id)   # a dead run must not block the territory
    with transaction.atomic():
        busy = (ImportRun.objects.filter(territory_id=run.territory_id, state=ImportState.RUNNING)
                .exclude(pk=run.pk).values_list("pk", flat=True).first())
        if busy is not None:
            raise TransitionRefused(_("L'import n° %(number)s du même territoire est en cours : attendez qu'il se "
                                      "termine avant d'en lancer un autre.") % {"number": busy})
        run = _transition(run.pk, "start", confirmed_by=by, confirmed_at=timezone.now(), step=ImportStep.WAITING,
                          rows_done=0, progress_at=timezone.now(), heartbeat_at=None)  # none until its task starts
        audit_record(actor=by, action="import.confirm", obj=run, participant_id=None,
                     after={"territory_id": run.territory_id, "rows": run.rows_total})
    import_run_task.enqueue(run.pk)
    return ImportRun.objects.get(pk=run.pk)


def import_cancel(*, run: ImportRun, by) -> ImportRun:
    """Give up checked files without importing them; the stored files are deleted."""
    with transaction.atomic():
        run = _transition(run.pk, "cancel", finished_at=timezone.now())
        audit_record(actor=by, action="import.cancel", obj=run, participant_id=None,
                     after={"territory_id": run.territory_id})
    _discard_upload(run)
    return run


def import_abandon(*, run: ImportRun, by, now: datetime | None = None) -> ImportRun:
    """Give up a run whose worker died (selectors.import_runs_dead): it ends « Abandonné », its files are deleted.

    Nothing was written: an import is one transaction, rolled back with the dead worker. A run still alive is
    refused (TransitionRefused): it may be slow, not dead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked first: a heartbeat written before is seen by the check below, one written after waits for the end.
        list(ImportRun.objects.select_for_update(of=("self",)).filter(pk=run.pk).values_list("pk", flat=True))
        if not import_runs_dead(runs=ImportRun.objects.filter(pk=run.pk), now=now).exists():
            raise TransitionRefused(_("L'import n° %(number)s donne encore signe de vie : attendez qu'il se termine.")
                                    % {"number": run.pk})
        run = _transition(run.pk, "abandon", finished_at=now, step=ImportStep.WAITING,
                          failure=_("Abandonné : le traitement ne donnait plus signe de vie (serveur arrêté ?). Rien "
                                    "n'a été enregistré."))
        audit_record(actor=by, action="import.abandon", obj=run, participant_id=None,
                     after={"territory_id": run.territory_id})
    _discard_upload(run)
    return run


# --- the two phases (background tasks) ------------------------------------------------------------------------------

def import_preview(*, run_pk: int) -> ImportRun:
    """Every check and what would be created / updated / left unchanged per file: nothing is written."""
    run = ImportRun.objects.select_related("territory").get(pk=run_pk)
    if run.state != ImportState.UPLOADED:
        return run  # already checked (a task delivered twice)
    progress = _ProgressWriter(run.pk, transactional=False)
    try:
        try:
            with _Heartbeat(run.pk), tempfile.TemporaryDirectory(prefix="parcours-import-") as directory:
                deposit_extract(run.upload, Path(directory))
                report = dataset_import(Path(directory), territory=run.territory, dry_run=True, progress=progress)
        except ImportRefused as refused:
            run = _transition(run.pk, "refuse", report=report_errors(refused.errors), step=ImportStep.WAITING,
                              finished_at=timezone.now())
        except Exception as exc:  # noqa: BLE001 - whatever happens, the run must say it and stop
            run = _transition(run.pk, "fail", failure=_failure(exc), step=ImportStep.WAITING,
                              finished_at=timezone.now())
        else:
            return _transition(run.pk, "validate", report=report_counts(report), step=ImportStep.WAITING,
                               rows_done=0, rows_total=report.rows)
    except TransitionRefused:
        return _given_up(run.pk)
    _discard_upload(run)
    return run


def import_run(*, run_pk: int) -> ImportRun:
    """Import a confirmed run: all of it in one transaction, the run marked done in that same transaction."""
    run = ImportRun.objects.select_related("territory").get(pk=run_pk)
    if run.state != ImportState.RUNNING or run.finished_at is not None:
        return run  # not confirmed, or already imported (a task delivered twice)
    progress = _ProgressWriter(run.pk, transactional=True)

    def finish(report: ImportReport) -> None:
        _transition(run.pk, "finish", result=report_counts(report), step=ImportStep.WAITING,
                    rows_done=report.rows, rows_total=report.rows, finished_at=timezone.now())

    try:
        try:
            with _Heartbeat(run.pk), tempfile.TemporaryDirectory(prefix="parcours-import-") as directory:
                deposit_extract(run.upload, Path(directory))
                dataset_import(Path(directory), territory=run.territory, progress=progress, before_commit=finish)
        except ImportRefused as refused:
            # The database changed since the checks (another import, an edit): the checks now fail.
            run = _transition(run.pk, "fail", result=report_errors(refused.errors), step=ImportStep.WAITING,
                              finished_at=timezone.now(),
                              failure=_("Les données ont changé depuis la vérification et le jeu ne passe plus les "
                                        "contrôles : rien n'a été enregistré."))
        except Exception as exc:  # noqa: BLE001 - the transaction is rolled back; the run says so
            if ImportRun.objects.filter(pk=run.pk, state=ImportState.RUNNING).exists():
                run = _transition(run.pk, "fail", failure=_failure(exc), step=ImportStep.WAITING,
                                  finished_at=timezone.now())
            else:
                return _given_up(run.pk)
        else:
            run = ImportRun.objects.get(pk=run.pk)
    except TransitionRefused:
        return _given_up(run.pk)
    finally:
        progress.close()
    _discard_upload(run)
    return run


def _given_up(run_pk: int) -> ImportRun:
    """The run was abandoned while its task still worked (it was taken for dead): what the task did is dropped (an
    import's transaction is rolled back when its "finish" is refused), and the files go."""
    logger.warning("import run %s was abandoned while its task worked: the task's outcome is dropped", run_pk)
    run = ImportRun.objects.get(pk=run_pk)
    _discard_upload(run)
    return run


# --- housekeeping (parcours retention, and before each confirmation) ------------------------------------------------

def import_runs_housekeep(*, now: datetime | None = None, territory_id: int | None = None,
                          dry_run: bool = False) -> dict[str, int]:
    """Close the runs nobody will finish, and delete deposited files no run holds any more.

    - A busy run whose worker died (selectors.import_runs_dead: no heartbeat for PARCOURS_IMPORT_DEAD_AFTER_SECONDS,
      or a task that never started in STALE_AFTER) fails, saying so. Nothing was written (an import is one
      transaction: a killed worker's is rolled back).
    - Files checked but neither confirmed nor cancelled within UNCONFIRMED_KEPT are given up.
    - Files left in the imports folder by no run (a deposit whose transaction never committed) are deleted once
      they are a day old (younger, they may be a deposit being saved).
    Returns the counts {"interrupted", "expired", "orphan_files"} (with `dry_run`, what would go, nothing changed).
    """
    now = now or timezone.now()
    runs = ImportRun.objects.all() if territory_id is None else ImportRun.objects.filter(territory_id=territory_id)
    dead = import_runs_dead(runs=runs, now=now).values_list("pk", flat=True)
    last_sign = Coalesce(F("progress_at"), F("confirmed_at"), F("created_at"))
    expired = (runs.filter(state=ImportState.VALIDATED).alias(last_sign=last_sign)
               .filter(last_sign__lt=now - UNCONFIRMED_KEPT).values_list("pk", flat=True))
    orphans = _orphan_files(now) if territory_id is None else []
    if dry_run:
        return {"interrupted": dead.count(), "expired": expired.count(), "orphan_files": len(orphans)}
    counts = {"interrupted": 0, "expired": 0, "orphan_files": 0}
    for pk in list(dead):
        message = _("Interrompu : le traitement ne donnait plus signe de vie (serveur arrêté ?). Rien n'a été "
                    "enregistré ; déposez de nouveau les fichiers.")
        counts["interrupted"] += _close(pk, "fail", "import.interrupted", now, failure=message,
                                        step=ImportStep.WAITING)
    for pk in list(expired):
        counts["expired"] += _close(pk, "cancel", "import.expired", now)
    storage = ImportRun._meta.get_field("upload").storage
    for name in orphans:
        storage.delete(name)
        counts["orphan_files"] += 1
    return counts


def _orphan_files(now: datetime) -> list[str]:
    """Files under the imports folder of the storage that no run references, older than a day."""
    storage = ImportRun._meta.get_field("upload").storage
    held = set(ImportRun.objects.exclude(upload="").values_list("upload", flat=True))
    found: list[str] = []

    def walk(folder: str) -> None:
        if not storage.exists(folder):
            return
        folders, files = storage.listdir(folder)
        for sub in folders:
            walk(f"{folder}/{sub}")
        for file in files:
            name = f"{folder}/{file}"
            if name not in held and storage.get_modified_time(name) < now - ORPHAN_KEPT:
                found.append(name)

    walk("imports")
    return sorted(found)


def _close(run_pk: int, transition: str, action: str, now: datetime, **fields) -> int:
    try:
        with transaction.atomic():
            run = _transition(run_pk, transition, finished_at=now, **fields)
            audit_record(actor=None, action=action, obj=run, participant_id=None,
                         after={"territory_id": run.territory_id})
    except TransitionRefused:
        return 0   # its task moved it meanwhile: alive after all
    _discard_upload(run)
    return 1
