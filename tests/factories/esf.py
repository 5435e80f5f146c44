"""Factories of the ESF+ module: an operation (with a financing plan that adds up) and a participation."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from parcours.esf.models import Cofinancing, Operation, Participation

from .organisations import OrganisationFactory
from .participants import ParticipantFactory


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation
        skip_postgeneration_save = True

    operation_ref = factory.Sequence(lambda n: f"OP-{n:04d}")
    title = "Accompagnement des parcours d'insertion"
    beneficiary = factory.SubFactory(OrganisationFactory, operator=True)
    start_date = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year, 1, 1))
    end_date = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year, 12, 31))
    total_eligible_cost = Decimal("25899.60")
    esf_amount = Decimal("15539.76")

    @factory.post_generation
    def plan(self, create, extracted, **kwargs):
        """`plan=True`: the plan of seed 004, ESF+ and the rest in own funds, in the first year."""
        if not create or not extracted:
            return
        year = self.start_date.year
        Cofinancing.objects.bulk_create([
            Cofinancing(operation=self, funder_kind="esf", funder="DREETS", year=year, planned=self.esf_amount),
            Cofinancing(operation=self, funder_kind="own_funds", year=year,
                        planned=self.total_eligible_cost - self.esf_amount),
        ])


class CofinancingFactory(DjangoModelFactory):
    class Meta:
        model = Cofinancing

    operation = factory.SubFactory(OperationFactory)
    funder_kind = "esf"
    year = factory.LazyAttribute(lambda o: o.operation.start_date.year)
    planned = Decimal("100.00")


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    participation_ref = factory.Sequence(lambda n: f"PA-{n:05d}")
    participant = factory.SubFactory(ParticipantFactory)
    operation = factory.SubFactory(OperationFactory)
    entry_date = factory.LazyAttribute(lambda o: o.operation.start_date)
    labour_status = "inactive"
