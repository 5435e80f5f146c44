"""Employers (parcours.employers): an establishment of the territory with a valid SIRET (its Luhn key computed)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum import luhn

from parcours.employers.models import Employer, RecruitmentEvent

from .organisations import UserFactory
from .territory import TerritoryFactory


def siret_valid(n: int) -> str:
    """A SIRET python-stdnum accepts (its SIREN's key and its own), different for each n."""
    siren = f"{10000000 + n:08d}"
    siren += luhn.calc_check_digit(siren)
    base = f"{siren}0001"
    return base + luhn.calc_check_digit(base)


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    territory = factory.SubFactory(TerritoryFactory)
    siret = factory.Sequence(siret_valid)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    naf_division = "43"
    naf_section = "F"
    size_band = "small"
    created_by = factory.SubFactory(UserFactory)


class RecruitmentEventFactory(DjangoModelFactory):
    class Meta:
        model = RecruitmentEvent

    territory = factory.SubFactory(TerritoryFactory)
    kind = "job_dating"
    title = factory.Sequence(lambda n: f"Job dating {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    place = "Maison de l'emploi"
    created_by = factory.SubFactory(UserFactory)
