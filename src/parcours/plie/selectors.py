"""Reads of the PLIE's file: the pathway with every row of its application, assessment, commission and contract;
its open follow-up; the referent's work lists of contracts to sign and follow-ups due:

- `contracts_to_sign(user)` — admitted pathways waiting for their engagement contract;
- `followups_due(user, within_days=14)` — open follow-ups in employment due within `within_days`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from parcours.organisations.models import User
from parcours.participants.models import Document
from parcours.pathways.access import pathways_visible_to
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, PathwayTransition, Step
from parcours.pathways.selectors import caseload_scope
from parcours.plie.enums import FollowUpStatus
from parcours.plie.models import EmploymentFollowUp
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


# --- the PLIE's records on the file, and the referent's work lists of them ----------------------------------

def pathway_open_followup(pathway: Pathway) -> EmploymentFollowUp | None:
    return next((f for f in pathway.followups.all() if f.status == FollowUpStatus.OPEN), None)


def contracts_to_sign(user: User) -> QuerySet:
    """Admitted pathways of the user's caseload whose engagement contract is still to be signed.

    Returns Pathway rows (participant, referent and contract joined), oldest commission first. One query.
    """
    return (caseload_scope(user).filter(status=PathwayStatus.ADMITTED)
            .select_related("participant", "referent", "contract")
            .order_by("commission_date", "pk"))


def followups_due(user: User, within_days: int = 14) -> QuerySet:
    """Open follow-ups in employment of the user's caseload due on or before today + `within_days`
    (overdue ones included). Returns EmploymentFollowUp rows (pathway, participant, step joined),
    earliest due date first. One query.
    """
    limit = timezone.localdate() + timedelta(days=within_days)
    return (EmploymentFollowUp.objects
            .filter(status=FollowUpStatus.OPEN, due_on__lte=limit,
                    pathway__in=caseload_scope(user).filter(status=PathwayStatus.FOLLOWUP))
            .select_related("pathway__participant", "pathway__referent", "step")
            .order_by("due_on", "pk"))
