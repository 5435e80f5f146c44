"""Factories of the PLIE programme: the application, the engagement contract, the programme's rules."""

import datetime

import factory
from factory.django import DjangoModelFactory

from parcours.plie.models import EngagementContract
from parcours.plie.definition import PLIE
from parcours.programmes.models import Programme

from .organisations import OrganisationFactory, UserFactory
from .pathways import PathwayFactory


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


class EngagementContractFactory(DjangoModelFactory):
    """An unsigned contract; pass the three *_signed_on dates and `director` to sign it."""

    class Meta:
        model = EngagementContract

    pathway = factory.SubFactory(PathwayFactory)
    objectives = "Accéder à un emploi durable dans la logistique."
    participant_commitments = "Venir aux rendez-vous."
    referent_commitments = "Accompagner la personne."
    plie_commitments = "Mobiliser l'offre d'étapes."


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
