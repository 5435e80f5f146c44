"""Commissions a user may see: those of the territories where they are on the team or a referent (its members)."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.access import user_territory_ids
from parcours.organisations.enums import Role
from parcours.organisations.models import User

from .models import Commission


def commissions_visible_to(user: User) -> QuerySet:
    if not user.is_authenticated or not (user.is_plie_team or Role.REFERENT in user.roles):
        return Commission.objects.none()
    return Commission.objects.filter(territory_id__in=user_territory_ids(user))
