"""API authentication by personal token (accounts.ApiToken): `Authorization: Token <secret>` or `Bearer <secret>`;
and the session's, whose failed CSRF check says so (403), in French, instead of passing for a 404.

Replaces DRF's TokenAuthentication (a plain key in the database, never expiring): the secret is looked up by its
SHA-256 digest; an expired or revoked token, or a disabled account, is refused with a French message (401).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular import authentication as drf_spectacular_authentication
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from parcours.accounts.enums import ApiTokenState
from parcours.accounts.selectors import api_token_by_secret
from parcours.accounts.services import api_token_mark_used

KEYWORDS = (b"token", b"bearer")


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y à %H:%M")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("En-tête Authorization invalide : écrivez « Token » suivi du jeton, sans espace dans le jeton."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("Jeton invalide : il ne contient que des caractères ASCII.")) from None
        token = api_token_by_secret(secret=secret)
        now = timezone.now()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton inconnu."))
        state = token.state(now)
        if state == ApiTokenState.REVOKED:
            raise exceptions.AuthenticationFailed(
                _("Ce jeton a été révoqué le %(date)s (%(reason)s) : créez-en un autre dans « Mon compte ».")
                % {"date": _date(token.revoked_at), "reason": token.get_revoked_reason_display()})
        if state == ApiTokenState.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _("Ce jeton a expiré le %(date)s : créez-en un autre dans « Mon compte ».")
                % {"date": _date(token.expires_at)})
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ce compte est désactivé."))
        api_token_mark_used(token=token, at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 (not a 403) for a missing or refused token, with the scheme to use.
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of this scheme (drf-spectacular knows only DRF's own classes)."""

    target_class = "parcours.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class CsrfFailed(exceptions.PermissionDenied):
    """A session-authenticated write without a valid CSRF token: the client must send it, nothing was hidden."""

    default_detail = _lazy("La vérification CSRF a échoué : envoyez le jeton CSRF (en-tête X-CSRFToken) avec une "
                           "requête authentifiée par la session.")
    default_code = "csrf_failed"


class SessionAuthentication(authentication.SessionAuthentication):
    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise CsrfFailed() from None


class SessionScheme(drf_spectacular_authentication.SessionScheme):
    """The schema describes this session authentication as drf-spectacular describes DRF's (a cookie)."""

    target_class = "parcours.api.authentication.SessionAuthentication"
