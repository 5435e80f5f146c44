"""What every read of a person's data filters first: archived files (retention, docs/security.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.enums import Role

# The role that still sees archived files (litigation, a person's late request).
ARCHIVE_ROLES = frozenset({Role.DIRECTOR})


def archived_hidden(queryset: QuerySet, user, path: str = "participant") -> QuerySet:
    """`queryset` without the archived participants' rows, unless `user` holds an archive role."""
    if user.is_authenticated and user.roles & ARCHIVE_ROLES:
        return queryset
    return queryset.filter(**{f"{path}__archived_at__isnull": True})
