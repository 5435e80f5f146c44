"""Session authentication whose failed CSRF check says so (403), in French, instead of passing for a 404."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as drf_spectacular_authentication
from rest_framework import authentication, exceptions


class CsrfFailed(exceptions.PermissionDenied):
    """A session-authenticated write without a valid CSRF token: the client must send it, nothing was hidden."""

    default_detail = _("La vérification CSRF a échoué : envoyez le jeton CSRF (en-tête X-CSRFToken) avec une "
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
