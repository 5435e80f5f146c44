"""Temporary lock after repeated failed sign-ins: per account (5 in 15 minutes) and, much higher, per IP.

The lock is keyed on a digest of the login typed, so an unknown e-mail locks exactly like a known one
(no account enumeration). Rows hold no password and no e-mail; see docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LoginFailure

logger = logging.getLogger("parcours.security")


def _digest(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def username_digest(username: str) -> str:
    return _digest("login", (username or "").strip().lower())


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def lock_message(request, username: str) -> str | None:
    """The French refusal if the account or the IP is locked now, None otherwise."""
    now = timezone.now()
    window = timedelta(seconds=settings.PARCOURS_LOGIN_FAILURE_WINDOW)
    limit = settings.PARCOURS_LOGIN_FAILURE_LIMIT
    recent = list(LoginFailure.objects.filter(username_digest=username_digest(username), at__gte=now - window * 2)
                  .order_by("-at").values_list("at", flat=True)[:limit])
    if len(recent) == limit and recent[0] - recent[-1] <= window:
        until = recent[0] + timedelta(seconds=settings.PARCOURS_LOGIN_LOCK_SECONDS)
        if now < until:
            minutes = max(1, round((until - now).total_seconds() / 60))
            return _("Trop de tentatives de connexion infructueuses : ce compte est verrouillé pour "
                     "%(minutes)s minute(s). Réessayez plus tard.") % {"minutes": minutes}
    ip_failures = LoginFailure.objects.filter(ip_digest=_digest("ip", client_ip(request)), at__gte=now - window).count()
    if ip_failures >= settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT:
        return _("Trop de tentatives de connexion depuis ce réseau. Réessayez dans quelques minutes.")
    return None


def failure_record(request, username: str, user=None, reason: str = "password") -> None:
    LoginFailure.objects.create(user=user, username_digest=username_digest(username),
                                ip_digest=_digest("ip", client_ip(request)))
    logger.warning("login failure reason=%s user_id=%s", reason, user.pk if user is not None else "-")


def failures_clear(username: str) -> None:
    LoginFailure.objects.filter(username_digest=username_digest(username)).delete()
