from django.utils.functional import SimpleLazyObject

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
