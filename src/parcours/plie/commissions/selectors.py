"""Reads on the commission: sessions a user may see, the agenda, the decisions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from parcours.organisations.capabilities import SENSITIVE_READ
from parcours.pathways.access import pathways_visible_to
from parcours.plie.definition import PLIE
from parcours.plie.commissions.access import commissions_visible_to
from parcours.participants.enums import Barrier
from parcours.participants.models import SENSITIVE_BARRIERS
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
    """The pending files with what the commission reads: person, referent, assessment, barrier reviews.

    Oldest assessment first. A queryset, so that the page reads one page of it: a backlog can hold thousands of
    files when sessions are missed, and the page must cost the same whatever its length.
    """
    reviews = BarrierReview.objects.order_by("barrier", "reviewed_on", "pk")
    return (commission_pending(commission)
            .select_related("participant", "referent", "operator", "assessment",
                            "application__prescriber_organisation")
            .prefetch_related(Prefetch("barrier_reviews", queryset=reviews, to_attr="agenda_reviews"))
            .order_by("assessment__completed_on", "pk"))


def agenda_files_with_sensitive_details(user, pathway_ids: list[int]) -> set[int]:
    """Which of the agenda's files the member may read the sensitive details of: those they may open (their
    referent's structure, the programme's team), if they hold sensitive.read."""
    if not pathway_ids or not user.can(SENSITIVE_READ):
        return set()
    return set(pathways_visible_to(user).filter(pk__in=pathway_ids).values_list("pk", flat=True))


@dataclass(frozen=True)
class AgendaBarrier:
    label: str
    level: str
    major: bool
    details: str | None    # None: withheld from this member (a sensitive barrier of a file they do not follow)


def agenda_barriers(pathway: Pathway, *, may_read_sensitive_details: bool) -> list[AgendaBarrier]:
    """What the commission's members read of a file's barriers: each barrier's latest level, in the catalogue's
    order. Under shared professional secrecy they need the barrier and its level to decide; the free-text details
    of a sensitive barrier (health, justice) stay with the file's referent and the programme's team."""
    latest: dict[str, BarrierReview] = {}
    reviews: list[BarrierReview] = pathway.agenda_reviews  # type: ignore[attr-defined]  # the agenda's prefetch
    for review in reviews:   # by barrier, then date: the last one wins
        latest[review.barrier] = review
    shown = []
    for code in Barrier.values:
        if code not in latest:
            continue
        review = latest[code]
        withheld = code in SENSITIVE_BARRIERS and not may_read_sensitive_details
        shown.append(AgendaBarrier(label=str(Barrier(code).label), level=review.get_level_display(),
                                   major=review.level == BarrierLevel.MAJOR,
                                   details=None if withheld else review.comment))
    return shown


def commission_agenda_file(commission: Commission, pathway_id: int) -> Pathway | None:
    """One file of the agenda (to decide on it), or None when it is not, or no longer, on it."""
    return commission_agenda(commission).filter(pk=pathway_id).first()


def commission_decisions(commission: Commission) -> QuerySet[CommissionDecision]:
    return commission.decisions.select_related(
        "pathway__participant", "pathway__operator", "pathway__application__prescriber_organisation", "decided_by",
    ).order_by("pk")
