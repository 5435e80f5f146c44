"""Where a user works, in their current scope: the territories of their structures, the structures where they hold
a capability, the referents they may assign.

Each app scopes its own querysets in its `access.py` from these (pathways.access, plie.intake.access,
plie.commissions.access…), so another structure's object is simply not found (404).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from parcours.territory.models import Helpdesk

from .capabilities import ADMINISTRATION_MANAGE, PATHWAY_ASSIGN, PLACES_MANAGE, TERRITORY_FILES
from .enums import Role
from .models import Membership, User
from .scope import territory_ids_with


def team_territory_ids(user: User) -> set[int]:
    """The territories whose programmes' files the user sees whole (the animation team's)."""
    return territory_ids_with(user, TERRITORY_FILES)


def administered_territory_ids(user: User) -> set[int]:
    """The territories whose structures, accounts and roles the user administers."""
    return territory_ids_with(user, ADMINISTRATION_MANAGE)


def user_territory_ids(user: User) -> set[int]:
    return {m.organisation.territory_id for m in user.scope_memberships}


def places_visible_to(user: User) -> QuerySet[Helpdesk]:
    """The places of the territories the user works on: where to send a person, hold a meeting, run an action.
    They name no person, so every role of the territory reads them."""
    return Helpdesk.objects.filter(territory_id__in=user_territory_ids(user))


def places_managed_by(user: User) -> QuerySet[Helpdesk]:
    return Helpdesk.objects.filter(territory_id__in=territory_ids_with(user, PLACES_MANAGE))


def referents_of(territory_ids: Iterable[int]) -> QuerySet:
    """The active referents' memberships of these territories (staff, not the people they follow)."""
    return Membership.objects.filter(
        role=Role.REFERENT, is_active=True, user__is_active=True, organisation__territory_id__in=list(territory_ids),
    ).select_related("user", "organisation").order_by("user__last_name", "user__first_name", "organisation__name", "pk")


def referents_assignable_by(user: User) -> QuerySet:
    """Referents the animation team may assign applications to."""
    return referents_of(territory_ids_with(user, PATHWAY_ASSIGN))

