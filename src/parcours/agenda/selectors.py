"""The agenda's reads: a period's meetings with their people, a file's coming appointments, attendance figures
(counted by the database)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from parcours.organisations.models import User

from .access import meetings_visible_to
from .enums import AttendanceStatus
from .models import Attendance, Meeting


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the first day's midnight to the midnight after the last day, in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (datetime.combine(first, time.min, tzinfo=zone),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone))


def _with_people(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (meetings.select_related("organiser", "organisation", "helpdesk")
            .annotate(change_count=Count("changes", distinct=True))
            .prefetch_related(Prefetch("attendances",
                                       queryset=Attendance.objects.select_related("pathway__participant")
                                       .order_by("pathway__participant__last_name", "pk"))))


def agenda_window(*, user: User, first: date, last: date, organiser: User | None = None) -> QuerySet[Meeting]:
    """The meetings the user sees between two days (both included), of one organiser or of all they see."""
    start, end = day_bounds(first, last)
    meetings = meetings_visible_to(user).filter(starts_at__gte=start, starts_at__lt=end)
    return meetings if organiser is None else meetings.filter(organiser=organiser)


def agenda_meetings(*, user: User, first: date, last: date, organiser: User | None = None) -> QuerySet[Meeting]:
    """The same, with their people, for display."""
    return _with_people(agenda_window(user=user, first=first, last=last, organiser=organiser)).order_by("starts_at",
                                                                                                          "pk")


def meeting_with_people(*, user: User, pk: int) -> Meeting:
    return _with_people(meetings_visible_to(user)).get(pk=pk)


def pathway_coming_attendances(*, pathway_id: int) -> QuerySet[Attendance]:
    """A file's appointments still to come, and the last ones planned that were not held (for the hub)."""
    return (Attendance.objects.filter(pathway_id=pathway_id, status=AttendanceStatus.PLANNED,
                                      meeting__starts_at__gte=timezone.now() - timedelta(days=1))
            .select_related("meeting__organiser", "meeting__helpdesk").order_by("meeting__starts_at"))


def attendance_figures(*, meetings: QuerySet[Meeting]) -> dict[str, int | float | None]:
    """How many people were expected at these meetings, by status, and the share of no-shows among those whose
    appointment has passed (seen + excused + no-show), counted in one query."""
    counts = Attendance.objects.filter(meeting__in=meetings.values("pk")).aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in AttendanceStatus})
    decided = counts["seen"] + counts["excused"] + counts["no_show"]
    return {**counts, "decided": decided,
            "no_show_rate": round(100 * counts["no_show"] / decided, 1) if decided else None}
