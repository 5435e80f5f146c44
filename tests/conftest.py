"""Strict by default: every test gets a clean database, no test talks to the network."""

import pytest
from django.test import Client

from tests import factories, guards
from tests.smtp import smtp_down, smtp_server  # noqa: F401  (fixtures: a real SMTP server on 127.0.0.1)


class VerifiedClient(Client):
    """force_login opens a session as after a full sign-in, second factor included (docs/security.md)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        session["parcours.otp_device"] = "tests.force_login"
        session.save()


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture(scope="session", autouse=True)
def _query_guards():
    """Locks name their rows with of=, unordered querysets come back in random order (tests/guards.py)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        guards.install(monkeypatch)
        yield


@pytest.fixture(autouse=True)
def _db_for_all(db):
    """Every test may use the database (each in its own rolled-back transaction)."""


@pytest.fixture
def territory():
    return factories.TerritoryFactory()


@pytest.fixture
def plie(territory):
    return factories.OrganisationFactory(territory=territory, plie=True)


@pytest.fixture
def coordinator(plie):
    return factories.UserFactory(membership=(plie, "coordinator"))


@pytest.fixture
def director(plie):
    return factories.UserFactory(membership=(plie, "director"))


@pytest.fixture
def operator(territory):
    return factories.OrganisationFactory(territory=territory, operator=True)


@pytest.fixture
def referent(operator):
    return factories.UserFactory(membership=(operator, "referent"))


@pytest.fixture
def prescriber_org(territory):
    return factories.OrganisationFactory(territory=territory, prescriber=True)


@pytest.fixture
def prescriber(prescriber_org):
    return factories.UserFactory(membership=(prescriber_org, "prescriber"))


@pytest.fixture
def administrator(plie):
    return factories.UserFactory(membership=(plie, "administrator"))


@pytest.fixture
def other_operator(territory):
    """A second operator structure of the same territory (its users must not see the first one's files)."""
    return factories.OrganisationFactory(territory=territory, operator=True)


@pytest.fixture
def other_referent(other_operator):
    return factories.UserFactory(membership=(other_operator, "referent"))


@pytest.fixture
def foreign_coordinator():
    """A coordinator of another PLIE, on another territory."""
    elsewhere = factories.TerritoryFactory(name="Autre territoire")
    return factories.UserFactory(membership=(factories.OrganisationFactory(territory=elsewhere, plie=True),
                                             "coordinator"))
