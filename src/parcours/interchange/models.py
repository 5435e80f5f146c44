"""An import of an interchange data set started from the interface (docs/interchange.md, "Import depuis l'interface").

The run keeps who deposited the files and who confirmed them, the stored upload (a zip in the private document
storage, outside the web root), the report of the checks, the result, and the progress of the background task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ImportState, ImportStep


# The state machine, as data: transition name -> (states it may start from, state it leads to).
IMPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "validate": (frozenset({ImportState.UPLOADED}), ImportState.VALIDATED),
    "refuse": (frozenset({ImportState.UPLOADED}), ImportState.REFUSED),
    "start": (frozenset({ImportState.VALIDATED}), ImportState.RUNNING),
    "cancel": (frozenset({ImportState.VALIDATED}), ImportState.CANCELLED),
    "finish": (frozenset({ImportState.RUNNING}), ImportState.DONE),
    "fail": (frozenset({ImportState.UPLOADED, ImportState.RUNNING}), ImportState.FAILED),
    # A user gives up a run whose worker died (no heartbeat): services.import_abandon checks that it is dead.
    "abandon": (frozenset({ImportState.UPLOADED, ImportState.RUNNING}), ImportState.CANCELLED),
}
FINAL_STATES = frozenset({ImportState.REFUSED, ImportState.DONE, ImportState.FAILED, ImportState.CANCELLED})
BUSY_STATES = frozenset({ImportState.UPLOADED, ImportState.RUNNING})


class ImportRun(models.Model):
    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="import_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    state = models.CharField(_("état"), max_length=16, choices=ImportState.choices, default=ImportState.UPLOADED)
    # The deposited files, repacked as one zip holding only the spec's file names; deleted once the run is over.
    upload = models.FileField(_("fichiers déposés"), upload_to="imports/%Y/%m/", blank=True)
    # [{"name": "participants.csv", "size": 1234}, …]: what was deposited, kept after the upload is deleted.
    files = models.JSONField(default=list, blank=True)
    # The checks: {"errors": [{"file", "line", "column", "message"}…], "error_count": n,
    # "files": {name: {"present", "created", "updated", "unchanged"}}, "organisations_created": n, "rows": n}.
    report = models.JSONField(default=dict, blank=True)
    # The same shape, from the import itself (the database may have changed since the checks).
    result = models.JSONField(default=dict, blank=True)
    failure = models.TextField(_("motif de l'échec"), blank=True)
    step = models.CharField(_("étape"), max_length=16, choices=ImportStep.choices, default=ImportStep.WAITING,
                            blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # The last sign of life of the task working on the run (progress written), to tell a dead worker from a slow one.
    progress_at = models.DateTimeField(_("dernière progression"), null=True, blank=True)
    # Stamped every few seconds by a thread of the worker while its task runs (services._Heartbeat); empty until the
    # task starts. A busy run whose heartbeat stopped lost its worker (selectors.import_runs_dead).
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de données")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["territory", "-created_at"], name="importrun_territory_recent")]

    def __str__(self) -> str:
        return f"import n° {self.pk}"

    @property
    def busy(self) -> bool:
        return self.state in BUSY_STATES

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
