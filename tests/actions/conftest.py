"""The people of the actions' tests: a step provider with its action staff, and a file its referent follows."""

import pytest

from tests import factories


@pytest.fixture
def provider(territory):
    return factories.OrganisationFactory(territory=territory, kind="step_provider", name="Organisme Formation")


@pytest.fixture
def staff(provider):
    return factories.UserFactory(membership=(provider, "action_staff"))


@pytest.fixture
def followed(operator, referent):
    return factories.PathwayFactory(active=True, operator=operator, referent=referent)
