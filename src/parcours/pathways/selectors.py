"""Reads on pathways, all starting from `organisations.access.pathways_visible_to`.

For the referent's home page (constant query count whatever the number of rows; counts below are on top of
the user's memberships, read once per request by `user.roles`):

- `pathways_without_contact(user)` — active / follow-up pathways with no contact for longer than the
  territory's `inactivity_alert_days`.

"Caseload" means: for a user holding the referent role, the pathways they follow themselves; for the
PLIE team, every pathway they may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    DateField, Exists, OuterRef, Q, QuerySet, Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.workflow import IMPORT
from parcours.organisations.access import user_territory_ids
from parcours.organisations.capabilities import PATHWAY_READ, PATHWAY_WRITE, SENSITIVE_READ, TERRITORY_FILES
from parcours.organisations.scope import organisation_ids_with
from parcours.pathways.access import pathways_visible_to
from parcours.organisations.enums import Role
from parcours.organisations.models import User
from parcours.participants.enums import Barrier
from parcours.participants.models import SENSITIVE_BARRIERS
from parcours.participants.selectors import people_matching, person_query_parse
from parcours.programmes.models import Programme
from parcours.programmes.registry import definition_of, pathway_state_codes, pathway_states_query

from .models import Appointment, BarrierReview, Pathway, PathwayTransition

def can_see_sensitive(user: User) -> bool:
    """The one rule for RQTH, health barrier details and notes: a named capability."""
    return user.can(SENSITIVE_READ)


def sees_own_caseload(user: User) -> bool:
    """A referent's work lists hold their own files; the team's hold the whole territory's."""
    return user.can(PATHWAY_WRITE) and not user.can(TERRITORY_FILES)


def caseload_scope(user: User) -> QuerySet:
    """A referent's own pathways; the team's whole visible set."""
    visible = pathways_visible_to(user)
    if sees_own_caseload(user):
        return visible.filter(referent=user)
    return visible


# --- caseload list --------------------------------------------------------------------------------------------

STATE_OPEN = "open"
STATE_ALL = "all"


# The caseload's orders: a code of the page's "Trier par" -> the columns, ties broken by the pathway.
CASELOAD_ORDERS: dict[str, tuple[str, ...]] = {
    "name": ("participant__last_name", "participant__first_name", "-pk"),
    "entry": ("-entry_date", "participant__last_name", "-pk"),
    "contact": ("last_contact_date", "participant__last_name", "-pk"),   # the longest without contact first
    "state": ("status", "participant__last_name", "-pk"),
}


def pathway_caseload(user: User, *, state: str = STATE_OPEN, referent_id: int | None = None,
                     search: str = "", operator_id: int | None = None, commune_id: int | None = None,
                     qpv: str = "", prescriber_type: str = "", entered_from: date | None = None,
                     entered_to: date | None = None, order: str = "name") -> QuerySet:
    """The list of pathways: open ones by default, or one state, or all; by referent, structure, commune, QPV
    residence ("yes" / "no"), prescriber's kind, entry dates; by what the search field holds; in `order`.

    Related rows used by the list are joined, so a page costs one query whatever its length.
    """
    queryset = pathways_visible_to(user).select_related("participant", "participant__commune", "referent",
                                                         "operator")
    if operator_id:
        queryset = queryset.filter(operator_id=operator_id)
    if commune_id:
        queryset = queryset.filter(participant__commune_id=commune_id)
    if qpv == "yes":
        queryset = queryset.filter(participant__qpv__isnull=False)
    elif qpv == "no":
        queryset = queryset.filter(participant__qpv__isnull=True)
    if prescriber_type:
        queryset = queryset.filter(prescriber_type=prescriber_type)
    if entered_from:
        queryset = queryset.filter(entry_date__gte=entered_from)
    if entered_to:
        queryset = queryset.filter(entry_date__lte=entered_to)
    if state == STATE_OPEN:
        queryset = queryset.exclude(pathway_states_query("closed_states"))
    elif state in pathway_state_codes():
        queryset = queryset.filter(status=state)
    if referent_id:
        queryset = queryset.filter(referent_id=referent_id)
    if search:
        queryset = people_matching(queryset, person_query_parse(search), prefix="participant__")
    return queryset.order_by(*CASELOAD_ORDERS.get(order, CASELOAD_ORDERS["name"]))


def caseload_filter_choices(user: User) -> tuple[list, list]:
    """The structures (operators) and communes the caseload's filters offer: those of the user's territories."""
    from parcours.organisations.enums import OrganisationKind
    from parcours.organisations.models import Organisation
    from parcours.territory.models import Commune

    territories = user_territory_ids(user)
    operators = list(Organisation.objects.filter(territory_id__in=territories, kind=OrganisationKind.OPERATOR)
                     .order_by("name", "pk").values_list("pk", "name"))
    communes = list(Commune.objects.filter(territory_id__in=territories).order_by("name", "pk")
                    .values_list("pk", "name"))
    return operators, communes


def referents_for_filter(user: User) -> QuerySet:
    """Referents of the structures and territories the user works with (choices of the list's filter)."""
    territories = user_territory_ids(user)
    rule = Q(memberships__role=Role.REFERENT, memberships__is_active=True)
    if user.can(TERRITORY_FILES):
        rule &= Q(memberships__organisation__territory_id__in=territories)
    else:
        rule &= Q(memberships__organisation_id__in=organisation_ids_with(user, PATHWAY_READ))
    return User.objects.filter(rule).distinct().order_by("last_name", "first_name")


# --- the participant's file -----------------------------------------------------------------------------------

def pathway_history(pathway: Pathway, user: User) -> list[Pathway]:
    """The person's other pathways (re-entry keeps the history), each marked `visible` to the user."""
    visible = pathways_visible_to(user).filter(pk=OuterRef("pk"))
    return list(Pathway.objects.filter(participant_id=pathway.participant_id).exclude(pk=pathway.pk)
                .select_related("operator").annotate(visible=Exists(visible))
                .order_by("-application_date", "-pk"))


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def related_or_none(obj, name: str):
    """A one-to-one relation that may be missing (select_related leaves it absent)."""
    try:
        return getattr(obj, name)
    except Exception:  # RelatedObjectDoesNotExist differs per relation
        return None


@dataclass
class TimelineEntry:
    when: date
    kind: str
    title: str
    detail: str = ""
    by: str = ""
    extra: list[str] = field(default_factory=list)
    # Tie-breaker within a day: creation order.
    order: Any = 0


def day_of(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def pathway_timeline(pathway: Pathway, *, sensitive: bool) -> list[TimelineEntry]:
    """Everything that happened on the pathway, newest first, merged from the prefetched rows."""
    entries: list[TimelineEntry] = []
    for t in pathway.transitions.all():
        entries.append(TimelineEntry(day_of(t.at), "transition", _transition_label(t, pathway),
                                     _("%(from)s → %(to)s") % {"from": _state(t.from_state, pathway),
                                                                "to": _state(t.to_state, pathway)},
                                     str(t.actor), [], t.at))
    for step in pathway.steps.all():
        extra = []
        if step.contract_type:
            extra.append(step.get_contract_type_display())
        if step.end_date:
            extra.append(_("jusqu'au %(date)s") % {"date": step.end_date.strftime("%d/%m/%Y")})
        entries.append(TimelineEntry(step.start_date, "step", _("Étape : %(type)s") % {"type": step.get_step_type_display()},
                                     step.operator_name, "", extra, step.created_at))
    for appointment in pathway.appointments.all():
        entries.append(TimelineEntry(
            appointment.date, "appointment", _("Rendez-vous %(kind)s") % {"kind": appointment.get_kind_display().lower()},
            appointment.summary, str(appointment.referent or ""),
            [_("%(mode)s, %(minutes)s min") % {"mode": appointment.get_mode_display(),
                                               "minutes": appointment.duration_minutes or 0}],
            appointment.created_at))
    for review in pathway.barrier_reviews.all():
        if review.barrier in SENSITIVE_BARRIERS and not sensitive:
            continue
        entries.append(TimelineEntry(review.reviewed_on, "barrier",
                                     _("Frein « %(barrier)s » : %(level)s") % {
                                         "barrier": review.get_barrier_display(), "level": review.get_level_display()},
                                     review.comment, str(review.reviewed_by), [], review.pk))
    if sensitive:
        for note in pathway.notes.all():
            entries.append(TimelineEntry(day_of(note.created_at), "note", _("Note"), note.body, str(note.author), [],
                                         note.created_at))
    for document in pathway.documents.all():
        entries.append(TimelineEntry(day_of(document.uploaded_at), "document",
                                     _("Document : %(title)s") % {"title": document.title},
                                     document.get_kind_display(), str(document.uploaded_by), [], document.uploaded_at))
    timeline_entries = definition_of(pathway).timeline_entries
    if timeline_entries is not None:
        entries += timeline_entries(pathway, sensitive=sensitive)   # the programme's own records
    entries.sort(key=lambda e: (e.when, _order_key(e.order)), reverse=True)
    return entries


def _order_key(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value or 0)


def _state(code: str, pathway: Pathway) -> str:
    return definition_of(pathway).state_label(code)


def _transition_label(t: PathwayTransition, pathway: Pathway) -> str:
    if t.transition == IMPORT:
        return _("Import : correction de l'état") if (t.data or {}).get("correction") else _("Import de données")
    transition = definition_of(pathway).workflow.transitions.get(t.transition)
    return str(transition.label) if transition else t.transition


@dataclass
class BarrierStatus:
    barrier: str
    label: str
    latest: BarrierReview
    history: list[BarrierReview]


def pathway_barriers(pathway: Pathway, *, sensitive: bool) -> list[BarrierStatus]:
    """The latest level of each barrier assessed, with its history (oldest first), from the prefetched rows."""
    by_barrier: dict[str, list[BarrierReview]] = {}
    for review in pathway.barrier_reviews.all():
        if review.barrier in SENSITIVE_BARRIERS and not sensitive:
            continue
        by_barrier.setdefault(review.barrier, []).append(review)
    result = []
    for code in Barrier.values:
        reviews = sorted(by_barrier.get(code, []), key=lambda r: (r.reviewed_on, r.pk))
        if reviews:
            result.append(BarrierStatus(code, str(Barrier(code).label), reviews[-1], reviews))
    return result


def pathway_time_spent(pathway: Pathway) -> dict[str, int]:
    """Referent time on the file, in minutes (ESF-eligible): first reception interviews and appointments."""
    interviews = sum(i.duration_minutes or 0 for i in pathway.reception_interviews.all())
    appointments = sum(a.duration_minutes or 0 for a in pathway.appointments.all())
    return {"interviews": interviews, "appointments": appointments, "total": interviews + appointments}


# --- referent's home page -------------------------------------------------------------------------------------

def pathways_without_contact(user: User) -> QuerySet:
    """Active / follow-up pathways of the user's caseload whose last contact is older than their programme's
    `inactivity_alert_days` (60 by default).

    The last contact is the latest of: the latest appointment, the recorded `last_contact_date`, the entry.
    Returns Pathway rows annotated with `last_contact` (participant and referent joined), oldest contact
    first. Two queries: the user's territories' thresholds, then the list.
    """
    today = timezone.localdate()
    thresholds = dict(Programme.objects.filter(territory_id__in=user_territory_ids(user))
                      .values_list("pk", "inactivity_alert_days"))
    if not thresholds:
        return Pathway.objects.none()
    rule = Q(pk__in=[])
    for programme_id, days in thresholds.items():
        rule |= Q(programme_id=programme_id, last_contact__lt=today - timedelta(days=days))
    latest_appointment = Subquery(Appointment.objects.filter(pathway=OuterRef("pk"))
                                  .order_by("-date").values("date")[:1], output_field=DateField())
    return (caseload_scope(user).filter(pathway_states_query("in_pathway_states"))
            .annotate(last_contact=Greatest(
                Coalesce(latest_appointment, "entry_date"),
                Coalesce("last_contact_date", "entry_date"),
                "entry_date", output_field=DateField()))
            .filter(rule)
            .select_related("participant", "referent")
            .order_by("last_contact", "pk"))
