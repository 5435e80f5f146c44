"""Writes on API tokens: create (the secret is returned once), revoke one, revoke all of a user, mark a use."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record

from .enums import ApiTokenRevocation
from .models import ApiToken

logger = logging.getLogger("parcours.security")

# "prc_" says where a leaked secret comes from (secret scanners can look for it); 32 random bytes follow.
SECRET_START = "prc_"
PREFIX_LENGTH = len(SECRET_START) + 6
# The last use is written at most once a minute, so that an API call does not cost a write.
LAST_USED_GRANULARITY = timedelta(seconds=60)


def api_token_secret_generate() -> str:
    return SECRET_START + secrets.token_urlsafe(32)


def api_token_create(*, user, label: str) -> tuple[ApiToken, str]:
    """A new token of `user`, valid PARCOURS_API_TOKEN_DAYS days; returns it and its secret (never stored)."""
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": _("Donnez un nom au jeton, par exemple le logiciel qui l'utilisera.")})
    secret = api_token_secret_generate()
    now = timezone.now()
    token = ApiToken(user=user, label=label, prefix=secret[:PREFIX_LENGTH], digest=ApiToken.digest_of(secret),
                     created_at=now, expires_at=now + timedelta(days=settings.PARCOURS_API_TOKEN_DAYS))
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(actor=user, action="api_token_create", obj=token, participant_id=None,
                     after={"user": user.pk, "expires_at": token.expires_at.isoformat()})
    logger.info("api token created user_id=%s token_id=%s", user.pk, token.pk)
    return token, secret


def _revoke(tokens: list[ApiToken], *, reason: ApiTokenRevocation, by) -> None:
    now = timezone.now()
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now, revoked_reason=reason)
    for token in tokens:
        token.revoked_at, token.revoked_reason = now, reason
        audit_record(actor=by, action="api_token_revoke", obj=token, participant_id=None,
                     before={"revoked_reason": ""}, after={"revoked_reason": str(reason)})


def api_token_revoke(*, token: ApiToken, by, reason: ApiTokenRevocation = ApiTokenRevocation.HOLDER) -> ApiToken:
    """Revoke one token (its holder, from the account page)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError({"token": _("Ce jeton est déjà révoqué.")})
        _revoke([token], reason=reason, by=by)
    logger.info("api token revoked user_id=%s token_id=%s reason=%s", token.user_id, token.pk, reason)
    return token


def api_tokens_revoke_all(*, user_id: int, reason: ApiTokenRevocation, by=None) -> int:
    """Revoke every token of the user that still works; returns how many. `by` is None when no person acted
    directly (a password or membership change seen by a signal: the change itself has its own audit row)."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.select_for_update()
                      .filter(user_id=user_id, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by("pk"))
        if tokens:
            _revoke(tokens, reason=reason, by=by)
    if tokens:
        logger.info("api tokens revoked user_id=%s reason=%s count=%s", user_id, reason, len(tokens))
    return len(tokens)


def api_token_mark_used(*, token: ApiToken, at: datetime) -> None:
    """Record a use, at most once per LAST_USED_GRANULARITY (one UPDATE, no audit row: a use changes nothing)."""
    if token.last_used_at is None or at - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
