"""Reads of the PLIE's file: the pathway with every row of its application, assessment, commission and contract."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from parcours.organisations.models import User
from parcours.participants.models import Document
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.models import Appointment, BarrierReview, EmploymentFollowUp, Note, PathwayTransition, Step
from parcours.plie.commissions.models import CommissionDecision


def pathway_file_queryset(user: User) -> QuerySet:
    """Visible pathways with every related row of the file prefetched (a bounded number of queries)."""
    return pathways_visible_to(user).select_related(
        "participant__commune", "participant__qpv", "participant__territory", "referent", "operator",
        "application__prescriber_organisation", "application__prescribed_by", "assessment__author",
        "contract__director",
    ).prefetch_related(
        Prefetch("transitions", queryset=PathwayTransition.objects.select_related("by")),
        "participant__situations",
        Prefetch("reception_interviews"),
        Prefetch("commission_decisions", queryset=_decisions()),
        Prefetch("steps", queryset=Step.objects.select_related("followup")),
        Prefetch("appointments", queryset=Appointment.objects.select_related("referent")),
        Prefetch("barrier_reviews", queryset=BarrierReview.objects.select_related("reviewed_by")),
        Prefetch("notes", queryset=Note.objects.select_related("author")),
        Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
        Prefetch("followups", queryset=EmploymentFollowUp.objects.select_related("closed_by", "step")),
    )


def _decisions():
    return CommissionDecision.objects.select_related("commission", "decided_by")
