"""Reads on the commission: sessions a user may see, the agenda, the decisions."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from parcours.organisations.access import commissions_visible_to
from parcours.pathways.models import BarrierLevel, BarrierReview, Pathway, PathwayStatus

from .models import Commission, CommissionDecision


def commissions_for(user) -> QuerySet[Commission]:
    return commissions_visible_to(user).annotate(decision_count=Count("decisions")).order_by("-date")


def commission_pending(commission: Commission) -> QuerySet[Pathway]:
    """Files of the territory ready for the commission (assessment closed) and not yet decided in it.

    A file postponed by an earlier session is back in `assessed`, so it comes again.
    """
    decided_here = CommissionDecision.objects.filter(commission=commission, pathway=OuterRef("pk"))
    return (Pathway.objects.filter(participant__territory_id=commission.territory_id, status=PathwayStatus.ASSESSED)
            .exclude(Exists(decided_here)))


def commission_agenda(commission: Commission) -> list[Pathway]:
    """The pending files with what the commission reads: person, referent, assessment, major barriers."""
    major = BarrierReview.objects.filter(level=BarrierLevel.MAJOR).order_by("barrier")
    return list(commission_pending(commission)
                .select_related("participant", "referent", "operator", "assessment",
                                "application__prescriber_organisation")
                .prefetch_related(Prefetch("barrier_reviews", queryset=major, to_attr="major_barriers"))
                .order_by("assessment__completed_on", "pk"))


def commission_decisions(commission: Commission) -> list[CommissionDecision]:
    return list(commission.decisions.select_related(
        "pathway__participant", "pathway__operator", "pathway__application__prescriber_organisation", "decided_by",
    ).order_by("pk"))
