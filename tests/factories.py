"""factory_boy factories shared by the whole suite. Traits name the usual variants."""

import dataclasses
import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from parcours.core.workflow import CREATED, SystemActor, transition_replay

from parcours.organisations.enums import OrganisationKind, PrescriberType
from parcours.organisations.models import Membership, Organisation, User
from parcours.participants.enums import Sex
from parcours.participants.models import Participant, ParticipantSituation
from parcours.pathways.enums import PathwayStatus
from parcours.pathways.models import Pathway, PathwayTransition
from parcours.plie.definition import PLIE
from parcours.programmes.registry import definition_of
from parcours.programmes.models import Programme
from parcours.territory.models import Commune, Qpv, Territory


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = "Clermont Auvergne Métropole"

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if not create:
            return
        clermont = Commune.objects.get_or_create(territory=obj, insee="63113",
                                                 defaults={"name": "Clermont-Ferrand", "postal_codes": ["63000", "63100"]})[0]
        Commune.objects.get_or_create(territory=obj, insee="63124",
                                      defaults={"name": "Cournon-d'Auvergne", "postal_codes": ["63800"]})
        Qpv.objects.get_or_create(territory=obj, code="croix-de-neyrat",
                                  defaults={"name": "Croix-de-Neyrat", "commune": clermont})
        # Every territory of the suite has its PLIE (the programme the PLIE's pathways belong to).
        Programme.objects.get_or_create(territory=obj, kind=PLIE, defaults={"name": f"PLIE {obj.name}"})


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = OrganisationKind.OPERATOR

    class Params:
        plie = factory.Trait(kind=OrganisationKind.PLIE, name=factory.Sequence(lambda n: f"PLIE {n}"),
                             prescriber_type=PrescriberType.PLIE)
        operator = factory.Trait(kind=OrganisationKind.OPERATOR, name=factory.Sequence(lambda n: f"Opérateur {n}"))
        prescriber = factory.Trait(kind=OrganisationKind.PRESCRIBER, name=factory.Sequence(lambda n: f"CCAS {n}"),
                                   prescriber_type=PrescriberType.CCAS)

    @factory.post_generation
    def runs_the_plie(obj, create, extracted, **kwargs):
        """The first PLIE structure of a territory runs its PLIE programme (as the loader and the migration do)."""
        if create and obj.kind == OrganisationKind.PLIE:
            Programme.objects.filter(territory=obj.territory, kind=PLIE, organisation__isnull=True).update(
                organisation=obj)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("un-mot-de-passe-solide")

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        """membership=(organisation, role) gives the user that role in that structure."""
        if create and extracted:
            organisation, role = extracted
            Membership.objects.create(user=obj, organisation=organisation, role=role)


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    sex = Sex.FEMALE
    birth_date = datetime.date(1980, 5, 17)
    commune = factory.LazyAttribute(lambda o: o.territory.communes.get(insee="63113"))

    @factory.post_generation
    def situations(obj, create, extracted, **kwargs):
        """situations={"rqth": True, "deld": False}: the person's criteria as rows (default: receives the RSA)."""
        values = {"rsa": True} if extracted is None else extracted
        if create:
            ParticipantSituation.objects.bulk_create(
                [ParticipantSituation(participant=obj, code=code, value=value)
                 for code, value in values.items() if value is not None])


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


# --- intake ------------------------------------------------------------------------------------------------------
class ApplicationFactory(DjangoModelFactory):
    """An application on a submitted pathway, sent by a prescriber of `prescriber_organisation`."""

    class Meta:
        model = "intake.Application"

    pathway = factory.SubFactory(PathwayFactory)
    prescriber_organisation = factory.SubFactory(
        OrganisationFactory, prescriber=True, territory=factory.SelfAttribute("..pathway.participant.territory"))
    prescribed_by = factory.SubFactory(UserFactory)
    situations = factory.LazyFunction(lambda: ["rsa"])
    motivation = "Reprendre un emploi avec un accompagnement renforcé."
    participant_signed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=121))
    prescriber_signed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=121))
    eligibility = factory.LazyFunction(lambda: {"eligible": True, "reasons": [], "checks": [],
                                                "suggested_orientation": None})


# --- pathways: the pathway after admission (contract, steps, appointments, barrier reviews, notes) ---------------

from parcours.pathways.models import (  # noqa: E402
    Appointment, BarrierReview, EngagementContract, Note, Step,
)


class EngagementContractFactory(DjangoModelFactory):
    """An unsigned contract; pass the three *_signed_on dates and `director` to sign it."""

    class Meta:
        model = EngagementContract

    pathway = factory.SubFactory(PathwayFactory)
    objectives = "Accéder à un emploi durable dans la logistique."
    participant_commitments = "Venir aux rendez-vous."
    referent_commitments = "Accompagner la personne."
    plie_commitments = "Mobiliser l'offre d'étapes."


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


def plie_rules_set(territory, **values):
    """Set rules of the territory's PLIE programme (common columns or its definition's parameters)."""
    programme = Programme.objects.get(territory=territory, kind=PLIE)
    for name, value in values.items():
        if name in ("inactivity_alert_days", "caseload_min", "caseload_max"):
            setattr(programme, name, value)
        else:
            programme.parameters = {**programme.parameters, name: value}
    programme.full_clean()
    programme.save()
    return programme
