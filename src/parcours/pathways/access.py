"""What a user may open of the pathways, and so of the people: every view, endpoint and command starts here.

- the animation team (coordinator, director, administrator) of a structure that runs a programme sees that
  programme's pathways on its territory (the PLIE's team sees the PLIE's, not another programme's of the area);
- a referent sees the pathways of the structure they work for (the current membership; all of them outside a
  request);
- prescribers see applications only (`plie.intake.access`).

Another structure's object is simply not found (404). Archived files are hidden (`participants.access`).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from parcours.organisations.access import team_territory_ids
from parcours.organisations.capabilities import PATHWAY_READ, TERRITORY_FILES
from parcours.organisations.models import User
from parcours.organisations.scope import organisation_ids_with
from parcours.participants.access import archived_hidden
from parcours.participants.models import Document, Participant
from parcours.programmes.models import Programme

from .models import Pathway


def pathways_visible_to(user: User) -> QuerySet:
    """Pathways whose full file the user may open (not prescribers: they see applications only)."""
    if not user.is_authenticated or not user.is_active:
        return Pathway.objects.none()
    rule = Q(pk__in=[])
    territories = team_territory_ids(user)
    if territories:
        teams = organisation_ids_with(user, TERRITORY_FILES)
        run_by_team = Programme.objects.filter(organisation_id__in=teams).values("pk")
        rule |= Q(territory_id__in=territories, programme_id__in=run_by_team)
    # A referent's structures: where they read files without seeing the whole territory. The files they follow
    # belong to their structure (an assignment checks the referent works there): working for another of their
    # structures, or once they left it, they no longer see them.
    operators = organisation_ids_with(user, PATHWAY_READ, without=TERRITORY_FILES)
    if operators:
        rule |= Q(operator_id__in=operators)
    # The programme comes with every pathway read: its rules (deadlines, durations) are shown with the file.
    return archived_hidden(Pathway.objects.filter(rule).select_related("programme"), user)


def participants_visible_to(user: User) -> QuerySet:
    visible = pathways_visible_to(user).filter(participant=OuterRef("pk"))
    return Participant.objects.filter(Exists(visible))


def documents_visible_to(user: User) -> QuerySet:
    """Documents of a person whose pathway the user may open (the file's own documents, and the person's history)."""
    visible = pathways_visible_to(user)
    return Document.objects.filter(participant_id__in=visible.values("participant_id")).select_related("participant")
