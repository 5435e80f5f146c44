"""Commissions a user may see: those of the territories where their current structure's role may read them (the
team, the referents: the commission's members)."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.capabilities import COMMISSION_READ
from parcours.organisations.models import User
from parcours.organisations.scope import territory_ids_with

from .models import Commission


def commissions_visible_to(user: User) -> QuerySet:
    if not user.is_authenticated:
        return Commission.objects.none()
    return Commission.objects.filter(territory_id__in=territory_ids_with(user, COMMISSION_READ))
