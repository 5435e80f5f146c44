import pytest

from tests import factories


@pytest.fixture
def officer(plie):
    """The PLIE's employer-relations officer (chargé·e de relation entreprise)."""
    return factories.UserFactory(first_name="Olivia", membership=(plie, "employer_relations"))


@pytest.fixture
def foreign_officer():
    elsewhere = factories.TerritoryFactory(name="Autre territoire")
    return factories.UserFactory(membership=(factories.OrganisationFactory(territory=elsewhere, plie=True),
                                             "employer_relations"))
