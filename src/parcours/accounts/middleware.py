"""Session timeouts and the second-factor gate."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import twofactor
from .sessions import LAST_SEEN, LOGIN_AT, now

# Written at most once a minute, so that a page does not cost a session write.
LAST_SEEN_GRANULARITY = 60


class SessionTimeoutMiddleware:
    """Ends a session idle for PARCOURS_SESSION_IDLE_SECONDS or older than PARCOURS_SESSION_ABSOLUTE_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            stamp = now()
            login_at = session.setdefault(LOGIN_AT, stamp)
            last_seen = session.setdefault(LAST_SEEN, stamp)
            idle = stamp - last_seen > settings.PARCOURS_SESSION_IDLE_SECONDS
            too_old = stamp - login_at > settings.PARCOURS_SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                logout(request)
                messages.info(request, _("Votre session a expiré : reconnectez-vous."))
            elif stamp - last_seen >= LAST_SEEN_GRANULARITY:
                session[LAST_SEEN] = stamp
        return self.get_response(request)


EXEMPT_VIEWS = {"web:login", "web:logout", "web:health"}


class SecondFactorMiddleware:
    """Users whose role requires a second factor reach only the sign-in and second-factor pages until verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace == "accounts" or match.view_name in EXEMPT_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or twofactor.is_verified(request):
            return None
        if not twofactor.second_factor_required(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Double authentification requise : activez-la dans l'interface.")},
                                status=403)
        target = reverse("accounts:verify") if twofactor.has_device(user) else reverse("accounts:twofactor_enrol")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        messages.warning(request, _("Votre rôle exige la double authentification avant d'accéder à Parcours."))
        return redirect(target)
