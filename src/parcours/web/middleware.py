import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from parcours.organisations.scope import SCOPE_SESSION_KEY, scope_of, scope_request


class ScopeMiddleware:
    """Every signed-in request works in one of the user's memberships: the one chosen in the header (kept in the
    session), else the first. `request.scope` says which; `request.user.can(...)` then asks its role only. Both
    read the memberships when first asked (a request that checks nothing, the health probe, reads none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.scope = None
        if user is not None and user.is_authenticated:
            scope_request(user, request.session.get(SCOPE_SESSION_KEY))
            request.scope = SimpleLazyObject(lambda: scope_of(user))
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a signed-in user hold personal data: never let a browser or proxy cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class RefusedAccessLogMiddleware:
    """The one place that logs refused authorisations, for the web interface and the API alike.

    A view answering 404 (an object outside the user's scope: `get_object_or_404` on a visible queryset) or 403
    (an area reserved to other roles, a refused CSRF check) to a signed-in user leaves an `audit.RefusedAccess`
    row and a `parcours.security` log line: user id, URL name, status, method; never the path or its query.
    Placed after the authentication middleware; the API's token user is seen here too, because DRF sets the
    user it authenticated on the underlying request. Unresolved paths (no URL name) are not authorisations.
    """

    STATUSES = frozenset({403, 404})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.STATUSES:
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            if match is not None and user is not None and user.is_authenticated:
                from parcours.audit.services import refused_access_record

                refused_access_record(user=user, url_name=match.view_name, kind=response.status_code,
                                      method=request.method)
        return response


class DatabaseUnavailableMiddleware:
    """A view whose database failed under it (connection dropped, server restarting, lock wait ran out) answers 503
    with Retry-After and says that nothing was saved, instead of a bare 500 the user could take for a success.

    True because writes are services, each one transaction (docs/architecture.md): the failed one was rolled back.
    The page is rendered without the request's context (no user, no session, no query): the database is down.
    Django closes the broken connection at the end of the request; the next one reconnects (CONN_HEALTH_CHECKS
    tests a kept PostgreSQL connection first). The log line names the view and the error class, not its message.
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        match = getattr(request, "resolver_match", None)
        logging.getLogger("parcours.database").error(
            "database unavailable error=%s url_name=%s method=%s", exception.__class__.__name__,
            match.view_name if match else None, request.method)
        message = _("La base de données ne répond pas : rien n'a été enregistré. Réessayez dans quelques instants.")
        if match is not None and "api" in match.namespaces:
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(render_to_string("web/503.html", {"message": message}), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
