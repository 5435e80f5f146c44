"""Factories of the participants app: a person and their situations (criteria rows)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from parcours.participants.enums import Sex
from parcours.participants.models import Participant, ParticipantSituation

from .territory import TerritoryFactory


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
