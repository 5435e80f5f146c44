"""Reads on roles: the requests for a role of enums.CONFIRMED_ROLES still waiting for a second administrator."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from .enums import GrantRequestState
from .models import MembershipGrantRequest


def grant_requests_pending(*, territory_ids: Iterable[int], account_id: int | None = None) -> QuerySet:
    """Pending, unexpired requests on the structures of these territories (of one account, with `account_id`),
    oldest first, with what their lists show."""
    requests = (MembershipGrantRequest.objects
                .filter(state=GrantRequestState.PENDING, expires_at__gt=timezone.now(),
                        organisation__territory_id__in=list(territory_ids))
                .select_related("account", "organisation", "requested_by").order_by("requested_at", "pk"))
    return requests if account_id is None else requests.filter(account_id=account_id)
