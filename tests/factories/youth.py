"""The Mission Locale's records (parcours.youth)."""

import factory
from factory.django import DjangoModelFactory

from parcours.youth.enums import SiteKind
from parcours.youth.models import Site, YouthFile

from .participants import ParticipantFactory
from .territory import TerritoryFactory


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("territory", "code")

    territory = factory.SubFactory(TerritoryFactory)
    code = "montagne"
    name = "Antenne Clermont Montagne"
    kind = SiteKind.ANTENNA


class YouthFileFactory(DjangoModelFactory):
    """A young person followed by the Mission Locale only (no PLIE pathway)."""

    class Meta:
        model = YouthFile

    participant = factory.SubFactory(ParticipantFactory)
    territory = factory.SelfAttribute("participant.territory")
    youth_ref = factory.Sequence(lambda n: f"J-{n}")
    first_reception_date = factory.Faker("date_between", start_date="-2y", end_date="-1m")
