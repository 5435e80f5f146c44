"""Entry through a PLIE collective action: the person becomes a participant at once, without commission."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.core.workflow import TransitionRefused
from parcours.plie.intake.models import CollectiveActionEntry
from parcours.plie.intake.services import pathway_enter_via_collective_action
from parcours.organisations.models import Membership
from parcours.participants.models import Participant
from parcours.pathways.models import Pathway, PathwayTransition
from tests import factories

from .helpers import person, today


@pytest.fixture
def membership(referent):
    return Membership.objects.get(user=referent, role="referent")


def enter(by, membership, **changes):
    values = {"action_name": "Atelier « Cap vers l'emploi »", "selected_on": today() - datetime.timedelta(days=2),
              "membership": membership}
    values.update(changes)
    if "participant" not in values and "person" not in values:
        values.update(person=person(membership.organisation.territory), situations=["rsa"])
    return pathway_enter_via_collective_action(by=by, **values)


def test_new_person_enters_active_without_commission(coordinator, membership, referent, operator):
    pathway = enter(coordinator, membership)
    assert (pathway.status, pathway.entry_route, pathway.decision) == ("active", "collective_action", "admitted")
    assert pathway.entry_date == today() - datetime.timedelta(days=2)
    assert (pathway.referent, pathway.operator, pathway.commission_date) == (referent, operator, None)
    assert pathway.participant.situation("rsa") is True
    assert CollectiveActionEntry.objects.get(pathway=pathway).action_name.startswith("Atelier")
    row = PathwayTransition.objects.get(pathway=pathway)
    assert (row.transition, row.from_state, row.to_state) == ("enter_collective_action", "", "active")
    assert AuditEvent.objects.filter(action="pathway_enter_collective_action").exists()


def test_known_person_enters_after_a_closed_pathway(coordinator, membership, territory):
    earlier = factories.PathwayFactory(participant__territory=territory, status="refused")
    pathway = enter(coordinator, membership, participant=earlier.participant)
    assert pathway.participant == earlier.participant
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("status", ["submitted", "assigned", "active", "followup"])
def test_refused_while_the_person_has_an_open_pathway(coordinator, membership, territory, status):
    open_pathway = factories.PathwayFactory(participant__territory=territory, status=status)
    with pytest.raises(ValidationError) as caught:
        enter(coordinator, membership, participant=open_pathway.participant)
    assert "participant" in caught.value.message_dict
    assert Pathway.objects.count() == 1


def test_selection_in_the_future_is_refused(coordinator, membership):
    with pytest.raises(ValidationError) as caught:
        enter(coordinator, membership, selected_on=today() + datetime.timedelta(days=1))
    assert caught.value.message_dict["selected_on"] == ["La date ne peut pas être dans le futur."]
    assert not Participant.objects.exists()


def test_action_name_is_required(coordinator, membership):
    with pytest.raises(ValidationError) as caught:
        enter(coordinator, membership, action_name=" ")
    assert "action_name" in caught.value.message_dict


def test_only_the_team_records_it(referent, membership):
    with pytest.raises(TransitionRefused):
        enter(referent, membership)


def test_referent_must_be_assignable(coordinator):
    far = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=factories.TerritoryFactory(name="Autre PLIE"), operator=True), "referent"))
    with pytest.raises(TransitionRefused):
        enter(coordinator, Membership.objects.get(user=far))


def test_collective_entry_page(client, coordinator, membership, territory, django_assert_num_queries):
    client.force_login(coordinator)
    url = reverse("intake:collective_entry")
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    response = client.post(url, {
        "action_name": "Atelier numérique", "selected_on": today().isoformat(), "membership": membership.pk,
        "last_name": "Martin", "first_name": "Paul", "sex": "M", "birth_date": "1970-01-02",
        "commune": territory.communes.get(insee="63113").pk, "situations": ["inactive_12m"]})
    pathway = Pathway.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:collective_entry_done", args=[pathway.pk])
    assert pathway.participant.situation("inactive_12m") is True
    assert "Atelier numérique" in client.get(response["Location"]).content.decode()


def test_collective_entry_page_for_a_known_person_refuses_an_open_pathway(client, coordinator, membership, territory):
    open_pathway = factories.PathwayFactory(participant__territory=territory, status="assigned")
    client.force_login(coordinator)
    url = reverse("intake:collective_entry") + f"?participant={open_pathway.participant_id}"
    response = client.post(url, {"action_name": "Atelier", "selected_on": today().isoformat(),
                                 "membership": membership.pk, "participant": open_pathway.participant_id})
    assert response.status_code == 200
    assert "déjà une candidature ou un parcours en cours" in response.content.decode()
    assert Pathway.objects.count() == 1


def test_collective_entry_page_is_for_the_team(client, referent, prescriber):
    for user in (referent, prescriber):
        client.force_login(user)
        assert client.get(reverse("intake:collective_entry")).status_code == 403
