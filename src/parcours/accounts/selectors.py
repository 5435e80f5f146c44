"""Reads of API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken


def api_token_by_secret(*, secret: str) -> ApiToken | None:
    """The token whose secret this is (with its user), whatever its state; None if there is none."""
    return ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(secret)).first()


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, every state (the account page shows the revoked and expired ones too)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
