"""What the data protection officer reads: the access log and the change history of their territories."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from parcours.accounts.models import ApiToken
from parcours.organisations.capabilities import AUDIT_READ
from parcours.organisations.models import Membership, User
from parcours.organisations.scope import territory_ids_with
from parcours.participants.models import Participant

from parcours.audit.models import AccessLog, AuditEvent, RefusedAccess


def dpo_territory_ids(user: User) -> set[int]:
    return territory_ids_with(user, AUDIT_READ)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter(qs: QuerySet, user_field: str, *, participant_id=None, user_id=None, date_from=None, date_to=None):
    if participant_id:
        qs = qs.filter(participant_id=participant_id)
    if user_id:
        qs = qs.filter(**{user_field: user_id})
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to) + timezone.timedelta(days=1))
    return qs


def access_log_for_dpo(dpo: User, **filters) -> QuerySet:
    qs = AccessLog.objects.filter(participant__territory_id__in=dpo_territory_ids(dpo)).select_related("user")
    return _filter(qs, "user_id", **filters)


def audit_events_for_dpo(dpo: User, **filters) -> QuerySet:
    territories = dpo_territory_ids(dpo)
    in_territory = Participant.objects.filter(pk=OuterRef("participant_id"), territory_id__in=territories)
    actor_in_territory = Membership.objects.filter(user=OuterRef("actor_id"),
                                                   organisation__territory_id__in=territories)
    # A change no person made directly (a token revoked by a password change, seen by a signal) has no actor: it
    # belongs to the territory of the account it changed.
    holder_in_territory = ApiToken.objects.filter(
        user__memberships__organisation__territory_id__in=territories).annotate(
        object_key=Cast("pk", CharField())).filter(object_key=OuterRef("object_id"))
    qs = AuditEvent.objects.filter(
        Exists(in_territory)
        | Q(participant_id__isnull=True) & Exists(actor_in_territory)
        | Q(participant_id__isnull=True, actor__isnull=True, object_type="accounts.apitoken")
        & Exists(holder_in_territory))
    return _filter(qs.select_related("actor"), "actor_id", **filters)


def refused_accesses_for_dpo(dpo: User, **filters) -> QuerySet:
    """Refused authorisations of the users who work in the DPO's territories (the refusal names no file)."""
    in_territory = Membership.objects.filter(user=OuterRef("user_id"),
                                             organisation__territory_id__in=dpo_territory_ids(dpo))
    qs = RefusedAccess.objects.filter(Exists(in_territory)).select_related("user")
    return _filter(qs, "user_id", **filters)


def users_for_dpo(dpo: User) -> QuerySet:
    return User.objects.filter(memberships__organisation__territory_id__in=dpo_territory_ids(dpo)).distinct()
