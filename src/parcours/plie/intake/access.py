"""Applications a user may see: the files they may open, plus what their structure prescribed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parcours.organisations.capabilities import APPLICATION_SUBMIT, TERRITORY_FILES
from parcours.organisations.models import User
from parcours.organisations.scope import organisation_ids_with
from parcours.participants.access import archived_hidden
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.models import Pathway


def applications_visible_to(user: User) -> QuerySet:
    """Pathways seen as applications: what pathways_visible_to gives, plus what the user's structure prescribed."""
    if not user.is_authenticated or not user.is_active:
        return Pathway.objects.none()
    # The structures that send applications (the team, which sees its whole territory anyway, left aside).
    prescribing = organisation_ids_with(user, APPLICATION_SUBMIT, without=TERRITORY_FILES)
    rule = Q(pk__in=pathways_visible_to(user).values("pk"))
    if prescribing:
        rule |= Q(application__prescriber_organisation_id__in=prescribing)
    return archived_hidden(Pathway.objects.filter(rule), user)
