"""A form acts once: the one-time token each creating form carries, claimed in the transaction of its write.

A form page renders a fresh random token (`web.submission`, template tag `submission_token`). When the post
arrives, `submission_claim` inserts (user, token) in the transaction that will hold the write: a second copy of
the same post (a double click, a request resent by the browser or a proxy) waits on the unique constraint until
the first commits, then finds it and writes nothing. If the first fails, its transaction takes the claim away
with it, and the copy is treated as the first. Rows are purged after PARCOURS_FORM_TOKEN_KEPT_SECONDS by
`parcours retention` (docs/security.md, "Faults").
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FormSubmission


def submission_token_parse(value: str | None) -> uuid.UUID | None:
    """The token sent with a form, or None when absent or not one of ours."""
    try:
        return uuid.UUID(value) if value else None
    except (ValueError, TypeError, AttributeError):
        return None


def submission_claim(*, user, token: uuid.UUID) -> FormSubmission | None:
    """Claim `token` for `user` inside the caller's transaction.

    Returns None when the claim is new (the caller goes on and writes), or the earlier claim of that token when it
    was sent already (the caller writes nothing and answers as the first did). Must run inside an atomic block
    that also holds the write, so that the claim and the write commit or vanish together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submission_claim must run in the transaction of the write it guards")
    try:
        with transaction.atomic():   # a savepoint: a refused insert leaves the caller's transaction usable
            FormSubmission.objects.create(user=user, token=token)
    except IntegrityError:
        return FormSubmission.objects.get(user=user, token=token)
    return None


def submission_answer_record(*, user, token: uuid.UUID, answer: str) -> None:
    """Keep where the first post sent the user (a path with ids only), for the copies that follow."""
    FormSubmission.objects.filter(user=user, token=token).update(answer=answer[:500])


def submission_release(*, user, token: uuid.UUID) -> None:
    """The post was refused (bad input): the same token may be sent again once corrected."""
    FormSubmission.objects.filter(user=user, token=token).delete()


def form_submissions_purge(*, now: datetime | None = None) -> int:
    """Delete claims older than PARCOURS_FORM_TOKEN_KEPT_SECONDS (no copy of a post arrives that late)."""
    limit = (now or timezone.now()) - timedelta(seconds=settings.PARCOURS_FORM_TOKEN_KEPT_SECONDS)
    return FormSubmission.objects.filter(at__lt=limit).delete()[0]
