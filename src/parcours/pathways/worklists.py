"""What needs a person's attention, for the home pages. Each list is one bounded query.

Referent: new assignments, assessments due (6 weeks after assignment), contracts to sign,
follow-ups in employment due, people without contact for `inactivity_alert_days`.
Animation team: applications awaiting assignment, next commission, referents' caseloads.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.organisations.access import pathways_visible_to, referents_assignable_by, team_territory_ids
from parcours.territory.models import Territory

from .models import EmploymentFollowUp, Pathway, PathwayStatus

LIST_LIMIT = 10
CASELOAD_STATES = (PathwayStatus.ASSIGNED, PathwayStatus.ASSESSED, PathwayStatus.ADMITTED,
                   PathwayStatus.ACTIVE, PathwayStatus.FOLLOWUP)


@dataclass
class WorkList:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int


def _worklist(queryset: QuerySet, order: list[str]) -> WorkList:
    total = queryset.count()
    rows = list(queryset.order_by(*order)[:LIST_LIMIT]) if total else []
    return WorkList(rows=rows, total=total)


def territory_rules(user) -> Territory | None:
    """The territory whose rules (deadlines, thresholds) apply to the user's lists."""
    ids = {m.organisation.territory_id for m in user.active_memberships}
    return Territory.objects.filter(pk__in=ids).order_by("pk").first()


def _mine(user) -> QuerySet:
    return (pathways_visible_to(user).filter(referent=user)
            .select_related("participant", "participant__commune"))


def referent_new_assignments(user) -> WorkList:
    from parcours.intake.models import ReceptionInterview

    interviews = ReceptionInterview.objects.filter(pathway=OuterRef("pk"))
    return _worklist(_mine(user).filter(status=PathwayStatus.ASSIGNED).filter(~Exists(interviews)),
                     ["assigned_at", "pk"])


def referent_assessments_due(user, *, territory: Territory | None = None) -> WorkList:
    """Assigned files whose assessment is not closed yet, oldest first, with `due_on` and `overdue`."""
    territory = territory or territory_rules(user)
    deadline = datetime.timedelta(days=territory.assessment_deadline_days if territory else 42)
    today = timezone.localdate()
    worklist = _worklist(_mine(user).filter(status=PathwayStatus.ASSIGNED), ["assigned_at", "pk"])
    for pathway in worklist.rows:
        pathway.due_on = pathway.assigned_at + deadline if pathway.assigned_at else None
        pathway.overdue = bool(pathway.due_on and pathway.due_on < today)
    return worklist


def referent_contracts_to_sign(user) -> WorkList:
    return _worklist(_mine(user).filter(status=PathwayStatus.ADMITTED), ["commission_date", "pk"])


def referent_followups_due(user, *, within_days: int = 14) -> WorkList:
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    followups = (EmploymentFollowUp.objects.filter(status="open", due_on__lte=horizon,
                                                   pathway__in=_mine(user).filter(status=PathwayStatus.FOLLOWUP))
                 .select_related("pathway", "pathway__participant"))
    worklist = _worklist(followups, ["due_on", "pk"])
    today = timezone.localdate()
    for followup in worklist.rows:
        followup.is_due = followup.due_on <= today
    return worklist


def referent_without_contact(user, *, territory: Territory | None = None) -> WorkList:
    territory = territory or territory_rules(user)
    days = territory.inactivity_alert_days if territory else 60
    limit = timezone.localdate() - datetime.timedelta(days=days)
    queryset = (_mine(user).filter(status__in=(PathwayStatus.ACTIVE, PathwayStatus.FOLLOWUP))
                .annotate(last_seen=Coalesce("last_contact_date", "entry_date"))
                .filter(last_seen__lt=limit))
    return _worklist(queryset, ["last_seen", "pk"])


def team_applications_awaiting_assignment(user) -> WorkList:
    queryset = (Pathway.objects.filter(participant__territory_id__in=team_territory_ids(user),
                                       status=PathwayStatus.SUBMITTED)
                .select_related("participant", "application__prescriber_organisation"))
    return _worklist(queryset, ["application_date", "pk"])


def team_next_commission(user):
    """The next planned commission of the user's territory and the number of files ready for it."""
    from parcours.commissions.models import Commission, CommissionStatus

    territories = team_territory_ids(user)
    commission = (Commission.objects.filter(territory_id__in=territories, status=CommissionStatus.PLANNED,
                                            date__gte=timezone.localdate()).order_by("date").first())
    ready = Pathway.objects.filter(participant__territory_id__in=territories, status=PathwayStatus.ASSESSED).count()
    return commission, ready


@dataclass
class Caseloads:
    rows: list
    low: int
    high: int


def team_caseloads(user) -> Caseloads:
    """Each referent of the territory with their caseload, lightest first, flagged against the range."""
    territory = territory_rules(user)
    low, high = (territory.caseload_min, territory.caseload_max) if territory else (60, 100)
    memberships = (referents_assignable_by(user)
                   .annotate(caseload=Count("user__pathways", filter=Q(user__pathways__status__in=CASELOAD_STATES)
                                            & Q(user__pathways__operator=F("organisation")), distinct=True))
                   .order_by("caseload", "user__last_name"))
    rows = list(memberships)
    for membership in rows:
        membership.band = "low" if membership.caseload < low else "high" if membership.caseload > high else "ok"
    return Caseloads(rows=rows, low=low, high=high)
