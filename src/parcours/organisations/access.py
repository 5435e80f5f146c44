"""Where a user works: the territories of their memberships, the structures of a role, assignable referents.

Each app scopes its own querysets in its `access.py` from these (pathways.access, plie.intake.access,
plie.commissions.access…), so another structure's object is simply not found (404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from .enums import Role
from .models import PLIE_TEAM_ROLES, Membership, Organisation, User


def team_territory_ids(user: User) -> set[int]:
    return {m.organisation.territory_id for m in user.active_memberships if m.role in PLIE_TEAM_ROLES}


def user_territory_ids(user: User) -> set[int]:
    return {m.organisation.territory_id for m in user.active_memberships}


def referents_assignable_by(user: User) -> QuerySet:
    """Referents the animation team may assign applications to."""
    return Membership.objects.filter(
        role=Role.REFERENT, is_active=True, user__is_active=True,
        organisation__territory_id__in=team_territory_ids(user),
    ).select_related("user", "organisation").order_by("user__last_name", "user__first_name", "organisation__name", "pk")


def organisations_of(user: User, role: str) -> QuerySet:
    return Organisation.objects.filter(pk__in=user.organisation_ids(role))
