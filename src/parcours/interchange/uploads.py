"""Deposited files → one zip holding only the spec's files, at its root (docs/interchange.md).

A deposit is either one zip archive or some of the four CSV files. Names are checked against the spec's list, sizes
against the limits, and nothing is ever extracted under a name taken from the archive: each accepted member is
copied under its spec name (`participants.csv`…) into a new zip, so a member called `../../etc/passwd` or
`/tmp/x` can do no harm; it is refused anyway, by name. Declared sizes in a zip may lie: bytes are counted while
copying.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .reader import FILES, STANDALONE_FILES, required_files

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 100 * MB              # what may be deposited (the zip, or the CSV files together)
DEFAULT_MAX_UNCOMPRESSED_BYTES = 500 * MB  # the CSV files once unzipped (about 5 million rows)
CHUNK = 1024 * 1024
# Left by the archivers of some systems, never seen by the person who made the zip.
IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


def max_bytes() -> int:
    return getattr(settings, "PARCOURS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_uncompressed_bytes() -> int:
    return getattr(settings, "PARCOURS_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",").removesuffix(",0")


def _allowed() -> str:
    return ", ".join(FILES)


class _TooLarge(Exception):
    pass


@dataclass
class Deposit:
    """The repacked zip (a temporary file, deleted on close) and what it holds: [{"name", "size"}]."""

    archive: tempfile.SpooledTemporaryFile
    files: list[dict]

    def close(self) -> None:
        self.archive.close()


def deposit_pack(uploads: list) -> Deposit:
    """Check the uploaded files (Django UploadedFile-like: .name, .size, .chunks(), .open()) and repack them.

    Raises ValidationError({"files": [French messages naming each file]}) without keeping anything.
    """
    errors: list[str] = []
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise ValidationError({"files": [_("Fichiers : choisissez une archive zip ou les fichiers CSV du jeu de "
                                           "données.")]})
    limit = max_bytes()
    for upload in uploads:
        if upload.size > limit:
            errors.append(_("%(name)s : fichier trop volumineux (%(size)s Mo, %(max)s Mo au plus).")
                          % {"name": upload.name, "size": _megabytes(upload.size), "max": _megabytes(limit)})
    total = sum(u.size for u in uploads)
    if not errors and total > limit:
        errors.append(_("Les fichiers déposés pèsent %(size)s Mo ensemble : %(max)s Mo au plus.")
                      % {"size": _megabytes(total), "max": _megabytes(limit)})
    zips = [u for u in uploads if u.name.lower().endswith(".zip")]
    if zips and len(uploads) > 1:
        errors.append(_("%(name)s : une archive zip se dépose seule, sans autre fichier.") % {"name": zips[0].name})
    if errors:
        raise ValidationError({"files": errors})
    archive = tempfile.SpooledTemporaryFile(max_size=8 * MB, suffix=".zip")
    try:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as packed:
            files = _from_zip(zips[0], packed, errors) if zips else _from_csv(uploads, packed, errors)
        if not errors:
            present = {f["name"] for f in files}
            errors.extend(_("%(name)s : fichier obligatoire absent du dépôt.") % {"name": name}
                          for name in required_files(standalone=bool(present & set(STANDALONE_FILES)))
                          if name not in present)
        if errors:
            raise ValidationError({"files": errors})
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    return Deposit(archive=archive, files=sorted(files, key=lambda f: FILES.index(f["name"])))


def _copy(source, packed: zipfile.ZipFile, name: str, budget: list[int]) -> int:
    """Copy a stream into the new zip as `name`, counting bytes against the uncompressed budget."""
    size = 0
    with packed.open(name, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _TooLarge
            target.write(chunk)
    return size


def _from_csv(uploads: list, packed: zipfile.ZipFile, errors: list[str]) -> list[dict]:
    seen: set[str] = set()
    accepted = []
    for upload in uploads:
        name = upload.name
        if name not in FILES:
            errors.append(_("%(name)s : nom de fichier inconnu. Fichiers admis : %(allowed)s, ou une archive zip "
                            "qui les contient.") % {"name": name, "allowed": _allowed()})
        elif name in seen:
            errors.append(_("%(name)s : fichier déposé deux fois.") % {"name": name})
        else:
            seen.add(name)
            accepted.append(upload)
    if errors:
        return []
    budget = [max_uncompressed_bytes()]
    files = []
    for upload in accepted:
        upload.seek(0)
        try:
            files.append({"name": upload.name, "size": _copy(upload, packed, upload.name, budget)})
        except _TooLarge:
            errors.append(_("Les fichiers déposés dépassent %(max)s Mo.")
                          % {"max": _megabytes(max_uncompressed_bytes())})
            return []
    return files


def _member_problem(member: str) -> str | None:
    """Why an archive member's name is refused, or None; `member` uses "/" (backslashes made slashes)."""
    path = PurePosixPath(member)
    if member.startswith("/") or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return _("chemin interdit dans l'archive (chemin absolu ou « .. »)")
    return None


def _from_zip(upload, packed: zipfile.ZipFile, errors: list[str]) -> list[dict]:
    zip_name = upload.name
    upload.seek(0)
    try:
        source = zipfile.ZipFile(upload)
        infos = source.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        errors.append(_("%(name)s : archive zip illisible ou endommagée.") % {"name": zip_name})
        return []
    chosen: dict[str, zipfile.ZipInfo] = {}
    folders: set[str] = set()
    for info in infos:
        member = info.filename.replace("\\", "/")
        if info.is_dir() or member.startswith(IGNORED_PREFIXES) or PurePosixPath(member).name in IGNORED_NAMES:
            continue
        where = {"zip": zip_name, "member": member}
        problem = _member_problem(member)
        if problem:
            errors.append(_("%(zip)s : « %(member)s » : %(problem)s.") % {**where, "problem": problem})
            continue
        parts = PurePosixPath(member).parts
        name = parts[-1]
        if name not in FILES:
            errors.append(_("%(zip)s : « %(member)s » : nom de fichier inconnu. Fichiers admis : %(allowed)s.")
                          % {**where, "allowed": _allowed()})
            continue
        if len(parts) > 2:
            errors.append(_("%(zip)s : « %(member)s » : les fichiers doivent être à la racine de l'archive ou dans "
                            "un seul dossier.") % where)
            continue
        if info.flag_bits & 0x1:
            errors.append(_("%(zip)s : « %(member)s » : fichier protégé par un mot de passe ; déposez une archive "
                            "sans mot de passe.") % where)
            continue
        if name in chosen:
            errors.append(_("%(zip)s : « %(member)s » : %(name)s figure deux fois dans l'archive.")
                          % {**where, "name": name})
            continue
        folders.add(parts[0] if len(parts) == 2 else "")
        chosen[name] = info
    if len(folders) > 1:
        errors.append(_("%(zip)s : les fichiers doivent être à la racine de l'archive ou dans un seul dossier.")
                      % {"zip": zip_name})
    limit = max_uncompressed_bytes()
    if not errors and sum(info.file_size for info in chosen.values()) > limit:
        errors.append(_("%(zip)s : une fois décompressés, les fichiers dépassent %(max)s Mo.")
                      % {"zip": zip_name, "max": _megabytes(limit)})
    if errors:
        return []
    budget = [limit]
    files = []
    for name in FILES:
        if name not in chosen:
            continue
        info = chosen[name]
        try:
            with source.open(info) as member:
                files.append({"name": name, "size": _copy(member, packed, name, budget)})
        except _TooLarge:
            errors.append(_("%(zip)s : une fois décompressés, les fichiers dépassent %(max)s Mo.")
                          % {"zip": zip_name, "max": _megabytes(limit)})
            return []
        except NotImplementedError:
            errors.append(_("%(zip)s : « %(member)s » : méthode de compression non prise en charge (utilisez "
                            "« deflate », la méthode habituelle).") % {"zip": zip_name, "member": info.filename})
            return []
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError):
            errors.append(_("%(zip)s : « %(member)s » : fichier endommagé dans l'archive.")
                          % {"zip": zip_name, "member": info.filename})
            return []
    return files


def deposit_extract(stored, directory: Path) -> None:
    """Write the stored zip's spec files into `directory` under their spec names (and no other)."""
    with stored.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = set(archive.namelist())
        for name in FILES:
            if name in names:
                with archive.open(name) as source, open(directory / name, "wb") as target:
                    shutil.copyfileobj(source, target, CHUNK)
