"""Capability gates of the API, and the scope an API request works in.

A whole operation reserved to some capabilities answers 403 to the others. The gate runs before any object is
fetched, so a 403 says nothing about whether an object exists (another structure's object is a 404, from the
scoped querysets of each app's access.py).

Scope: like the interface, an API request works in one of the user's memberships: the one the
`X-Parcours-Structure` header names (a membership id, from the account page), else the one chosen in the
session (a browser's), else the first.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, status

from parcours.organisations.scope import SCOPE_SESSION_KEY, membership_of, scope_request

SCOPE_HEADER = "HTTP_X_PARCOURS_STRUCTURE"


class RoleForbidden(exceptions.APIException):
    """Not a DRF PermissionDenied: the exception handler turns those into 404, this one stays a 403."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Votre rôle ne donne pas accès à cette opération de l'API.")
    default_code = "role_forbidden"


class InScope(permissions.IsAuthenticated):
    """Signed in, and working in one of their memberships (the header's, the session's, or the first)."""

    message = _("Authentification requise.")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        named = request.META.get(SCOPE_HEADER)
        if named is not None:
            if not named.isdigit() or membership_of(request.user, int(named)) is None:
                raise exceptions.NotFound(_("Structure inconnue parmi les vôtres (en-tête X-Parcours-Structure)."))
            scope_request(request.user, int(named))
        else:
            session = getattr(request, "session", None)
            scope_request(request.user, session.get(SCOPE_SESSION_KEY) if session is not None else None)
        return True


def capability_check(user, *capabilities: str, message=None) -> None:
    if not (user.is_authenticated and any(user.can(capability) for capability in capabilities)):
        raise RoleForbidden(message)


class CapabilityGatedMixin:
    """`action_capabilities` maps a viewset action ("list", "create"…) to the capabilities (one of them) it
    needs; absent: no gate."""

    action_capabilities: dict[str, frozenset[str]] = {}
    action_refusals: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)   # authentication, InScope
        capabilities = self.action_capabilities.get(getattr(self, "action", None))
        if capabilities is not None:
            capability_check(request.user, *capabilities, message=self.action_refusals.get(self.action))
