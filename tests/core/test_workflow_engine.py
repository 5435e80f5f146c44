"""The workflow engine itself, on small tables of its own: creation, policy, typed payloads, replay, routes, import
rows, a workflow without a log, and the log's one-actor rule."""

from dataclasses import dataclass
from datetime import date, datetime, UTC

import pytest
from django.db import IntegrityError, transaction

from parcours.core.workflow import (
    CREATED, IMPORT_ACTOR, SystemActor, Transition, TransitionRefused, Workflow, transition_apply,
    transition_create, transition_import, transition_replay,
)
from parcours.organisations.capabilities import APPLICATION_SUBMIT, PATHWAY_WRITE
from parcours.organisations.enums import Role
from parcours.plie.enums import PathwayStatus as S
from parcours.pathways.models import Pathway, PathwayTransition
from parcours.plie.commissions.enums import CommissionStatus
from parcours.plie.commissions.models import Commission
from parcours.plie.commissions.workflow import COMMISSION_WORKFLOW
from parcours.plie.definition import plie_programme_of
from tests import factories


@dataclass(frozen=True)
class Reason:
    reason: str
    on: date | None = None


def _workflow(**options) -> Workflow:
    workflow = Workflow(state_field="status", log_model=PathwayTransition, log_object_field="pathway",
                        states={S.SUBMITTED: "Reçue", S.ACTIVE: "En parcours", S.EXITED: "Sortie"},
                        initial=S.SUBMITTED, **options)
    for t in [
        Transition("open", frozenset({CREATED}), S.SUBMITTED, "Ouvrir", frozenset({APPLICATION_SUBMIT})),
        Transition("start", frozenset({S.SUBMITTED}), S.ACTIVE, "Démarrer", frozenset({PATHWAY_WRITE})),
        Transition("stop", frozenset({S.ACTIVE}), S.EXITED, "Arrêter", frozenset({PATHWAY_WRITE}), payload=Reason),
    ]:
        workflow.add(t)
    return workflow


def _as(user, *roles):
    return factories.acting_as(user, *roles)


def test_a_table_refuses_unknown_states_taken_names_mixed_creations_and_mutable_payloads():
    workflow = _workflow()
    with pytest.raises(ValueError, match="unknown states"):
        workflow.add(Transition("lost", frozenset({"nowhere"}), S.ACTIVE, "?", frozenset()))
    with pytest.raises(ValueError, match="is taken"):
        workflow.add(Transition("start", frozenset({S.ACTIVE}), S.EXITED, "?", frozenset()))
    with pytest.raises(ValueError, match="is taken"):
        workflow.add(Transition("import", frozenset({S.ACTIVE}), S.EXITED, "?", frozenset()))
    with pytest.raises(ValueError, match="only from nothing"):
        workflow.add(Transition("reopen", frozenset({CREATED, S.EXITED}), S.ACTIVE, "?", frozenset()))

    @dataclass
    class Mutable:
        value: int

    with pytest.raises(ValueError, match="frozen dataclass"):
        workflow.add(Transition("again", frozenset({S.EXITED}), S.ACTIVE, "?", frozenset(), payload=Mutable))


def test_creation_saves_in_the_target_state_and_logs_from_nothing(territory, prescriber, referent):
    workflow = _workflow()
    participant = factories.ParticipantFactory(territory=territory)
    pathway = Pathway(participant=participant, programme=plie_programme_of(territory.pk))
    with pytest.raises(TransitionRefused, match="ne crée pas"):
        transition_create(workflow, pathway, "start", by=_as(referent, Role.REFERENT))
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        transition_create(workflow, pathway, "open", by=_as(referent, Role.REFERENT))
    assert pathway.pk is None
    transition_create(workflow, pathway, "open", by=_as(prescriber, Role.PRESCRIBER))
    (row,) = PathwayTransition.objects.filter(pathway=pathway)
    assert (row.transition, row.from_state, row.to_state, row.by, row.data) == ("open", "", S.SUBMITTED, prescriber, {})
    with pytest.raises(TransitionRefused, match="crée un dossier"):
        transition_apply(workflow, pathway, "open", by=prescriber)


def test_the_policy_hook_decides_not_the_roles(territory, referent):
    """A workflow's policy replaces the role check: here, only the pathway's own referent may act."""
    own_referent = _workflow(policy=lambda actor, transition, obj: obj.referent_id == actor.pk)
    pathway = factories.PathwayFactory(participant__territory=territory, referent=referent, status=S.SUBMITTED)
    other = _as(factories.UserFactory(), Role.REFERENT)
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        transition_apply(own_referent, pathway, "start", by=other)
    assert [t.name for t in own_referent.available(pathway, other)] == []
    assert [t.name for t in own_referent.available(pathway, referent)] == ["start"]
    assert transition_apply(own_referent, pathway, "start", by=referent).status == S.ACTIVE


def test_payloads_are_typed_and_logged_as_json(territory, referent):
    workflow = _workflow()
    pathway = factories.PathwayFactory(participant__territory=territory, referent=referent, status=S.ACTIVE)
    _as(referent, Role.REFERENT)
    with pytest.raises(TypeError, match="carries no colour"):
        transition_apply(workflow, pathway, "stop", by=referent, data={"reason": "x", "colour": "red"})
    with pytest.raises(TransitionRefused, match="information manquante"):
        transition_apply(workflow, pathway, "stop", by=referent, data={})
    transition_apply(workflow, pathway, "stop", by=referent, data=Reason("moved", date(2026, 1, 5)))
    row = PathwayTransition.objects.get(pathway=pathway, transition="stop")
    assert row.data == {"reason": "moved", "on": "2026-01-05"}


def test_replay_walks_the_table_without_checks_and_refuses_what_it_does_not_allow(territory, prescriber, referent):
    workflow = _workflow()
    pathway = Pathway(status=CREATED)
    at = datetime(2025, 3, 1, 10, tzinfo=UTC)
    rows = [transition_replay(workflow, pathway, "open", by=_as(prescriber, Role.PRESCRIBER), at=at)]
    with pytest.raises(ValueError, match="does not start from"):
        transition_replay(workflow, pathway, "stop", by=referent, at=at, data={"reason": "x"})
    with pytest.raises(ValueError, match="may not apply"):
        transition_replay(workflow, pathway, "start", by=prescriber, at=at)
    rows.append(transition_replay(workflow, pathway, "start", by=_as(referent, Role.REFERENT), at=at))
    assert pathway.status == S.ACTIVE and not any(row.pk for row in rows)
    assert workflow.history_problems(rows, final=S.ACTIVE) == []


def test_routes_are_the_shortest_walk_of_the_table():
    workflow = _workflow()
    assert [t.name for t in workflow.route(CREATED, S.EXITED)] == ["start", "stop"]
    assert workflow.route(S.ACTIVE, S.ACTIVE) == []
    assert workflow.route(S.EXITED, S.ACTIVE) is None


def test_an_import_row_is_a_system_actors_and_names_its_route():
    workflow = _workflow()
    row = transition_import(workflow, Pathway(pk=1, status=S.EXITED), source=CREATED, by=IMPORT_ACTOR)
    assert (row.by_id, row.system_actor, row.data) == (None, "import", {"route": ["start", "stop"]})
    back = transition_import(workflow, Pathway(pk=1, status=S.SUBMITTED), source=S.EXITED, by=IMPORT_ACTOR)
    assert back.data == {"correction": True}
    assert workflow.history_problems([row, back], final=S.SUBMITTED) == []
    assert str(SystemActor("nightly", "Tâche de nuit")) == "Tâche de nuit"


def test_a_log_row_has_exactly_one_actor(territory, referent):
    pathway = factories.PathwayFactory(participant__territory=territory)
    for by, system in ((None, ""), (referent, "import")):
        with pytest.raises(IntegrityError), transaction.atomic():
            PathwayTransition.objects.create(pathway=pathway, transition="x", from_state="", to_state="submitted",
                                             by=by, system_actor=system)


def test_a_workflow_without_a_log_changes_state_and_writes_no_row(territory, coordinator):
    """The commission's session: planned, then held by the engine, with its own refusal words and no log."""
    assert COMMISSION_WORKFLOW.log_model is None
    commission = Commission.objects.create(territory=territory, date=date(2024, 5, 2))
    held = transition_apply(COMMISSION_WORKFLOW, commission, "close", by=_as(coordinator, Role.COORDINATOR))
    assert (held.status, held.closed_by) == (CommissionStatus.HELD, coordinator)
    with pytest.raises(TransitionRefused, match="Cette commission est déjà close."):
        transition_apply(COMMISSION_WORKFLOW, commission, "close", by=coordinator)
