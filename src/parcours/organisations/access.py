"""The one place that decides what a user may see.

Every view, API endpoint and command fetches objects through these querysets, so another
structure's object is simply not found (404). Rules:

- the PLIE's animation team (coordinator, director, administrator) sees its whole territory;
- a referent sees the pathways of the operator structures they belong to as referent;
- a prescriber sees the applications their structure sent, and their outcome, nothing more.

Archived files (retention, docs/security.md) are hidden here, through `audit.retention.archived_hidden`.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import PLIE_TEAM_ROLES, Organisation, Role, User


def team_territory_ids(user: User) -> set[int]:
    return {m.organisation.territory_id for m in user.active_memberships if m.role in PLIE_TEAM_ROLES}


def user_territory_ids(user: User) -> set[int]:
    return {m.organisation.territory_id for m in user.active_memberships}


def pathways_visible_to(user: User) -> QuerySet:
    """Pathways whose full file the user may open (not prescribers: they see applications only)."""
    from parcours.pathways.models import Pathway

    if not user.is_authenticated or not user.is_active:
        return Pathway.objects.none()
    rule = Q(pk__in=[])
    territories = team_territory_ids(user)
    if territories:
        rule |= Q(territory_id__in=territories)
    operators = user.organisation_ids(Role.REFERENT)
    if operators:
        rule |= Q(operator_id__in=operators) | Q(referent=user)
    from parcours.audit.retention import archived_hidden

    return archived_hidden(Pathway.objects.filter(rule), user)


def applications_visible_to(user: User) -> QuerySet:
    """Pathways seen as applications: what pathways_visible_to gives, plus what the user's structure prescribed."""
    from parcours.pathways.models import Pathway

    if not user.is_authenticated or not user.is_active:
        return Pathway.objects.none()
    prescribing = user.organisation_ids(Role.PRESCRIBER)
    rule = Q(pk__in=pathways_visible_to(user).values("pk"))
    if prescribing:
        rule |= Q(application__prescriber_organisation_id__in=prescribing)
    from parcours.audit.retention import archived_hidden

    return archived_hidden(Pathway.objects.filter(rule), user)


def participants_visible_to(user: User) -> QuerySet:
    from parcours.participants.models import Participant

    visible = pathways_visible_to(user).filter(participant=OuterRef("pk"))
    return Participant.objects.filter(Exists(visible))


def commissions_visible_to(user: User) -> QuerySet:
    """Commissions of the territories where the user is on the team or a referent (its members)."""
    from parcours.commissions.models import Commission

    if not user.is_authenticated or not (user.is_plie_team or Role.REFERENT in user.roles):
        return Commission.objects.none()
    return Commission.objects.filter(territory_id__in=user_territory_ids(user))


def referents_assignable_by(user: User) -> QuerySet:
    """Referents the animation team may assign applications to."""
    from .models import Membership

    return Membership.objects.filter(
        role=Role.REFERENT, is_active=True, user__is_active=True,
        organisation__territory_id__in=team_territory_ids(user),
    ).select_related("user", "organisation")


def organisations_of(user: User, role: str) -> QuerySet:
    return Organisation.objects.filter(pk__in=user.organisation_ids(role))
