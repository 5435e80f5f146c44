"""Reads on the commission: sessions a user may see, the agenda, the decisions."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from parcours.plie.definition import PLIE
from parcours.plie.commissions.access import commissions_visible_to
from parcours.pathways.enums import BarrierLevel
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import BarrierReview, Pathway

from .models import Commission, CommissionDecision


def commissions_for(user) -> QuerySet[Commission]:
    return commissions_visible_to(user).annotate(decision_count=Count("decisions")).order_by("-date")


def commission_pending(commission: Commission) -> QuerySet[Pathway]:
    """Files of the territory ready for the commission (assessment closed) and not yet decided in it.

    A file postponed by an earlier session is back in `assessed`, so it comes again.
    """
    decided_here = CommissionDecision.objects.filter(commission=commission, pathway=OuterRef("pk"))
    return (Pathway.objects.filter(territory_id=commission.territory_id, programme_kind=PLIE,
                                   status=PathwayStatus.ASSESSED)
            .exclude(Exists(decided_here)))


def commission_agenda(commission: Commission) -> QuerySet[Pathway]:
    """The pending files with what the commission reads: person, referent, assessment, major barriers.

    Oldest assessment first. A queryset, so that the page reads one page of it: a backlog can hold thousands of
    files when sessions are missed, and the page must cost the same whatever its length.
    """
    major = BarrierReview.objects.filter(level=BarrierLevel.MAJOR).order_by("barrier")
    return (commission_pending(commission)
            .select_related("participant", "referent", "operator", "assessment",
                            "application__prescriber_organisation")
            .prefetch_related(Prefetch("barrier_reviews", queryset=major, to_attr="major_barriers"))
            .order_by("assessment__completed_on", "pk"))


def commission_agenda_file(commission: Commission, pathway_id: int) -> Pathway | None:
    """One file of the agenda (to decide on it), or None when it is not, or no longer, on it."""
    return commission_agenda(commission).filter(pk=pathway_id).first()


def commission_decisions(commission: Commission) -> QuerySet[CommissionDecision]:
    return commission.decisions.select_related(
        "pathway__participant", "pathway__operator", "pathway__application__prescriber_organisation", "decided_by",
    ).order_by("pk")
