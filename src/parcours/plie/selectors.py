"""Reads of the PLIE's file: the pathway with every row of its application, assessment, commission and contract;
its open follow-up; the referent's work lists of contracts to sign and follow-ups due:

- `contracts_to_sign(user)` — admitted pathways waiting for their engagement contract;
- `followups_due(user, within_days=14)` — open follow-ups in employment due within `within_days`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.organisations.models import User
from parcours.participants.enums import Barrier
from parcours.participants.models import SENSITIVE_BARRIERS
from parcours.participants.models import Document
from parcours.pathways.access import pathways_visible_to
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, PathwayTransition, Step
from parcours.pathways.selectors import TimelineEntry, caseload_scope, day_of, related_or_none
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


# --- the PLIE's rows in the file's timeline (the definition's timeline_entries) ------------------------------

def plie_timeline_entries(pathway: Pathway, *, sensitive: bool) -> list[TimelineEntry]:
    """The application, first reception, assessment, commission decisions, contract and follow-up in employment,
    from the rows pathway_file_queryset prefetched."""
    entries: list[TimelineEntry] = []
    application = related_or_none(pathway, "application")
    if application is not None:
        barriers = [str(Barrier(code).label) for code in application.barriers_seen
                    if code in Barrier.values and (sensitive or code not in SENSITIVE_BARRIERS)]
        extra = [_("Freins repérés : %(list)s") % {"list": ", ".join(barriers)}] if barriers else []
        entries.append(TimelineEntry(
            application.prescriber_signed_on, "application", _("Candidature"),
            _("Envoyée par %(org)s") % {"org": application.prescriber_organisation},
            str(application.prescribed_by), extra, application.created_at))
    for interview in pathway.reception_interviews.all():
        entries.append(TimelineEntry(
            interview.date, "interview", _("Entretien de premier accueil"),
            interview.summary, "", [_("%(mode)s, %(minutes)s min, %(place)s") % {
                "mode": interview.get_mode_display(), "minutes": interview.duration_minutes,
                "place": interview.place}], interview.created_at))
    assessment = related_or_none(pathway, "assessment")
    if assessment is not None:
        entries.append(TimelineEntry(
            assessment.completed_on or day_of(assessment.created_at), "assessment", _("Bilan socio-professionnel"),
            assessment.recommendations, str(assessment.author),
            [_("Points d'appui : %(text)s") % {"text": assessment.strengths}], assessment.created_at))
    for decision in pathway.commission_decisions.all():
        extra = [text for text in (decision.motive, decision.reoriented_to) if text]
        entries.append(TimelineEntry(decision.commission.date, "decision",
                                     _("Commission d'agrément : %(outcome)s") % {"outcome": decision.get_outcome_display()},
                                     "", str(decision.decided_by), extra, decision.created_at))
    contract = related_or_none(pathway, "contract")
    if contract is not None:
        title = _("Contrat d'engagement signé") if contract.fully_signed else _("Contrat d'engagement préparé")
        entries.append(TimelineEntry(contract.signature_date or day_of(contract.created_at), "contract", title,
                                     contract.objectives, "", [], contract.created_at))
    for followup in pathway.followups.all():
        entries.append(TimelineEntry(followup.started_on, "followup", _("Suivi dans l'emploi ouvert"),
                                     _("Échéance le %(date)s") % {"date": followup.due_on.strftime("%d/%m/%Y")},
                                     "", [], followup.created_at))
        if followup.closed_on:
            entries.append(TimelineEntry(followup.closed_on, "followup",
                                         _("Suivi dans l'emploi : %(status)s") % {"status": followup.get_status_display()},
                                         "", str(followup.closed_by or ""), [], followup.updated_at))
    return entries
