"""Whose ESF+ operations a user reads or manages: those of the territories where their scope grants the capability."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parcours.organisations.capabilities import ESF_CLAIM, ESF_MANAGE, ESF_READ
from parcours.organisations.enums import OrganisationKind
from parcours.organisations.models import Organisation
from parcours.organisations.scope import memberships_with, organisation_ids_with, territory_ids_with

from .models import Claim, Operation


def operations_visible_to(user) -> QuerySet:
    return Operation.objects.filter(beneficiary__territory_id__in=territory_ids_with(user, ESF_READ))


def operations_managed_by(user) -> QuerySet:
    return Operation.objects.filter(beneficiary__territory_id__in=territory_ids_with(user, ESF_MANAGE))


def beneficiaries_for(user) -> QuerySet:
    """The structures that may carry an operation: the PLIE itself or an operator, in the managed territories."""
    return Organisation.objects.filter(
        territory_id__in=territory_ids_with(user, ESF_MANAGE), is_active=True,
        kind__in=[OrganisationKind.PLIE, OrganisationKind.OPERATOR]).order_by("name", "pk")


# --- payment claims ----------------------------------------------------------------------------------------------

def claim_operations_of(user) -> QuerySet:
    """The operations whose claims the user prepares and submits (`esf.claim`): every operation of the territory
    for a role that also reads them there (the ESF manager), only their own structure's for one that does not
    (a structure's financial officer)."""
    territories = {m.organisation.territory_id for m in memberships_with(user, ESF_CLAIM) if m.grants(ESF_READ)}
    structures = organisation_ids_with(user, ESF_CLAIM, without=ESF_READ)
    return Operation.objects.filter(Q(beneficiary__territory_id__in=territories) | Q(beneficiary_id__in=structures))


def claim_operations_visible_to(user) -> QuerySet:
    """The operations whose claims the user reads: those of `esf.read`'s territories and those they claim for."""
    return Operation.objects.filter(Q(pk__in=operations_visible_to(user).values("pk"))
                                    | Q(pk__in=claim_operations_of(user).values("pk")))


def claims_visible_to(user) -> QuerySet:
    return Claim.objects.filter(operation__in=claim_operations_visible_to(user))
