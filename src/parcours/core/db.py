"""Which database a read goes to; a model's columns."""

from django.conf import settings
from django.db import models


def reporting_alias() -> str:
    """The replica when one is configured (PARCOURS_REPLICA_DATABASE_URL), else the primary.

    Reports tolerate the replica's few seconds of lag; anything a user just wrote and expects to
    see must keep reading from the primary.
    """
    return "replica" if "replica" in settings.DATABASES else "default"


def column(model: type[models.Model] | models.Model, name: str) -> models.Field:
    """The model's own field `name` (get_field also finds reverse relations, which have no column)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is a reverse relation, not a column")
    return field
