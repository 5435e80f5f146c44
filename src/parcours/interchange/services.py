"""Imports started from the interface: deposit, checks (dry run), confirmation, import (docs/interchange.md).

The two phases reuse `importer.dataset_import`: `import_preview` runs it with `dry_run=True` (every check, the
counts per file, nothing written), `import_run` runs it for real; both run as background tasks (`tasks.py`) and
write their progress on the run. The run's state changes only through `IMPORT_TRANSITIONS` (models.py), on the
locked row, so a double-clicked confirmation imports once.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record
from parcours.core.workflow import TransitionRefused
from parcours.territory.models import Territory

from .importer import WRITING, ImportRefused, ImportReport, dataset_import
from .enums import ImportState, ImportStep
from .models import IMPORT_TRANSITIONS, ImportRun
from .reader import ImportError_
from .uploads import deposit_extract, deposit_pack

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1000          # errors stored on the run (and shown); the count is always exact
PROGRESS_INTERVAL = 1.0     # seconds between two progress writes during the writes
# A run whose task has shown no progress for that long lost its worker (killed, host restarted). Generous: on SQLite
# the progress is not written during the writes, and two hours hold 30 million rows at the measured speed.
STALE_AFTER = timedelta(hours=2)
# Checked files neither confirmed nor cancelled are given up after a week: they hold personal data.
UNCONFIRMED_KEPT = timedelta(days=7)


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
                          rows_done=0, progress_at=timezone.now())
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


# --- the two phases (background tasks) ------------------------------------------------------------------------------

def import_preview(*, run_pk: int) -> ImportRun:
    """Every check and what would be created / updated / left unchanged per file: nothing is written."""
    run = ImportRun.objects.select_related("territory").get(pk=run_pk)
    if run.state != ImportState.UPLOADED:
        return run  # already checked (a task delivered twice)
    progress = _ProgressWriter(run.pk, transactional=False)
    try:
        with tempfile.TemporaryDirectory(prefix="parcours-import-") as directory:
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
        with tempfile.TemporaryDirectory(prefix="parcours-import-") as directory:
            deposit_extract(run.upload, Path(directory))
            dataset_import(Path(directory), territory=run.territory, progress=progress, before_commit=finish)
    except ImportRefused as refused:
        # The database changed since the checks (another import, an edit): the checks now fail.
        run = _transition(run.pk, "fail", result=report_errors(refused.errors), step=ImportStep.WAITING,
                          finished_at=timezone.now(),
                          failure=_("Les données ont changé depuis la vérification et le jeu ne passe plus les "
                                    "contrôles : rien n'a été enregistré."))
    except Exception as exc:  # noqa: BLE001 - the transaction is rolled back; the run says so
        run = _transition(run.pk, "fail", failure=_failure(exc), step=ImportStep.WAITING,
                          finished_at=timezone.now())
    else:
        run = ImportRun.objects.get(pk=run.pk)
    finally:
        progress.close()
    _discard_upload(run)
    return run


# --- housekeeping (parcours retention, and before each confirmation) ------------------------------------------------

def import_runs_housekeep(*, now: datetime | None = None, territory_id: int | None = None,
                          dry_run: bool = False) -> dict[str, int]:
    """Close the runs nobody will finish.

    - Checks or an import whose task shows no progress for STALE_AFTER lost their worker: the run fails, saying so.
      Nothing was written (an import is one transaction: a killed worker's is rolled back).
    - Files checked but neither confirmed nor cancelled within UNCONFIRMED_KEPT are given up.
    Either way the deposited files are deleted. Returns the counts {"interrupted": …, "expired": …} (with
    `dry_run`, what would be closed, nothing changed).
    """
    now = now or timezone.now()
    runs = ImportRun.objects.all() if territory_id is None else ImportRun.objects.filter(territory_id=territory_id)
    last_sign = Coalesce(F("progress_at"), F("confirmed_at"), F("created_at"))
    stale = (runs.filter(state__in=[ImportState.UPLOADED, ImportState.RUNNING])
             .alias(last_sign=last_sign).filter(last_sign__lt=now - STALE_AFTER).values_list("pk", flat=True))
    expired = (runs.filter(state=ImportState.VALIDATED).alias(last_sign=last_sign)
               .filter(last_sign__lt=now - UNCONFIRMED_KEPT).values_list("pk", flat=True))
    if dry_run:
        return {"interrupted": stale.count(), "expired": expired.count()}
    counts = {"interrupted": 0, "expired": 0}
    for pk in list(stale):
        message = _("Interrompu : le traitement ne donnait plus signe de vie depuis plus de %(hours)s heures "
                    "(serveur arrêté ?). Rien n'a été enregistré ; déposez de nouveau les fichiers.") % {
            "hours": int(STALE_AFTER.total_seconds() // 3600)}
        counts["interrupted"] += _close(pk, "fail", "import.interrupted", now, failure=message,
                                        step=ImportStep.WAITING)
    for pk in list(expired):
        counts["expired"] += _close(pk, "cancel", "import.expired", now)
    return counts


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
