"""What a user may see of the social clauses: the territories where their current scope holds `clauses.read`."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.capabilities import CLAUSES_MANAGE, CLAUSES_READ
from parcours.organisations.scope import territory_ids_with

from .models import Beneficiary, Buyer, ClauseContract


def buyers_visible_to(user) -> QuerySet[Buyer]:
    return Buyer.objects.filter(territory_id__in=territory_ids_with(user, CLAUSES_READ))


def contracts_visible_to(user) -> QuerySet[ClauseContract]:
    return ClauseContract.objects.filter(buyer__territory_id__in=territory_ids_with(user, CLAUSES_READ))


def contracts_managed_by(user) -> QuerySet[ClauseContract]:
    """The contracts whose statements the user may enter."""
    return ClauseContract.objects.filter(buyer__territory_id__in=territory_ids_with(user, CLAUSES_MANAGE))


def beneficiaries_visible_to(user) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(territory_id__in=territory_ids_with(user, CLAUSES_READ))
