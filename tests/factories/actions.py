"""Operators' actions and their sessions (parcours.actions); positionings go through the services."""

import datetime

import factory
from factory.django import DjangoModelFactory

from parcours.actions.models import Action, ActionSession

from .organisations import OrganisationFactory, UserFactory


class ActionFactory(DjangoModelFactory):
    """An action of an operator of the territory, begun a month ago and ending in two months."""

    class Meta:
        model = Action

    operator = factory.SubFactory(OrganisationFactory, operator=True)
    kind = "f03_training"
    title = factory.Sequence(lambda n: f"Atelier de remobilisation {n}")
    public = "Demandeur·ses d'emploi de longue durée"
    places = 12
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    address = "12 rue de l'Action, Clermont-Ferrand"
    step_type = "mobilisation"
    created_by = factory.SubFactory(UserFactory)


class ActionSessionFactory(DjangoModelFactory):
    class Meta:
        model = ActionSession

    action = factory.SubFactory(ActionFactory)
    date = factory.LazyAttribute(lambda o: o.action.start_date)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
