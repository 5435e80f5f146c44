"""Whose employers a user reads or keeps: those of the territories where their current scope grants the
capability."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parcours.organisations.capabilities import EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE, EMPLOYERS_READ, PATHWAY_WRITE
from parcours.organisations.models import User
from parcours.organisations.scope import territory_ids_with
from parcours.pathways.access import pathways_visible_to

from .models import Candidacy, Employer, EventInvitation, JobOffer, RecruitmentEvent, Sponsorship


def employers_visible_to(user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(territory_id__in=territory_ids_with(user, EMPLOYERS_READ))


def employers_managed_by(user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))


def offers_visible_to(user: User) -> QuerySet[JobOffer]:
    return JobOffer.objects.filter(employer__territory_id__in=territory_ids_with(user, EMPLOYERS_READ))


def offers_managed_by(user: User) -> QuerySet[JobOffer]:
    return JobOffer.objects.filter(employer__territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))


def candidacies_visible_to(user: User) -> QuerySet[Candidacy]:
    """The candidacies of the offers the user keeps (the officer, the team), and those of the people they follow
    and may propose (a referent sees their own people's, not another structure's)."""
    rule = Q(offer__employer__territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))
    if user.can(EMPLOYERS_PROPOSE):
        rule |= Q(pathway__in=pathways_visible_to(user))
    return Candidacy.objects.filter(rule)


def events_visible_to(user: User) -> QuerySet[RecruitmentEvent]:
    return RecruitmentEvent.objects.filter(territory_id__in=territory_ids_with(user, EMPLOYERS_READ))


def events_managed_by(user: User) -> QuerySet[RecruitmentEvent]:
    return RecruitmentEvent.objects.filter(territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))


def invitations_visible_to(user: User) -> QuerySet[EventInvitation]:
    """As the candidacies: those of the events the user runs, and those of the people they follow."""
    rule = Q(event__territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))
    if user.can(EMPLOYERS_PROPOSE):
        rule |= Q(pathway__in=pathways_visible_to(user))
    return EventInvitation.objects.filter(rule)


def sponsorships_visible_to(user: User) -> QuerySet[Sponsorship]:
    rule = Q(employer__territory_id__in=territory_ids_with(user, EMPLOYERS_MANAGE))
    if user.can(EMPLOYERS_PROPOSE):
        rule |= Q(pathway__in=pathways_visible_to(user))
    return Sponsorship.objects.filter(rule)


def person_followed_by(user: User, pathway_id: int) -> bool:
    """`user` puts this person forward (the referent, the team of the territory): may propose them and write their
    file, which they see. Candidacies, invitations and sponsorships ask it."""
    return puts_people_forward(user) and pathways_visible_to(user).filter(pk=pathway_id).exists()


def puts_people_forward(user: User) -> bool:
    """The capabilities of `person_followed_by`, for a page that already holds a file the user sees."""
    return user.can(EMPLOYERS_PROPOSE) and user.can(PATHWAY_WRITE)
