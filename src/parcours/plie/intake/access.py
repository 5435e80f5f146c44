"""Applications a user may see: the files they may open, plus what their structure prescribed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parcours.organisations.enums import Role
from parcours.organisations.models import User
from parcours.participants.access import archived_hidden
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.models import Pathway


def applications_visible_to(user: User) -> QuerySet:
    """Pathways seen as applications: what pathways_visible_to gives, plus what the user's structure prescribed."""
    if not user.is_authenticated or not user.is_active:
        return Pathway.objects.none()
    prescribing = user.organisation_ids(Role.PRESCRIBER)
    rule = Q(pk__in=pathways_visible_to(user).values("pk"))
    if prescribing:
        rule |= Q(application__prescriber_organisation_id__in=prescribing)
    return archived_hidden(Pathway.objects.filter(rule), user)
