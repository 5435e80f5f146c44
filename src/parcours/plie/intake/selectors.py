"""Reads of the intake, scoped by organisations.access and aggregated in the database.

For other areas (the referent's and the team's home pages):

- `applications_awaiting_assignment(user) -> QuerySet[Pathway]`: submitted applications, oldest first;
  empty unless `user` is on the PLIE team.
- `referent_caseloads(user) -> list[Caseload]`: each referent the user may assign to, with their
  caseload and where it stands against the territory's range (one query).
- `assessments_due(user, *, today=None) -> list[AssessmentDue]`: the pathways assigned to `user`
  whose assessment is not closed, with the due date and an overdue flag, soonest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from parcours.organisations.access import referents_assignable_by
from parcours.pathways.access import participants_visible_to, pathways_visible_to
from parcours.plie.intake.access import applications_visible_to
from parcours.organisations.capabilities import (
    APPLICATION_MANAGE, APPLICATION_SUBMIT, PATHWAY_ASSIGN, PATHWAY_READ, TERRITORY_FILES,
)
from parcours.organisations.scope import organisation_ids_with, territory_ids_with
from parcours.organisations.models import Membership, Organisation, User
from parcours.participants.models import Participant
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway
from parcours.plie.definition import PLIE
from parcours.programmes.models import Programme

# States in which a pathway counts in its referent's caseload (file active).
CASELOAD_STATES = (PathwayStatus.ASSIGNED, PathwayStatus.ASSESSED, PathwayStatus.ADMITTED, PathwayStatus.ACTIVE,
                   PathwayStatus.FOLLOWUP)


def applications_sent(user: User) -> QuerySet:
    """Applications sent by the user's prescribing structures, newest first, with only what a prescriber may see."""
    return (applications_visible_to(user)
            .filter(application__prescriber_organisation_id__in=organisation_ids_with(
                user, APPLICATION_SUBMIT, without=TERRITORY_FILES))
            .select_related("application__prescriber_organisation")
            .only("pk", "status", "programme_kind", "decision", "commission_date", "application_date",
                  "application__id", "application__prescriber_organisation__name")
            .order_by("-application_date", "-pk"))


def application_for_prescriber(user: User) -> QuerySet:
    """The same rows as `applications_sent`, for a single application page."""
    return applications_sent(user)


def application_full(user: User) -> QuerySet:
    """Applications whose whole file the user may open (team, operator referents), with what the page shows."""
    return (pathways_visible_to(user)
            .filter(application__isnull=False)
            .select_related("participant__commune", "participant__qpv", "participant__territory", "programme", "referent",
                            "operator", "application__prescriber_organisation", "application__prescribed_by",
                            "application__signed_scan")
            .prefetch_related(Prefetch("application__possible_duplicate_of",
                                       queryset=Participant.objects.order_by("pk"))))


def applications_awaiting_assignment(user: User) -> QuerySet:
    """Submitted applications waiting for a referent, oldest first (the animation team's queue)."""
    if not user.can(PATHWAY_ASSIGN):
        return Pathway.objects.none()
    return (pathways_visible_to(user)
            .filter(status=PathwayStatus.SUBMITTED)
            .select_related("participant", "application__prescriber_organisation")
            .annotate(duplicates=Count("application__possible_duplicate_of"))
            .order_by("application_date", "pk"))


@dataclass(frozen=True)
class Caseload:
    membership: Membership
    count: int
    minimum: int
    maximum: int

    @property
    def level(self) -> str:
        """"under", "over" or "ok" against the territory's range."""
        if self.count < self.minimum:
            return "under"
        if self.count > self.maximum:
            return "over"
        return "ok"


def referent_caseloads(user: User) -> list[Caseload]:
    """Referents the user may assign to, with their caseload (pathways in CASELOAD_STATES), in one query."""
    plie = Programme.objects.filter(territory_id=OuterRef("organisation__territory_id"), kind=PLIE)
    rows = (referents_assignable_by(user)
            .select_related("organisation__territory")
            # A referent working for two structures has one caseload in each.
            .annotate(caseload=Count("user__pathways", filter=Q(user__pathways__status__in=CASELOAD_STATES)
                                     & Q(user__pathways__operator=F("organisation")), distinct=True),
                      # The range is the PLIE's of the structure's territory (programmes.Programme).
                      caseload_min=Subquery(plie.values("caseload_min")[:1]),
                      caseload_max=Subquery(plie.values("caseload_max")[:1]))
            .order_by("user__last_name", "user__first_name", "organisation__name"))
    return [Caseload(m, m.caseload, m.caseload_min, m.caseload_max) for m in rows]


@dataclass(frozen=True)
class AssessmentDue:
    pathway: Pathway
    due_on: date | None
    overdue: bool

    @property
    def days_left(self) -> int | None:
        return None if self.due_on is None else (self.due_on - timezone.localdate()).days


def assessment_due_on(pathway: Pathway) -> date | None:
    """The assessment's deadline: `assessment_deadline_days` after the assignment."""
    if pathway.assigned_at is None:
        return None
    return pathway.assigned_at + timedelta(days=pathway.programme.parameter("assessment_deadline_days"))


def assessments_due(user: User, *, today: date | None = None) -> list[AssessmentDue]:
    """The user's assigned pathways whose assessment is still open, soonest deadline first."""
    today = today or timezone.localdate()
    rows = (pathways_visible_to(user)
            .filter(status=PathwayStatus.ASSIGNED, referent=user)
            .select_related("participant__territory"))
    due = [AssessmentDue(p, d, d is not None and d < today) for p in rows for d in [assessment_due_on(p)]]
    return sorted(due, key=lambda a: (a.due_on or date.max, a.pathway.pk))


def pathways_in_intake(user: User) -> QuerySet:
    """Pathways whose first reception the user may record (referents of the operator, the team)."""
    if not user.can(PATHWAY_READ):
        return Pathway.objects.none()
    return pathways_visible_to(user).select_related("participant__territory", "referent", "operator")


def participants_search(user: User, *, last_name: str, birth_date: date, first_name: str = "") -> list[Participant]:
    """People the user may see born on `birth_date` whose names start as typed (case and accents ignored).

    The birth date narrows in the database; names are compared in Python, the same on every database.
    """
    from .services import name_key

    last, first = name_key(last_name), name_key(first_name)
    if not last:
        return []
    rows = participants_visible_to(user).filter(birth_date=birth_date).select_related("commune").order_by("pk")
    return [p for p in rows if name_key(p.last_name).startswith(last)
            and (not first or name_key(p.first_name).startswith(first))][:20]


def organisations_prescribable_by(user: User) -> QuerySet:
    """The active structures the user may send an application for, in their current scope: their own prescribing
    structures, and for the team any prescribing structure of its territory (the web form's and the API's choices;
    `services.may_prescribe_for` checks the one sent)."""
    return Organisation.objects.filter(is_active=True).filter(
        Q(pk__in=organisation_ids_with(user, APPLICATION_SUBMIT, without=TERRITORY_FILES))
        | Q(territory_id__in=territory_ids_with(user, APPLICATION_MANAGE)) & ~Q(prescriber_type=""))
