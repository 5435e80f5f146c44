"""Files kept while a form is corrected: a refused form does not lose the file it carried (docs/security.md).

The file waits in the database (`HeldUpload`), for its author only, under a random token the page carries in a
hidden field; it is given back to the form as if uploaded again, and deleted when the form goes through or after
HOLD_SECONDS. Nothing is checked here that the form's own checks do not check again.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from .models import HeldUpload

HOLD_SECONDS = 3600
TOKEN_MAX = 64


def held_uploads_expire() -> int:
    """Delete the files held longer than HOLD_SECONDS; returns how many."""
    deleted, _ = HeldUpload.objects.filter(held_at__lt=timezone.now() - timedelta(seconds=HOLD_SECONDS)).delete()
    return deleted


def upload_hold(*, user, upload: UploadedFile) -> HeldUpload | None:
    """Keep `upload` for `user`; None for a file too large or empty (the form says why, nothing to keep)."""
    if upload.size is None or not 0 < upload.size <= settings.PARCOURS_DOCUMENT_MAX_BYTES:
        return None
    held_uploads_expire()
    upload.seek(0)
    held = HeldUpload.objects.create(user=user, token=secrets.token_urlsafe(32), name=(upload.name or "fichier")[:200],
                                     content_type=(upload.content_type or "")[:100], content=upload.read())
    upload.seek(0)
    return held


def upload_held(*, user, token: str) -> tuple[HeldUpload, UploadedFile] | None:
    """The file `user` left under `token`, as an upload again; None if unknown, another's or expired."""
    if not token or len(token) > TOKEN_MAX:
        return None
    held = HeldUpload.objects.filter(user=user, token=token,
                                     held_at__gte=timezone.now() - timedelta(seconds=HOLD_SECONDS)).first()
    if held is None:
        return None
    return held, SimpleUploadedFile(held.name, bytes(held.content), content_type=held.content_type or None)


def upload_release(*, user, tokens: list[str]) -> None:
    """The form went through: its held files are not needed any more."""
    HeldUpload.objects.filter(user=user, token__in=[t for t in tokens if t]).delete()
