"""Who may open a person's rights page, and the team's guide."""

import pytest
from django.urls import reverse

from parcours.audit.models import AccessLog
from parcours.organisations.models import Membership
from tests import factories


def test_guide_is_for_signed_in_users(client, referent):
    assert client.get(reverse("rights:guide")).status_code == 302
    client.force_login(referent)
    response = client.get(reverse("rights:guide"))
    assert response.status_code == 200
    assert "un mois" in response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "director", "referent"])
def test_rights_page_opens_for_team_and_own_referent_and_is_logged(client, full_file, who, request):
    participant, _pathway = full_file
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("rights:participant_rights", args=[participant.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("rights:export", args=[participant.pk]) in body
    assert reverse("rights:rectify", args=[participant.pk]) in body
    assert reverse("rights:guide") in body
    assert (reverse("rights:erase", args=[participant.pk]) in body) == (who != "referent")
    assert AccessLog.objects.filter(user=user, participant=participant, screen="rights").count() == 1


@pytest.mark.parametrize("who", ["prescriber", "administrator"])
def test_rights_page_is_refused_to_prescriber_and_administrator(client, full_file, who, request):
    participant, _pathway = full_file
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("rights:participant_rights", args=[participant.pk])).status_code == 403


@pytest.mark.parametrize("who", ["other_referent", "foreign_coordinator"])
def test_another_structure_participant_is_not_found(client, full_file, who, request):
    participant, _pathway = full_file
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("rights:participant_rights", args=[participant.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_referent_who_is_also_administrator_only_reaches_own_structure(client, full_file, plie, other_referent):
    participant, _pathway = full_file
    Membership.objects.create(user=other_referent, organisation=plie, role="administrator")
    client.force_login(other_referent)
    assert client.get(reverse("rights:participant_rights", args=[participant.pk])).status_code == 404


def test_rights_page_query_count_is_constant(client, coordinator, full_file, django_assert_num_queries):
    participant, _pathway = full_file
    client.force_login(coordinator)
    url = reverse("rights:participant_rights", args=[participant.pk])
    # session, user, memberships, participant, access log row
    with django_assert_num_queries(5):
        client.get(url)
    for _ in range(3):
        factories.PathwayFactory(participant=participant)
    with django_assert_num_queries(5):
        client.get(url)
