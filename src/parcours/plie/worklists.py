"""What needs a person's attention, for the home pages: the first rows of each list and its total.

The rules live in the domain selectors (`pathways.selectors`, `intake.selectors`); this module only
bounds them for a page. Referent: new assignments, assessments due, contracts to sign, follow-ups in
employment due, people without contact. Animation team: applications awaiting assignment, next
commission, referents' caseloads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from parcours.organisations.access import team_territory_ids
from parcours.pathways.access import pathways_visible_to

from parcours.pathways import selectors
from parcours.plie import selectors as plie_selectors
from parcours.plie.enums import CLOSED_STATES, PathwayStatus
from parcours.pathways.models import Pathway

LIST_LIMIT = 10


@dataclass
class WorkList:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int


def _worklist(queryset: QuerySet, order: list[str]) -> WorkList:
    total = queryset.count()
    rows = list(queryset.order_by(*order)[:LIST_LIMIT]) if total else []
    return WorkList(rows=rows, total=total)


def _mine(user) -> QuerySet:
    return (pathways_visible_to(user).filter(referent=user)
            .select_related("participant", "participant__commune"))


def referent_new_assignments(user) -> WorkList:
    from parcours.plie.intake.models import ReceptionInterview

    interviews = ReceptionInterview.objects.filter(pathway=OuterRef("pk"))
    return _worklist(_mine(user).filter(status=PathwayStatus.ASSIGNED).filter(~Exists(interviews)),
                     ["assigned_at", "pk"])


def referent_assessments_due(user) -> WorkList:
    """Assigned files whose assessment is not closed yet, soonest deadline first (`intake.selectors`)."""
    from parcours.plie.intake.selectors import assessments_due

    due = assessments_due(user)
    return WorkList(rows=due[:LIST_LIMIT], total=len(due))


def referent_contracts_to_sign(user) -> WorkList:
    return _worklist(plie_selectors.contracts_to_sign(user), ["commission_date", "pk"])


def referent_followups_due(user, *, within_days: int = 14) -> WorkList:
    worklist = _worklist(plie_selectors.followups_due(user, within_days=within_days), ["due_on", "pk"])
    today = timezone.localdate()
    for followup in worklist.rows:
        followup.is_due = followup.due_on <= today
    return worklist


def referent_without_contact(user) -> WorkList:
    """No contact (appointment, recorded contact, entry) for longer than the territory's threshold."""
    return _worklist(selectors.pathways_without_contact(user), ["last_contact", "pk"])


def team_applications_awaiting_assignment(user) -> WorkList:
    from parcours.plie.intake.selectors import applications_awaiting_assignment

    return _worklist(applications_awaiting_assignment(user), ["application_date", "pk"])


def team_next_commission(user):
    """The next planned commission of the user's territory and the number of files ready for it."""
    from parcours.plie.commissions.enums import CommissionStatus
    from parcours.plie.commissions.models import Commission

    territories = team_territory_ids(user)
    commission = (Commission.objects.filter(territory_id__in=territories, status=CommissionStatus.PLANNED,
                                            date__gte=timezone.localdate()).order_by("date").first())
    ready = Pathway.objects.filter(territory_id__in=territories, status=PathwayStatus.ASSESSED).count()
    return commission, ready


def team_caseloads(user) -> list:
    """Each referent of the territory with their caseload (`intake.selectors`), lightest first."""
    from parcours.plie.intake.selectors import referent_caseloads

    return sorted(referent_caseloads(user), key=lambda c: (c.count, c.membership.user.last_name))


# --- the prescriber ------------------------------------------------------------------------------------------------

@dataclass
class PrescriberHome:
    """The applications of the prescriber's structures: decisions not read yet, those waiting for the commission,
    and what became of those sent in the last twelve months."""

    decisions_to_read: WorkList
    in_progress: WorkList
    sent_last_year: dict[str, int]


def prescriber_home(user) -> PrescriberHome:
    from django.db.models import Count, Q

    from parcours.plie.intake.selectors import applications_sent

    sent = applications_sent(user).select_related("participant").only(
        "pk", "status", "programme_kind", "decision", "commission_date", "application_date", "participant__first_name",
        "participant__last_name", "application__id", "application__prescriber_organisation__name",
        "application__decision_read_at")
    decided = sent.exclude(decision="")
    year_ago = timezone.localdate().replace(year=timezone.localdate().year - 1)
    outcomes = sent.order_by().filter(application_date__gt=year_ago).aggregate(
        total=Count("pk"), admitted=Count("pk", filter=Q(decision="admitted")),
        refused=Count("pk", filter=Q(decision="refused")), reoriented=Count("pk", filter=Q(decision="reoriented")),
        waiting=Count("pk", filter=Q(decision="") & ~Q(status__in=CLOSED_STATES)))
    return PrescriberHome(
        decisions_to_read=_worklist(decided.filter(application__decision_read_at__isnull=True),
                                    ["-commission_date", "-pk"]),
        in_progress=_worklist(sent.filter(decision="", status__in=[PathwayStatus.SUBMITTED, PathwayStatus.ASSIGNED,
                                                                   PathwayStatus.ASSESSED]),
                              ["application_date", "pk"]),
        sent_last_year=outcomes)
