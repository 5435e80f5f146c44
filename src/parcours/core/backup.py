"""Backup and restore: every table through Django's serialisation (natural keys) plus the documents folder.

The backup is a tar.gz (manifest.json, data.exactjson, documents/…) sealed with AES-256-GCM (`cryptography`): it
holds all the personal data and the accounts' secrets (second-factor keys, API tokens). The key is kept outside the
file (PARCOURS_BACKUP_KEY_FILE or PARCOURS_BACKUP_KEY, made by `parcours backup-key`).

File layout: MAGIC (16 bytes), cipher version (1 byte), key id (8 bytes), nonce (12 bytes), ciphertext, GCM tag
(16 bytes). The header is authenticated with the content. The key id (an HMAC of a constant under the key) tells a
wrong key from a damaged file without saying anything about the key. The archive is streamed through the cipher in
both directions, so a large backup is never held in memory; a restore decrypts into a private temporary folder and
writes nothing to the database before the tag is verified.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "parcours/backup"
# 2: times to the microsecond (the `exactjson` serialisation) and the file sealed with the backup key.
FORMAT_VERSION = 2
DATA = "data.exactjson"
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "accounts.usersession"]

MAGIC = b"PARCOURS-BACKUP\n"
CIPHER_VERSION = 1
KEY_BYTES = 32
KEY_ID_BYTES = 8
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + 1 + KEY_ID_BYTES + NONCE_BYTES
CHUNK_BYTES = 1 << 20
TAMPERED = "Cette sauvegarde est incomplète ou a été modifiée : restauration refusée, rien n'a été écrit."


class RestoreRefused(Exception):
    pass


class BackupKeyError(RestoreRefused):
    """The backup key is missing, unreadable, or not the one that sealed the file."""


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


# --- The key ----------------------------------------------------------------------------------------------------

def backup_key_generate() -> str:
    """A new key, as text (URL-safe base64 of 32 random bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def backup_key_id(key: bytes) -> str:
    """The key's fingerprint, written in the backup's header and shown to the operator (says nothing of the key)."""
    return hmac.new(key, b"parcours backup key id", hashlib.sha256).digest()[:KEY_ID_BYTES].hex()


def backup_key_decode(text: str, *, source: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupKeyError(f"La clé de sauvegarde lue dans {source} est illisible : il faut une clé écrite par "
                             "`parcours backup-key` (32 octets en base64).")
    return key


def backup_key(*, key_file: Path | None = None) -> bytes:
    """The backup key: `key_file`, else the file PARCOURS_BACKUP_KEY_FILE names, else PARCOURS_BACKUP_KEY."""
    path = key_file or (Path(settings.PARCOURS_BACKUP_KEY_FILE) if settings.PARCOURS_BACKUP_KEY_FILE else None)
    if path is not None:
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise BackupKeyError(f"Le fichier de clé de sauvegarde « {path} » ne peut pas être lu "
                                 f"({error.__class__.__name__}).") from None
        return backup_key_decode(text, source=f"le fichier « {path} »")
    if settings.PARCOURS_BACKUP_KEY:
        return backup_key_decode(settings.PARCOURS_BACKUP_KEY, source="PARCOURS_BACKUP_KEY")
    raise BackupKeyError("Clé de sauvegarde absente : les sauvegardes sont chiffrées. Indiquez le fichier de clé dans "
                         "PARCOURS_BACKUP_KEY_FILE (ou la clé dans PARCOURS_BACKUP_KEY) ; "
                         "`parcours backup-key FICHIER` en crée une.")


# --- Sealing ----------------------------------------------------------------------------------------------------

class _SealedWriter:
    """A write-only file object: what is written goes to `raw` encrypted; `finish()` appends the tag."""

    def __init__(self, raw: IO[bytes], key: bytes):
        nonce = secrets.token_bytes(NONCE_BYTES)
        header = MAGIC + bytes([CIPHER_VERSION]) + bytes.fromhex(backup_key_id(key)) + nonce
        self._encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        self._encryptor.authenticate_additional_data(header)
        self._raw = raw
        raw.write(header)

    def write(self, data: bytes) -> int:
        self._raw.write(self._encryptor.update(data))
        return len(data)

    def finish(self) -> None:
        self._raw.write(self._encryptor.finalize())
        self._raw.write(self._encryptor.tag)


def _unseal(path: Path, key: bytes, out: IO[bytes]) -> None:
    """Decrypt `path` into `out`; raises RestoreRefused unless the whole file is authentic."""
    size = path.stat().st_size
    with path.open("rb") as sealed:
        header = sealed.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise RestoreRefused("Ce fichier n'est pas une sauvegarde chiffrée de Parcours.")
        if header[len(MAGIC)] != CIPHER_VERSION:
            raise RestoreRefused("Cette sauvegarde a été écrite par une autre version de Parcours (chiffrement "
                                 f"version {header[len(MAGIC)]}) : restauration refusée.")
        file_key_id = header[len(MAGIC) + 1:len(MAGIC) + 1 + KEY_ID_BYTES].hex()
        if file_key_id != backup_key_id(key):
            raise BackupKeyError(f"La clé ne correspond pas : cette sauvegarde a été chiffrée avec la clé "
                                 f"d'empreinte {file_key_id}, la clé donnée a l'empreinte {backup_key_id(key)}. "
                                 "Rien n'a été restauré.")
        if size < HEADER_BYTES + TAG_BYTES:
            raise RestoreRefused(TAMPERED)
        sealed.seek(size - TAG_BYTES)
        tag = sealed.read(TAG_BYTES)
        sealed.seek(HEADER_BYTES)
        decryptor = Cipher(algorithms.AES(key), modes.GCM(header[-NONCE_BYTES:], tag)).decryptor()
        decryptor.authenticate_additional_data(header)
        remaining = size - HEADER_BYTES - TAG_BYTES
        while remaining:
            chunk = sealed.read(min(CHUNK_BYTES, remaining))
            remaining -= len(chunk)
            out.write(decryptor.update(chunk))
        try:
            out.write(decryptor.finalize())
        except InvalidTag:
            raise RestoreRefused(TAMPERED) from None


# --- Backup and restore ------------------------------------------------------------------------------------------

def backup_write(path: Path, *, key: bytes) -> dict[str, Any]:
    """Write the sealed backup to `path` (mode 0600), through a partial file renamed at the end."""
    path = Path(path)
    partial = path.with_name(path.name + ".partiel")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / DATA
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, format="exactjson", output=str(data),
                     verbosity=0)
        manifest = {"format": FORMAT, "version": FORMAT_VERSION, "database": connection.vendor,
                    "key_id": backup_key_id(key),
                    "counts": {m._meta.label_lower: m._default_manager.count() for m in backed_up_models()}}
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=1))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                sealer = _SealedWriter(raw, key)
                # "w|gz": a stream, written once, front to back, through the cipher.
                with tarfile.open(fileobj=sealer, mode="w|gz") as archive:  # type: ignore[call-overload]
                    archive.add(Path(tmp) / "manifest.json", arcname="manifest.json")
                    archive.add(data, arcname=DATA)
                    if documents_root().is_dir():
                        archive.add(documents_root(), arcname="documents")
                sealer.finish()
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def database_is_empty() -> bool:
    return not any(m._default_manager.exists() for m in backed_up_models())


def restore_read(path: Path, *, key: bytes, force: bool = False) -> dict[str, Any]:
    """Load `path` into this (migrated) database; refuses a non-empty one unless `force` (then it is flushed).

    The file is authenticated and read before the database is touched; the flush and the load are one
    transaction, so a refused or failing load leaves the database as it was."""
    with tempfile.TemporaryDirectory() as tmp:
        archive_path = Path(tmp) / "sauvegarde.tar.gz"
        with archive_path.open("wb") as out:
            _unseal(Path(path), key, out)
        unpacked = Path(tmp) / "contenu"
        try:
            with tarfile.open(archive_path, mode="r:gz") as archive:
                if not {"manifest.json", DATA} <= set(archive.getnames()):
                    raise RestoreRefused("Ce fichier n'est pas une sauvegarde de Parcours.")
                archive.extractall(unpacked, filter="data")
        except tarfile.TarError:
            raise RestoreRefused("Ce fichier n'est pas une sauvegarde de Parcours.") from None
        manifest = json.loads((unpacked / "manifest.json").read_text())
        if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
            raise RestoreRefused("Ce fichier n'est pas une sauvegarde de Parcours de cette version.")
        call_command("migrate", verbosity=0, interactive=False)
        if not database_is_empty() and not force:
            raise RestoreRefused("La base de données n'est pas vide : restauration refusée (utilisez --force pour "
                                 "l'effacer et la remplacer par la sauvegarde).")
        with transaction.atomic():
            if force:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(unpacked / DATA), verbosity=0)
        documents = unpacked / "documents"
        if documents.is_dir():
            shutil.copytree(documents, documents_root(), dirs_exist_ok=True)
    return manifest
