"""Session bookkeeping: timestamps kept in the session, and ending every session of a user."""

from __future__ import annotations

import datetime
import time
from importlib import import_module

from django.conf import settings

from .models import UserSession

LOGIN_AT = "parcours.login_at"
LAST_SEEN = "parcours.last_seen"
REAUTH_AT = "parcours.reauth_at"
OTP_VERIFIED = "parcours.otp_device"


def now() -> int:
    return int(time.time())


def session_register(request, user) -> None:
    """Called at sign-in: the session key is the new one (Django cycles it in login())."""
    stamp = now()
    request.session[LOGIN_AT] = stamp
    request.session[LAST_SEEN] = stamp
    request.session[REAUTH_AT] = stamp
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})


def sessions_end(user, keep: str | None = None) -> int:
    """End every session of `user` except `keep`; returns how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def reauth_fresh(request) -> bool:
    stamp = request.session.get(REAUTH_AT)
    return stamp is not None and now() - stamp <= settings.PARCOURS_REAUTH_SECONDS


def reauth_moment(request) -> datetime.datetime | None:
    """When the user last typed their password (and code): at sign-in or on the re-authentication page."""
    stamp = request.session.get(REAUTH_AT)
    return None if stamp is None else datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
