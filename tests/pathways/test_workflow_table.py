"""The pathway's transition table, walked as data: every transition refuses every state it does not
start from and every role it is not for, with a French message, and leaves no trace when it refuses.

The effects and preconditions of each transition are tested with their journey step (intake,
commissions, contract, steps and follow-up); this file makes sure a new transition or state cannot
be added to the table without its refusals holding.
"""

import pytest

from parcours.core.workflow import Transition, TransitionRefused, Workflow, transition_apply
from parcours.organisations.capabilities import PATHWAY_WRITE, capabilities_of
from parcours.organisations.enums import Role
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway, PathwayTransition
from parcours.plie.workflow import PATHWAY_WORKFLOW
from tests import factories

TRANSITIONS = [t for t in PATHWAY_WORKFLOW.transitions.values() if not t.creates]
ALL_ROLES = set(Role.values)


def acting_as(user, roles):
    """The user, holding `roles` for the workflow's policy (which asks their capabilities)."""
    return factories.acting_as(user, *roles)


def wrong_states(transition: Transition) -> list[str]:
    return [state for state in PathwayStatus.values if state not in transition.sources]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
def test_every_transition_is_refused_from_every_other_state(transition, operator, referent, coordinator):
    for state in wrong_states(transition):
        pathway = factories.PathwayFactory(operator=operator, referent=referent, status=state)
        with pytest.raises(TransitionRefused) as refusal:
            transition_apply(PATHWAY_WORKFLOW, pathway, transition.name, by=acting_as(coordinator, ALL_ROLES))
        label = str(PathwayStatus(state).label)
        assert refusal.value.message == (f"Action « {transition.label} » impossible : "
                                         f"le dossier est à l'état « {label} ».")
        assert Pathway.objects.get(pk=pathway.pk).status == state
        assert not PathwayTransition.objects.filter(pathway=pathway).exists()


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
def test_every_transition_is_refused_to_the_roles_it_is_not_for(transition, operator, referent, prescriber):
    source = sorted(transition.sources)[0]
    for role in sorted(r for r in ALL_ROLES if not capabilities_of(r) & transition.allowed):
        pathway = factories.PathwayFactory(operator=operator, referent=referent, status=source)
        with pytest.raises(TransitionRefused) as refusal:
            transition_apply(PATHWAY_WORKFLOW, pathway, transition.name, by=acting_as(prescriber, {role}))
        assert refusal.value.message == f"Votre rôle ne permet pas l'action « {transition.label} »."
        assert Pathway.objects.get(pk=pathway.pk).status == source
        assert not PathwayTransition.objects.filter(pathway=pathway).exists()


def test_prescribers_and_the_dpo_apply_no_transition():
    assert all(not (capabilities_of(Role.PRESCRIBER) | capabilities_of(Role.DPO)) & t.allowed for t in TRANSITIONS)


def test_an_unknown_action_is_refused(operator, referent, coordinator):
    pathway = factories.PathwayFactory(operator=operator, referent=referent)
    with pytest.raises(TransitionRefused, match="Action inconnue."):
        transition_apply(PATHWAY_WORKFLOW, pathway, "delete_everything", by=acting_as(coordinator, ALL_ROLES))


def test_every_state_is_reachable_and_every_target_is_a_state():
    targets = {t.target for t in TRANSITIONS}
    sources = set().union(*(t.sources for t in TRANSITIONS))
    assert targets <= set(PathwayStatus.values) and sources <= set(PathwayStatus.values)
    # submitted is where an application starts; every other state is the target of some transition.
    assert set(PathwayStatus.values) - targets == {PathwayStatus.SUBMITTED}
    creations = {t.name: t.target for t in PATHWAY_WORKFLOW.transitions.values() if t.creates}
    assert creations == {"submit": PathwayStatus.SUBMITTED, "enter_collective_action": PathwayStatus.ACTIVE}


def test_commission_decisions_and_the_followup_opening_are_not_buttons():
    """They happen through their services (commission decision, lasting job step), never by hand."""
    automatic = {t.name for t in TRANSITIONS if not t.manual}
    assert automatic == {"admit", "refuse", "reorient", "postpone", "start_followup"}


def test_available_lists_only_manual_transitions_of_the_state_for_the_roles(operator, referent):
    pathway = factories.PathwayFactory(operator=operator, referent=referent, status=PathwayStatus.FOLLOWUP)
    names = {t.name for t in PATHWAY_WORKFLOW.available(pathway, acting_as(referent, {Role.REFERENT}))}
    assert names == {"validate_sustainable_employment", "job_ended", "exit"}
    assert PATHWAY_WORKFLOW.available(pathway, acting_as(referent, {Role.PRESCRIBER})) == []


def test_a_failed_precondition_writes_nothing(operator, referent, coordinator):
    """The check runs inside the transaction, before the effect: nothing is half-applied."""
    pathway = factories.PathwayFactory(operator=operator, referent=referent, active=True)
    before = Pathway.objects.values().get(pk=pathway.pk)
    history = list(PathwayTransition.objects.filter(pathway=pathway).values())
    with pytest.raises(TransitionRefused, match="Motif de sortie inconnu."):
        transition_apply(PATHWAY_WORKFLOW, pathway, "exit", by=acting_as(coordinator, {Role.REFERENT}),
                         data={"reason": "vacances", "exit_date": None})
    assert Pathway.objects.values().get(pk=pathway.pk) == before
    assert list(PathwayTransition.objects.filter(pathway=pathway).values()) == history


def test_a_workflow_table_is_checked_against_its_states(operator, referent, coordinator):
    """The engine itself: a transition applies once, from the locked row, and logs who did it."""
    workflow = Workflow(state_field="status", log_model=PathwayTransition, log_object_field="pathway",
                        states=dict(PathwayStatus.choices), initial=PathwayStatus.SUBMITTED)
    workflow.add(Transition("pause", frozenset({PathwayStatus.ACTIVE}), PathwayStatus.FOLLOWUP, "Pause",
                            frozenset({PATHWAY_WRITE})))
    pathway = factories.PathwayFactory(operator=operator, referent=referent, active=True)
    transition_apply(workflow, pathway, "pause", by=acting_as(referent, {Role.REFERENT}))
    with pytest.raises(TransitionRefused):  # the stale in-memory copy says "active": the locked row decides
        transition_apply(workflow, pathway, "pause", by=referent)
    (log,) = PathwayTransition.objects.filter(pathway=pathway, transition="pause")
    assert (log.transition, log.from_state, log.to_state, log.by) == ("pause", "active", "followup", referent)
