"""Factories of the pathway kernel: the pathway with its state traits, built through the workflow engine, and what
hangs on it (steps, appointments, barrier reviews, notes)."""

import dataclasses
import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from parcours.core.workflow import CREATED, SystemActor, transition_replay
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, PathwayTransition, Step
from parcours.plie.definition import PLIE
from parcours.programmes.models import Programme
from parcours.programmes.registry import definition_of

from .organisations import UserFactory
from .participants import ParticipantFactory


def _days_ago(days: int):
    return factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=days))


# Who writes the history of a pathway a factory made: no person of the test, and said so in the log.
FACTORY_ACTOR = SystemActor("test_factory", "Fabrique de test")


def _replayed_payload(pathway: Pathway, transition) -> dict:
    """The payload of `transition` from what the pathway's fields say happened (None where they say nothing)."""
    facts = {"eligible": True, "referent": pathway.referent_id, "operator": pathway.operator_id,
             "on": pathway.assigned_at if transition.name == "assign" else None,
             "commission_date": pathway.commission_date, "reason": pathway.exit_reason, "exit_date": pathway.exit_date}
    return {f.name: facts.get(f.name) for f in dataclasses.fields(transition.payload)}


def pathway_history_replay(pathway: Pathway) -> list[PathwayTransition]:
    """Write the history that brought `pathway` to its state, through the engine's replay of its programme's table
    (its creation, then the table's shortest route): the states a trait names are reached, never set by hand."""
    workflow = definition_of(pathway).workflow
    creation = next((t for t in workflow.transitions.values() if t.creates and t.target == workflow.initial), None)
    route = workflow.route(CREATED, pathway.status)
    if creation is None or route is None:
        raise ValueError(f"{pathway.status!r} cannot be reached by a creation and the table's transitions")
    walker, at, rows = Pathway(status=CREATED), timezone.now(), []
    for transition in [creation, *route]:
        row = transition_replay(workflow, walker, transition.name, by=FACTORY_ACTOR, at=at,
                                data=_replayed_payload(pathway, transition))
        row.pathway = pathway
        rows.append(row)
    return PathwayTransition.objects.bulk_create(rows)


# What a state trait puts in place of the factory's empty `history`: the replay, after the pathway is saved.
REPLAYED = factory.PostGeneration(lambda obj, create, extracted, **kwargs: create and pathway_history_replay(obj))


class PathwayFactory(DjangoModelFactory):
    """A pathway. Its state traits (assigned, assessed, admitted, active, refused, reoriented, exited) set coherent
    fields and build the history through the engine; a bare `status=` sets a state with no history (the engine's
    own refusal tests want every state cheaply)."""

    class Meta:
        model = Pathway
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    programme = factory.LazyAttribute(lambda o: Programme.objects.get(territory_id=o.participant.territory_id,
                                                                       kind=PLIE))
    status = PathwayStatus.SUBMITTED
    application_date = _days_ago(120)

    class Params:
        assigned = factory.Trait(status=PathwayStatus.ASSIGNED, assigned_at=_days_ago(110), history=REPLAYED)
        assessed = factory.Trait(status=PathwayStatus.ASSESSED, assigned_at=_days_ago(110), history=REPLAYED)
        admitted = factory.Trait(status=PathwayStatus.ADMITTED, assigned_at=_days_ago(110), decision="admitted",
                                 commission_date=_days_ago(90), history=REPLAYED)
        refused = factory.Trait(status=PathwayStatus.REFUSED, assigned_at=_days_ago(110), decision="refused",
                                commission_date=_days_ago(90), history=REPLAYED)
        reoriented = factory.Trait(status=PathwayStatus.REORIENTED, assigned_at=_days_ago(110),
                                   decision="reoriented", commission_date=_days_ago(90), history=REPLAYED)
        active = factory.Trait(status=PathwayStatus.ACTIVE, decision="admitted", commission_date=_days_ago(90),
                               entry_date=_days_ago(80), history=REPLAYED)
        exited = factory.Trait(status=PathwayStatus.EXITED, decision="admitted", commission_date=_days_ago(90),
                               entry_date=_days_ago(80), exit_date=_days_ago(10), exit_reason="abandonment",
                               history=REPLAYED)

    history = factory.PostGeneration(lambda obj, create, extracted, **kwargs: None)


class StepFactory(DjangoModelFactory):
    class Meta:
        model = Step

    pathway = factory.SubFactory(PathwayFactory, active=True)
    step_type = "mobilisation"
    start_date = factory.LazyAttribute(lambda o: o.pathway.entry_date or datetime.date.today())
    operator_name = "Organisme de formation"


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    pathway = factory.SubFactory(PathwayFactory, active=True)
    date = factory.LazyAttribute(lambda o: o.pathway.entry_date or datetime.date.today())
    kind = "individual"
    mode = "in_person"
    duration_minutes = 60


class BarrierReviewFactory(DjangoModelFactory):
    class Meta:
        model = BarrierReview

    pathway = factory.SubFactory(PathwayFactory, active=True)
    barrier = "mobility"
    level = "major"
    reviewed_on = factory.LazyAttribute(lambda o: o.pathway.entry_date or datetime.date.today())
    reviewed_by = factory.SubFactory(UserFactory)


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    pathway = factory.SubFactory(PathwayFactory, active=True)
    author = factory.SubFactory(UserFactory)
    body = "La personne est venue au rendez-vous."
