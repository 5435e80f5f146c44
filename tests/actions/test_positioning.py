"""The positioning workflow: every transition and refusal (a full action, a person proposed twice, an operator
deciding on another operator's action), the step it puts on the pathway, attendance (docs/actions.md)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from parcours.actions.models import Positioning, PositioningTransition, SessionAttendance
from parcours.actions.services import action_save, action_session_add, attendance_record, positioning_decide, positioning_propose
from parcours.actions.workflow import POSITIONING_WORKFLOW
from parcours.audit.models import AuditEvent
from parcours.core.workflow import TransitionRefused
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def other_staff(territory):
    other = factories.OrganisationFactory(territory=territory, kind="step_provider", name="Autre organisme")
    return factories.UserFactory(membership=(other, "action_staff"))


@pytest.fixture
def action(provider, coordinator):
    return factories.ActionFactory(operator=provider, places=2, created_by=coordinator)


def _accepted(action, pathway, referent, staff):
    positioning = positioning_propose(action=action, pathway=pathway, by=referent)
    return positioning_decide(positioning=positioning, name="accept", by=staff)


def test_the_full_walk_puts_the_actions_step_on_the_pathway(action, followed, referent, staff):
    positioning = positioning_propose(action=action, pathway=followed, by=referent, comment="Projet formation")
    assert positioning.status == "proposed"
    positioning = positioning_decide(positioning=positioning, name="accept", by=staff)
    positioning = positioning_decide(positioning=positioning, name="start", by=staff, data={"on": TODAY})
    step = followed.steps.get()
    assert (step.step_type, step.start_date, step.operator_name, step.end_date) == (
        "mobilisation", TODAY, action.operator.name, None)
    assert step.positioning.action == action          # the step references the action, not a typed name
    positioning = positioning_decide(positioning=positioning, name="complete", by=staff, data={"on": TODAY})
    step.refresh_from_db()
    assert positioning.status == "completed" and step.end_date == TODAY
    rows = list(PositioningTransition.objects.filter(positioning=positioning))
    assert [r.transition for r in rows] == ["propose", "accept", "start", "complete"]
    assert POSITIONING_WORKFLOW.history_problems(rows, final="completed") == []
    assert {"positioning_propose", "positioning.accept", "positioning.start", "step.create", "positioning.complete",
            "step.end"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_waiting_list_then_accept_or_refuse_with_a_reason(action, followed, referent, staff, operator):
    positioning = positioning_propose(action=action, pathway=followed, by=referent)
    positioning = positioning_decide(positioning=positioning, name="wait", by=staff)
    assert positioning.status == "waiting_list"
    with pytest.raises(TransitionRefused, match="Motif du refus"):
        positioning_decide(positioning=positioning, name="refuse", by=staff, data={"reason": "bof"})
    positioning = positioning_decide(positioning=positioning, name="refuse", by=staff, data={"reason": "public"})
    assert (positioning.status, positioning.refusal_reason) == ("refused", "public")
    # once refused, the person may be proposed again
    again = positioning_propose(action=action, pathway=followed, by=referent)
    assert again.status == "proposed"


def test_leaving_keeps_its_reason_and_ends_the_step(action, followed, referent, staff):
    positioning = _accepted(action, followed, referent, staff)
    positioning = positioning_decide(positioning=positioning, name="start", by=staff, data={"on": TODAY})
    with pytest.raises(TransitionRefused, match="Motif de l'abandon"):
        positioning_decide(positioning=positioning, name="leave", by=staff, data={"on": TODAY, "reason": ""})
    positioning = positioning_decide(positioning=positioning, name="leave", by=staff,
                                     data={"on": TODAY, "reason": "employment"})
    assert positioning.status == "left" and positioning.step.end_date == TODAY


def test_a_full_action_refuses_one_more(action, referent, staff, operator):
    people = [factories.PathwayFactory(active=True, operator=operator, referent=referent) for _ in range(3)]
    _accepted(action, people[0], referent, staff)
    _accepted(action, people[1], referent, staff)
    third = positioning_propose(action=action, pathway=people[2], by=referent)
    with pytest.raises(TransitionRefused, match="complète"):
        positioning_decide(positioning=third, name="accept", by=staff)
    assert Positioning.objects.get(pk=third.pk).status == "proposed"
    # the waiting list holds no place
    positioning_decide(positioning=third, name="wait", by=staff)


def test_a_person_proposed_twice_is_refused(action, followed, referent, staff):
    positioning_propose(action=action, pathway=followed, by=referent)
    with pytest.raises(ValidationError, match="déjà positionnée"):
        positioning_propose(action=action, pathway=followed, by=referent)
    # the database holds the rule too
    with pytest.raises(IntegrityError), transaction.atomic():
        Positioning.objects.create(action=action, pathway=followed, proposed_by=referent, status="accepted")


def test_an_operator_never_decides_on_another_operators_action(action, followed, referent, other_staff):
    positioning = positioning_propose(action=action, pathway=followed, by=referent)
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        positioning_decide(positioning=positioning, name="accept", by=other_staff)
    assert Positioning.objects.get(pk=positioning.pk).status == "proposed"


def test_the_team_decides_on_its_territorys_actions(action, followed, referent, coordinator):
    positioning = positioning_propose(action=action, pathway=followed, by=referent)
    assert positioning_decide(positioning=positioning, name="accept", by=coordinator).status == "accepted"


def test_a_referent_decides_nothing_and_staff_propose_nobody(action, followed, referent, staff):
    positioning = positioning_propose(action=action, pathway=followed, by=referent)
    with pytest.raises(TransitionRefused):
        positioning_decide(positioning=positioning, name="accept", by=referent)
    with pytest.raises(TransitionRefused):
        positioning_propose(action=action, pathway=followed, by=staff)


def test_only_the_people_one_follows_or_prescribed(action, referent, prescriber, prescriber_org, territory):
    stranger = factories.PathwayFactory(active=True)
    with pytest.raises(ValidationError, match="que vous suivez"):
        positioning_propose(action=action, pathway=stranger, by=referent)
    candidate = factories.ApplicationFactory(prescriber_organisation=prescriber_org,
                                             pathway__participant__territory=territory).pathway
    assert positioning_propose(action=action, pathway=candidate, by=prescriber).status == "proposed"
    with pytest.raises(ValidationError, match="que vous suivez"):
        positioning_propose(action=action, pathway=candidate, by=referent)


def test_a_candidate_not_yet_in_the_pathway_cannot_start(action, prescriber, prescriber_org, territory, staff):
    candidate = factories.ApplicationFactory(prescriber_organisation=prescriber_org,
                                             pathway__participant__territory=territory).pathway
    positioning = positioning_decide(positioning=positioning_propose(action=action, pathway=candidate,
                                                                     by=prescriber), name="accept", by=staff)
    with pytest.raises(TransitionRefused, match="pas entrée dans le parcours"):
        positioning_decide(positioning=positioning, name="start", by=staff, data={"on": TODAY})


def test_start_dates_are_checked(action, followed, referent, staff):
    positioning = _accepted(action, followed, referent, staff)
    with pytest.raises(TransitionRefused, match="futur"):
        positioning_decide(positioning=positioning, name="start", by=staff,
                           data={"on": TODAY + datetime.timedelta(days=1)})
    with pytest.raises(TransitionRefused, match="début de l'action"):
        positioning_decide(positioning=positioning, name="start", by=staff,
                           data={"on": action.start_date - datetime.timedelta(days=1)})
    assert not followed.steps.exists()


def test_an_ended_action_takes_nobody(coordinator, provider, followed, referent):
    ended = factories.ActionFactory(operator=provider, start_date=TODAY - datetime.timedelta(days=40),
                                    end_date=TODAY - datetime.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="terminée"):
        positioning_propose(action=ended, pathway=followed, by=referent)


def test_states_refuse_what_the_table_does_not_allow(action, followed, referent, staff):
    positioning = positioning_propose(action=action, pathway=followed, by=referent)
    with pytest.raises(TransitionRefused, match="à l'état"):
        positioning_decide(positioning=positioning, name="complete", by=staff, data={"on": TODAY})


def test_attendance_per_session_by_the_operator_only(action, followed, referent, staff, other_staff):
    positioning = _accepted(action, followed, referent, staff)
    session = factories.ActionSessionFactory(action=action, date=TODAY)
    with pytest.raises(ValidationError, match="pas entrée"):
        attendance_record(session=session, marks={positioning.pk: "present"}, by=staff)
    positioning_decide(positioning=positioning, name="start", by=staff, data={"on": TODAY})
    with pytest.raises(TransitionRefused):
        attendance_record(session=session, marks={positioning.pk: "present"}, by=other_staff)
    with pytest.raises(ValidationError, match="valeur inconnue"):
        attendance_record(session=session, marks={positioning.pk: "maybe"}, by=staff)
    assert attendance_record(session=session, marks={positioning.pk: "present"}, by=staff) == 1
    assert attendance_record(session=session, marks={positioning.pk: "excused"}, by=staff) == 1
    assert attendance_record(session=session, marks={positioning.pk: "excused"}, by=staff) == 0
    assert SessionAttendance.objects.get().attendance == "excused"
    later = factories.ActionSessionFactory(action=action, date=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        attendance_record(session=later, marks={positioning.pk: "present"}, by=staff)


def _values(provider, **extra):
    return {"operator_id": provider.pk, "kind": "f02_barriers", "title": "Atelier mobilité", "places": 8,
            "start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=30), "address": "1 place de Jaude",
            "step_type": "social_support", **extra}


def test_the_team_creates_and_edits_actions(coordinator, provider, referent, staff):
    action = action_save(by=coordinator, values=_values(provider))
    assert AuditEvent.objects.filter(action="action_create", object_id=str(action.pk)).exists()
    action = action_save(by=coordinator, action=action, values={"places": 10})
    assert action.places == 10
    for user in (referent, staff):
        with pytest.raises(ValidationError, match="équipe d'animation"):
            action_save(by=user, values=_values(provider))


@pytest.mark.parametrize(("extra", "field"), [
    ({"end_date": TODAY - datetime.timedelta(days=1)}, "end_date"),
    ({"places": 0}, "places"),
    ({"address": ""}, "address"),
    ({"cost": -1}, "cost"),
    ({"step_type": "iae_aci"}, "step_type"),
    ({"kind": "f99"}, "kind"),
])
def test_bad_actions_are_refused_naming_the_field(coordinator, provider, extra, field):
    with pytest.raises(ValidationError) as refused:
        action_save(by=coordinator, values=_values(provider, **extra))
    assert field in refused.value.message_dict


def test_a_prescriber_structure_runs_no_action(coordinator, prescriber_org):
    with pytest.raises(ValidationError) as refused:
        action_save(by=coordinator, values=_values(prescriber_org))
    assert "operator" in refused.value.message_dict


def test_places_cannot_drop_below_those_retained(coordinator, action, followed, referent, staff):
    _accepted(action, followed, referent, staff)
    with pytest.raises(ValidationError, match="déjà retenues"):
        action_save(by=coordinator, action=action, values={"places": 0})


def test_sessions_fall_within_the_action(coordinator, action):
    with pytest.raises(ValidationError) as refused:
        action_session_add(action=action, by=coordinator, day=action.end_date + datetime.timedelta(days=1),
                           start_time=datetime.time(9), end_time=datetime.time(8))
    assert set(refused.value.message_dict) == {"date", "end_time"}
    session = action_session_add(action=action, by=coordinator, day=action.start_date,
                                 start_time=datetime.time(9), end_time=datetime.time(12))
    assert session.action == action
