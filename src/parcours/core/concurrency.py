"""Optimistic locking: a save from a stale form is refused instead of silently overwriting someone's work."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.db import column


class StaleObjectError(Exception):
    """The row changed (or disappeared) since `expected_version` was read."""

    def __init__(self, obj: models.Model, expected_version: int):
        self.obj, self.expected_version = obj, expected_version
        super().__init__(_("Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte. "
                           "Rechargez la page pour voir la version actuelle, puis refaites vos modifications."))


def save_with_version(obj: models.Model, expected_version: int, fields: list[str]) -> None:
    """UPDATE … SET fields, version = version + 1 WHERE pk = … AND version = expected_version.

    `obj` carries the new values and a `version` column; on success obj.version is the new version. auto_now
    fields are refreshed.
    """
    meta = obj._meta
    values = {}
    for name in fields:
        field = column(obj, name)
        values[field.attname] = getattr(obj, field.attname)
    now = timezone.now()
    for field in meta.concrete_fields:
        if getattr(field, "auto_now", False):
            values[field.attname] = now
            setattr(obj, field.attname, now)
    updated = (type(obj)._default_manager.filter(pk=obj.pk, version=expected_version)
               .update(version=F("version") + 1, **values))
    if updated != 1:
        raise StaleObjectError(obj, expected_version)
    setattr(obj, column(obj, "version").attname, expected_version + 1)
