"""What every read of a person's data filters first: archived files (retention, docs/security.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.capabilities import ARCHIVE_READ


def archived_hidden(queryset: QuerySet, user, path: str = "participant") -> QuerySet:
    """`queryset` without the archived participants' rows, unless `user` may open archived files (the direction:
    litigation, a person's late request)."""
    if user.is_authenticated and user.can(ARCHIVE_READ):
        return queryset
    return queryset.filter(**{f"{path}__archived_at__isnull": True})
