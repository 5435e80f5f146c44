"""Which planned appointments a user sees: those of a person whose file they may open (pathways_visible_to), and
the ones they organise for their current structure. Another structure's meeting answers 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from parcours.organisations.capabilities import PATHWAY_READ, PATHWAY_WRITE
from parcours.organisations.models import User
from parcours.organisations.scope import organisation_ids_with
from parcours.pathways.access import pathways_visible_to

from .models import Attendance, Meeting


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    if not user.is_authenticated or not user.is_active or not user.can(PATHWAY_READ):
        return Meeting.objects.none()
    people = Attendance.objects.filter(meeting=OuterRef("pk"), pathway__in=pathways_visible_to(user).values("pk"))
    own = Q(organiser=user, organisation_id__in=organisation_ids_with(user, PATHWAY_READ))
    return Meeting.objects.filter(own | Q(Exists(people)))


def attendances_writable_by(user: User) -> QuerySet[Attendance]:
    """The attendances the user may mark: on a file they may open, with the right to write in files."""
    if not user.is_authenticated or not user.is_active or not user.can(PATHWAY_WRITE):
        return Attendance.objects.none()
    return Attendance.objects.filter(pathway__in=pathways_visible_to(user).values("pk"))
