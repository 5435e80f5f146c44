"""Builders of the accounts app: a user's API token, stored as the service stores it (hashed), without its audit
row (a factory builds state; tests/accounts/test_api_tokens.py tests the service and its audit)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from parcours.accounts.models import ApiToken
from parcours.accounts.services import PREFIX_LENGTH, api_token_secret_generate


def api_token(user, *, label: str = "Logiciel de test", used: bool = True) -> str:
    """A new API token of `user`; returns its secret (what a client sends), which the database does not hold.

    `used`: its last use is now, as for a system that just called, so that the API's pinned query counts measure
    the steady state (the last use is written at most once a minute; the first use is tested on its own)."""
    secret = api_token_secret_generate()
    now = timezone.now()
    ApiToken.objects.create(user=user, label=label, prefix=secret[:PREFIX_LENGTH], digest=ApiToken.digest_of(secret),
                            created_at=now, expires_at=now + timedelta(days=settings.PARCOURS_API_TOKEN_DAYS),
                            last_used_at=now if used else None)
    return secret
