"""Enumerations of interchange (codes stored in the database, French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("Vérification en cours")
    VALIDATED = "validated", _("Vérifié, en attente de confirmation")
    REFUSED = "refused", _("Refusé")
    RUNNING = "running", _("Import en cours")
    DONE = "done", _("Importé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Abandonné")


class ImportStep(models.TextChoices):
    """What the background task is doing (interchange.importer steps)."""

    WAITING = "", _("En attente de traitement")
    READING = "reading", _("Lecture des fichiers")
    CHECKING = "checking", _("Vérification des lignes")
    WRITING = "writing", _("Enregistrement")
