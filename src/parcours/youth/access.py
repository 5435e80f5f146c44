"""Whose young people a user reaches: the Mission Locale's files of the territories where their current scope
grants the capability. The PLIE's roles hold none of the youth capabilities, and the Mission Locale's none of the
PLIE's, so neither team reaches the other's people (a person with both a pathway and a youth file is two records'
worth of data, each team reading its own: docs/youth.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.capabilities import YOUTH_READ, YOUTH_RECEIVE, YOUTH_WRITE
from parcours.organisations.enums import Role
from parcours.organisations.models import User
from parcours.organisations.scope import territory_ids_with

from .models import Workshop, WorkshopSession, YouthFile


def youth_files_visible_to(user: User) -> QuerySet[YouthFile]:
    """The files the user may open in full (the advisers')."""
    return YouthFile.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_READ))


def youth_files_found_by(user: User) -> QuerySet[YouthFile]:
    """The files the user may find and open at the desk: identity, contact and adviser only (reception), or in
    full (the advisers, who hold both)."""
    return YouthFile.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_RECEIVE)
                                    | territory_ids_with(user, YOUTH_READ))


def youth_files_written_by(user: User) -> QuerySet[YouthFile]:
    return YouthFile.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_WRITE))


def youth_advisers_of(*, territory_id: int) -> QuerySet[User]:
    """The advisers a file of the territory may be given to: active accounts holding the adviser's role there."""
    return (User.objects.filter(is_active=True, memberships__is_active=True,
                                memberships__role=Role.YOUTH_ADVISER,
                                memberships__organisation__territory_id=territory_id,
                                memberships__organisation__is_active=True)
            .distinct().order_by("last_name", "first_name", "pk"))


def workshops_visible_to(user: User) -> QuerySet[Workshop]:
    """The catalogue of the territories where the user reads the files (the advisers)."""
    return Workshop.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_READ))


def workshops_written_by(user: User) -> QuerySet[Workshop]:
    return Workshop.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_WRITE))


def workshop_sessions_visible_to(user: User) -> QuerySet[WorkshopSession]:
    """The sessions (imported or planned) of those territories: their pages name the young people registered."""
    return WorkshopSession.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_READ))


def workshop_sessions_written_by(user: User) -> QuerySet[WorkshopSession]:
    return WorkshopSession.objects.filter(territory_id__in=territory_ids_with(user, YOUTH_WRITE))
