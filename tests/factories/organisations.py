"""Factories of the organisations app: structures (PLIE, operator, prescriber traits) and users with a role."""

import factory
from factory.django import DjangoModelFactory

from parcours.organisations.enums import OrganisationKind, PrescriberType
from parcours.organisations.models import NO_SCOPE, Membership, Organisation, User
from parcours.plie.definition import PLIE
from parcours.programmes.models import Programme

from .territory import TerritoryFactory


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


def acting_as(user: User, *roles: str) -> User:
    """`user`, holding exactly these roles for the rest of the test (in-memory memberships of their first structure
    or a new one, all in force as outside a request): what a service or the engine then lets them do is what
    those roles' capabilities allow."""
    organisation = user.active_memberships[0].organisation if user.active_memberships else OrganisationFactory()
    user.__dict__["active_memberships"] = [Membership(user=user, organisation=organisation, role=role)
                                           for role in roles]
    user.current_membership, user.requested_membership = None, NO_SCOPE
    return user
