"""Factories of the territory app: a territory with two communes, a QPV and its PLIE programme."""

import factory
from factory.django import DjangoModelFactory

from parcours.plie.definition import PLIE
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
