"""Whose ESF+ operations a user reads or manages: those of the territories where their scope grants the capability."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.capabilities import ESF_MANAGE, ESF_READ
from parcours.organisations.enums import OrganisationKind
from parcours.organisations.models import Organisation
from parcours.organisations.scope import territory_ids_with

from .models import Operation


def operations_visible_to(user) -> QuerySet:
    return Operation.objects.filter(beneficiary__territory_id__in=territory_ids_with(user, ESF_READ))


def operations_managed_by(user) -> QuerySet:
    return Operation.objects.filter(beneficiary__territory_id__in=territory_ids_with(user, ESF_MANAGE))


def beneficiaries_for(user) -> QuerySet:
    """The structures that may carry an operation: the PLIE itself or an operator, in the managed territories."""
    return Organisation.objects.filter(
        territory_id__in=territory_ids_with(user, ESF_MANAGE), is_active=True,
        kind__in=[OrganisationKind.PLIE, OrganisationKind.OPERATOR]).order_by("name", "pk")
