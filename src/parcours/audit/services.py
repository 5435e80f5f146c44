"""Audit rows, written inside the caller's transaction so a change and its trace land together."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AccessLog, AuditEvent, RefusedAccess

security_logger = logging.getLogger("parcours.security")


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def audit_record(*, actor, action: str, obj: models.Model, participant_id: int | None,
                 before: dict | None = None, after: dict | None = None) -> AuditEvent:
    """Record a change; `before`/`after` are snapshots, only differing keys are kept."""
    before, after = before or {}, after or {}
    changes = {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
               if before.get(k) != after.get(k)}
    return AuditEvent.objects.create(actor=actor, action=action, object_type=obj._meta.label_lower,
                                     object_id=str(obj.pk), participant_id=participant_id, changes=changes)


def access_log_record(*, user, participant_id: int, screen: str) -> None:
    AccessLog.objects.create(user=user, participant_id=participant_id, screen=screen)


def access_log_record_many(*, user, participant_ids: Iterable[int], screen: str) -> None:
    """A list, an agenda or a letter shows several people: one row for each person shown, in one query."""
    ids = sorted(set(participant_ids))
    if ids:
        AccessLog.objects.bulk_create([AccessLog(user=user, participant_id=pk, screen=screen) for pk in ids])


def refused_access_record(*, user, url_name: str, kind: int, method: str) -> RefusedAccess:
    """A refused authorisation (403 or 404 answered to a signed-in user): a row for the DPO and a log line.

    Only ids and the URL's name: no path, no query string, nothing typed by the user.
    """
    security_logger.warning("access refused status=%s url_name=%s method=%s user_id=%s", kind, url_name, method,
                            user.pk)
    return RefusedAccess.objects.create(user=user, url_name=url_name[:128], kind=kind, method=method[:8])
