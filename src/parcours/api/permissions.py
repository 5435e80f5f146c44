"""Role gates of the API: a whole operation reserved to some roles answers 403 to the others.

The gate runs before any object is fetched, so a 403 says nothing about whether an object exists (another
structure's object is a 404, from the scoped querysets of organisations.access).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class RoleForbidden(exceptions.APIException):
    """Not a DRF PermissionDenied: the exception handler turns those into 404, this one stays a 403."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Votre rôle ne donne pas accès à cette opération de l'API.")
    default_code = "role_forbidden"


def roles_check(user, roles: Iterable[str], message=None) -> None:
    if not (user.is_authenticated and user.roles & frozenset(roles)):
        raise RoleForbidden(message)


class RoleGatedMixin:
    """`action_roles` maps a viewset action ("list", "create"…) to the roles allowed; absent: no gate."""

    action_roles: dict[str, frozenset[str]] = {}
    action_refusals: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)   # authentication, IsAuthenticated
        roles = self.action_roles.get(getattr(self, "action", None))
        if roles is not None:
            roles_check(request.user, roles, self.action_refusals.get(self.action))
