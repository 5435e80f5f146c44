"""Writes on participants' documents: checked by their content, stored under a generated name.

Stored through the default storage (outside any web root, settings.STORAGES); served only by a view that
checks visibility (web.pathways.views.document_download).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot

from .enums import DocumentKind
from .models import Document, Participant, ParticipantSituation

# Accepted formats, recognised by their first bytes (the extension and the browser's type are not trusted).
PDF, JPEG, PNG, ODT, DOCX = "pdf", "jpg", "png", "odt", "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    ODT: "application/vnd.oasis.opendocument.text",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ODF_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_detect_type(upload) -> str | None:
    """The extension of the format `upload` really is (pdf, jpg, png, odt, docx), or None."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return None


def _office_type(upload) -> str | None:
    """ODT and DOCX are zip archives: ODT names its type in a first `mimetype` member, DOCX has word/document.xml."""
    # ODF requires `mimetype` stored first and uncompressed: its bytes sit at offset 38.
    upload.seek(0)
    head = upload.read(38 + len(ODF_MIMETYPE))
    upload.seek(0)
    if head[30:38] == b"mimetype" and head[38:] == ODF_MIMETYPE:
        return ODT
    try:
        data = upload.read()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    return None


def _generated_name(extension: str) -> str:
    """A random name with no personal data and nothing from the user; the field's upload_to adds participants/Y/m/."""
    return f"{uuid.uuid4().hex}.{extension}"


def document_upload(*, participant: Participant, pathway, by, kind: str, title: str, upload) -> Document:
    """Store an uploaded file for the participant (and the pathway): size and real type checked."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Titre : ce champ est obligatoire.")]
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Type : choisissez un type de document.")]
    extension = None
    if upload is None:
        errors["file"] = [_("Fichier : choisissez un fichier.")]
    elif upload.size > settings.PARCOURS_DOCUMENT_MAX_BYTES:
        errors["file"] = [_("Fichier : %(size)s Mo au plus.") % {
            "size": settings.PARCOURS_DOCUMENT_MAX_BYTES // (1024 * 1024) or 1}]
    elif upload.size == 0:
        errors["file"] = [_("Fichier : le fichier est vide.")]
    else:
        extension = document_detect_type(upload)
        if extension is None:
            errors["file"] = [_("Fichier : format non accepté. Formats acceptés : PDF, JPEG, PNG, ODT, DOCX.")]
    if errors or extension is None:  # no extension means an error on the file
        raise ValidationError(errors)
    document = Document(participant=participant, pathway=pathway, kind=kind, title=title[:200],
                        content_type=CONTENT_TYPES[extension], size=upload.size, uploaded_by=by)
    document.file.save(_generated_name(extension), File(upload), save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_record(actor=by, action="document.upload", obj=document, participant_id=participant.pk, before={},
                         after=model_snapshot(document, ["kind", "title", "content_type", "size", "pathway_id"]))
    except Exception:
        # No row, no file: do not leave an orphan in the storage.
        document.file.delete(save=False)
        raise
    return document


def document_download_name(document: Document) -> str:
    """The file name offered to the browser: the document's number and kind, never the person's name."""
    extension = next((ext for ext, ctype in CONTENT_TYPES.items() if ctype == document.content_type), "bin")
    return f"document-{document.pk}-{document.kind}.{extension}"


def participant_situations_write(*, participant: Participant, values: Mapping[str, bool | None], by,
                                 on: date | None = None) -> dict[str, bool | None]:
    """Record criteria of the person: yes/no as a row, None (unknown) as no row; returns the values before.

    The caller checks the codes against the programmes' criteria (programmes.registry.criteria_refusal), runs
    this in its transaction and writes the audit row with the person's other changes. Rows whose value does not
    change keep their date and author. At most four queries whatever the number of codes."""
    on = on or timezone.localdate()
    if any(not code for code in values):
        raise ValueError("empty criterion code")
    existing = {row.code: row for row in ParticipantSituation.objects.filter(participant=participant,
                                                                            code__in=list(values))}
    before = {code: existing[code].value if code in existing else None for code in values}
    forgotten = [existing[code].pk for code, value in values.items() if value is None and code in existing]
    changed, created = [], []
    for code, value in values.items():
        if value is None:
            continue
        row = existing.get(code)
        if row is None:
            created.append(ParticipantSituation(participant=participant, code=code, value=bool(value),
                                                recorded_on=on, recorded_by=by))
        elif row.value != bool(value):
            row.value, row.recorded_on, row.recorded_by = bool(value), on, by
            changed.append(row)
    if forgotten:
        ParticipantSituation.objects.filter(pk__in=forgotten).delete()
    if changed:
        ParticipantSituation.objects.bulk_update(changed, ["value", "recorded_on", "recorded_by"])
    if created:
        ParticipantSituation.objects.bulk_create(created)
    # The person's cached rows are stale now.
    getattr(participant, "_prefetched_objects_cache", {}).pop("situations", None)
    return before
