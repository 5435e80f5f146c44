"""Backup and restore: every table through Django's serialisation (natural keys) plus the documents folder.

The archive is a tar.gz holding manifest.json, data.json and documents/… It holds personal data: it is written
with mode 0600 and must be stored encrypted (docs/security.md).
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import connection

FORMAT = "parcours/backup"
FORMAT_VERSION = 1
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "accounts.usersession"]


def documents_root() -> Path:
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise ImproperlyConfigured("the backup copies the documents of a FileSystemStorage")
    return Path(storage.location)


def backed_up_models() -> list:
    skip_apps = {e for e in EXCLUDED if "." not in e}
    skip_models = {e for e in EXCLUDED if "." in e}
    return [m for m in apps.get_models() if m._meta.app_label not in skip_apps
            and m._meta.label_lower not in skip_models and m._meta.managed and not m._meta.proxy]


def backup_write(path: Path) -> dict:
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.json"
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, output=str(data), verbosity=0)
        manifest = {"format": FORMAT, "version": FORMAT_VERSION, "database": connection.vendor,
                    "counts": {m._meta.label_lower: m._default_manager.count() for m in backed_up_models()}}
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=1))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            archive.add(data, arcname="data.json")
            if documents_root().is_dir():
                archive.add(documents_root(), arcname="documents")
    return manifest


def database_is_empty() -> bool:
    return not any(m._default_manager.exists() for m in backed_up_models())


def restore_read(path: Path, *, force: bool = False) -> dict:
    """Load `path` into this (migrated) database; refuses a non-empty one unless `force` (then it is flushed)."""
    call_command("migrate", verbosity=0, interactive=False)
    if not database_is_empty():
        if not force:
            raise RestoreRefused("La base de données n'est pas vide : restauration refusée (utilisez --force pour "
                                 "l'effacer et la remplacer par la sauvegarde).")
        call_command("flush", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, mode="r:gz") as archive:
        names = set(archive.getnames())
        if not {"manifest.json", "data.json"} <= names:
            raise RestoreRefused("Ce fichier n'est pas une sauvegarde de Parcours.")
        archive.extractall(tmp, filter="data")
        manifest = json.loads((Path(tmp) / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise RestoreRefused("Ce fichier n'est pas une sauvegarde de Parcours.")
        call_command("loaddata", str(Path(tmp) / "data.json"), verbosity=0)
        documents = Path(tmp) / "documents"
        if documents.is_dir():
            shutil.copytree(documents, documents_root(), dirs_exist_ok=True)
    return manifest


class RestoreRefused(Exception):
    pass
