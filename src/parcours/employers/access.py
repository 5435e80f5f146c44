"""Whose employers a user reads or keeps: those of the territories where their current scope grants the
capability."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.capabilities import EMPLOYERS_MANAGE, EMPLOYERS_READ
from parcours.organisations.models import User
from parcours.organisations.scope import territory_ids_with

from .models import Employer, JobOffer


def employers_visible_to(user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(territory_id__in=territory_ids_with(user, EMPLOYERS_READ))


def employers_managed_by(user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))


def offers_visible_to(user: User) -> QuerySet[JobOffer]:
    return JobOffer.objects.filter(employer__territory_id__in=territory_ids_with(user, EMPLOYERS_READ))


def offers_managed_by(user: User) -> QuerySet[JobOffer]:
    return JobOffer.objects.filter(employer__territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))
