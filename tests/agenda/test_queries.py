"""The agenda's pages cost the same number of queries with one appointment or many (docs/testing.md)."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import Meeting
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db

# session, user, memberships (the scope), the meetings with their organiser, structure, place and change count,
# their people (prefetched), the referents to choose from, the attendance figures, the access-log insert
PINS = {"week": 9, "day": 9, "list": 10, "ics": 6, "detail": 10, "plan": 6}


def _at(days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)),
                               timezone.get_current_timezone())


def _grow(territory, operator, referent, count: int, *, collective: Meeting | None = None) -> Meeting:
    meeting = collective
    for index in range(count):
        pathway = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                           active=True)
        if meeting is None:
            meeting = services.meeting_plan(by=referent, pathway=pathway, values=services.MeetingValues(
                starts_at=_at(1, 9), duration_minutes=60, kind="collective", mode="in_person", subject="Atelier"))
        else:
            services.attendance_add(meeting=meeting, pathway=pathway, by=referent)
        services.meeting_plan(by=referent, pathway=pathway, values=services.MeetingValues(
            starts_at=_at(1, 10 + index % 8), duration_minutes=30, kind="individual", mode="phone",
            subject=f"Point {index}"))
    assert meeting is not None
    return meeting


@pytest.mark.parametrize("name", sorted(PINS))
def test_each_page_costs_the_same_at_two_volumes(name, territory, operator, referent, django_assert_num_queries):
    collective = _grow(territory, operator, referent, 1)
    client = VerifiedClient()
    client.force_login(referent)
    day = timezone.localdate(_at(1, 9)).isoformat()
    url, query = {
        "week": (reverse("agenda:agenda"), {"vue": "week", "date": day, "referent": referent.pk}),
        "day": (reverse("agenda:agenda"), {"vue": "day", "date": day, "referent": referent.pk}),
        "list": (reverse("agenda:agenda"), {"vue": "list", "date": day, "referent": referent.pk}),
        "ics": (reverse("agenda:agenda_ics"), {}),
        "detail": (reverse("agenda:meeting_detail", args=[collective.pk]), {}),
        "plan": (reverse("agenda:meeting_plan", args=[collective.attendances.first().pathway_id]), {}),
    }[name]
    client.get(url, query)   # the session's first read
    with django_assert_num_queries(PINS[name]):
        assert client.get(url, query).status_code == 200
    _grow(territory, operator, referent, 5, collective=collective)
    with django_assert_num_queries(PINS[name]):
        assert client.get(url, query).status_code == 200
