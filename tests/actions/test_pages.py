"""The actions' pages: the catalogue and its filters, an action, the team's forms, proposing a person, the operator's
side (their actions and indicators, the people, decisions, attendance); who opens them; their query counts."""

import datetime

import pytest
from django.urls import reverse

from parcours.actions.models import Action, ActionSession, Positioning, SessionAttendance
from parcours.actions.services import positioning_decide, positioning_propose
from parcours.audit.models import AccessLog
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def action(provider, coordinator):
    return factories.ActionFactory(operator=provider, places=3, created_by=coordinator, title="Atelier numérique",
                                   kind="f17_digital")


def _client(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def test_the_catalogue_filters_and_pages(referent, action, provider, territory):
    other = factories.ActionFactory(operator=provider, kind="f02_barriers", title="Garage solidaire")
    client = _client(referent)
    page = client.get(reverse("actions:catalogue")).content.decode()
    assert "Atelier numérique" in page and "Garage solidaire" in page
    page = client.get(reverse("actions:catalogue"), {"kind": "f02_barriers"}).content.decode()
    assert "Garage solidaire" in page and "Atelier numérique" not in page
    page = client.get(reverse("actions:catalogue"), {"q": "numérique"}).content.decode()
    assert "Atelier numérique" in page and "Garage solidaire" not in page
    other.places = 1
    other.save()
    positioning_decide(positioning=positioning_propose(
        action=other, pathway=factories.PathwayFactory(active=True, operator=referent.active_memberships[0].organisation,
                                                       referent=referent), by=referent), name="accept",
        by=factories.UserFactory(membership=(provider, "action_staff")))
    page = client.get(reverse("actions:catalogue"), {"open_only": "on"}).content.decode()
    assert "Atelier numérique" in page and "Garage solidaire" not in page
    page = client.get(reverse("actions:catalogue"), {"on": (action.end_date + datetime.timedelta(days=1)).isoformat()})
    assert "Atelier numérique" not in page.content.decode()
    for _ in range(21):
        factories.ActionFactory(operator=provider)
    page = client.get(reverse("actions:catalogue"))
    assert page.context["page"].paginator.num_pages == 2


def test_proposing_from_the_file_and_the_operator_deciding(referent, followed, action, staff):
    client = _client(referent)
    detail = client.get(reverse("actions:action_detail", args=[action.pk]), {"pathway": followed.pk})
    assert "Proposer" in detail.content.decode()
    answer = client.post(reverse("actions:propose", args=[action.pk, followed.pk]),
                         {"comment": "Pour le numérique"})
    assert answer.status_code == 302
    positioning = Positioning.objects.get()
    assert AccessLog.objects.filter(user=referent, participant_id=followed.participant_id,
                                    screen="action_propose").exists()
    operator = _client(staff)
    people = operator.get(reverse("actions:action_people", args=[action.pk])).content.decode()
    assert followed.participant.last_name in people and "Pour le numérique" not in people
    assert AccessLog.objects.filter(user=staff, screen="action_people").count() == 1
    operator.post(reverse("actions:decide", args=[positioning.pk, "accept"]))
    operator.post(reverse("actions:decide", args=[positioning.pk, "start"]), {f"p{positioning.pk}-start-on": TODAY})
    positioning.refresh_from_db()
    assert positioning.status == "started" and positioning.step.pathway == followed
    session = factories.ActionSessionFactory(action=action, date=TODAY)
    assert operator.get(reverse("actions:attendance", args=[session.pk])).status_code == 200
    operator.post(reverse("actions:attendance", args=[session.pk]), {f"mark-{positioning.pk}": "present"})
    assert SessionAttendance.objects.get().attendance == "present"
    answer = operator.post(reverse("actions:decide", args=[positioning.pk, "leave"]),
                           {f"p{positioning.pk}-leave-on": TODAY, f"p{positioning.pk}-leave-reason": ""}, follow=True)
    assert "Motif" in answer.content.decode()
    assert Positioning.objects.get().status == "started"


def test_the_operators_staff_open_nothing_else_of_a_person(staff, followed, action, referent):
    positioning = positioning_propose(action=action, pathway=followed, by=referent)
    client = _client(staff)
    for name, args in [("pathways:pathway_detail", [followed.pk]), ("pathways:caseload", []),
                       ("intake:application_list", []), ("actions:catalogue", []),
                       ("pathways:step_add", [followed.pk]), ("rights:participant_rights", [followed.participant_id]),
                       ("esf:pathway_participations", [followed.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    # their own pages name the person, and nothing of the file (not the referent's comment, not the referent)
    assert client.get(reverse("actions:action_detail", args=[action.pk])).status_code == 200
    assert client.get(reverse("actions:action_detail", args=[action.pk]), {"pathway": followed.pk}).status_code == 200
    assert client.post(reverse("actions:propose", args=[action.pk, followed.pk])).status_code == 403
    other_action = factories.ActionFactory(operator__territory=action.operator.territory)
    assert client.get(reverse("actions:action_people", args=[other_action.pk])).status_code == 404
    assert client.post(reverse("actions:decide", args=[positioning.pk, "accept"])).status_code == 302
    other = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=action.operator.territory, kind="step_provider"), "action_staff"))
    assert _client(other).post(reverse("actions:decide", args=[positioning.pk, "refuse"])).status_code == 404


def test_the_team_creates_an_action_and_its_sessions(coordinator, provider):
    client = _client(coordinator)
    assert client.get(reverse("actions:action_create")).status_code == 200
    answer = client.post(reverse("actions:action_create"), {
        "operator": provider.pk, "kind": "f03_training", "title": "Préparation aux métiers du soin", "places": 10,
        "start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=20), "address": "", "step_type": "mobilisation"})
    assert answer.status_code == 400 and "Lieu" in answer.content.decode()
    answer = client.post(reverse("actions:action_create"), {
        "operator": provider.pk, "kind": "f03_training", "title": "Préparation aux métiers du soin", "places": 10,
        "start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=20), "address": "2 rue Blatin",
        "step_type": "mobilisation"})
    action = Action.objects.get()
    assert answer.status_code == 302 and action.created_by == coordinator
    answer = client.post(reverse("actions:session_add", args=[action.pk]),
                         {"day": TODAY, "start_time": "09:00", "end_time": "12:00"})
    assert answer.status_code == 302 and ActionSession.objects.filter(action=action).count() == 1
    answer = client.post(reverse("actions:action_edit", args=[action.pk]), {
        "operator": provider.pk, "kind": "f03_training", "title": "Préparation aux métiers du soin", "places": 12,
        "start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=20), "address": "2 rue Blatin",
        "step_type": "mobilisation"})
    assert answer.status_code == 302 and Action.objects.get().places == 12


def test_the_operators_home_shows_their_actions_and_indicators(staff, action, provider, territory):
    factories.ActionFactory(operator__territory=territory, title="Action d'un autre opérateur")
    page = _client(staff).get(reverse("actions:operator_home")).content.decode()
    assert "Atelier numérique" in page and "Action d'un autre opérateur" not in page


def _positioned(action, operator, referent, staff, count):
    people = []
    for _ in range(count):
        pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
        p = positioning_decide(positioning=positioning_propose(action=action, pathway=pathway, by=referent),
                               name="accept", by=staff)
        people.append(positioning_decide(positioning=p, name="start", by=staff, data={"on": TODAY}))
    return people


@pytest.mark.parametrize("count", [1, 3])
def test_query_counts_do_not_grow_with_the_people(count, django_assert_num_queries, action, operator, referent,
                                                  staff, coordinator):
    action.places = 10
    action.save()
    _positioned(action, operator, referent, staff, count)
    session = factories.ActionSessionFactory(action=action, date=TODAY)
    factories.ActionFactory(operator=action.operator)
    pages = [(referent, reverse("actions:catalogue"), 6),
             (referent, reverse("actions:action_detail", args=[action.pk]), 5),
             (staff, reverse("actions:operator_home"), 6),
             (staff, reverse("actions:action_people", args=[action.pk]), 8),
             (staff, reverse("actions:attendance", args=[session.pk]), 7),
             (coordinator, reverse("actions:action_create"), 5)]
    for user, url, queries in pages:
        client = _client(user)
        client.get(url)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200, url
