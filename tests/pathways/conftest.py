"""Pathways after admission: an admitted pathway (contract to sign), an active one, and other structures' users."""

import datetime

import pytest

from parcours.plie.intake.models import Assessment
from parcours.plie.enums import PathwayStatus
from tests import factories

TODAY = datetime.date.today()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def participant(territory):
    return factories.ParticipantFactory(territory=territory, last_name="Martin", first_name="Léa")


@pytest.fixture
def admitted(participant, operator, referent):
    """Admitted by the commission ten days ago, with an assessment; the contract is to be signed."""
    pathway = factories.PathwayFactory(
        participant=participant, operator=operator, referent=referent, status=PathwayStatus.ADMITTED,
        decision="admitted", commission_date=days_ago(10), assigned_at=days_ago(60))
    Assessment.objects.create(pathway=pathway, strengths="Ponctuelle, motivée.",
                              professional_project="Préparatrice de commandes",
                              recommendations="Obtenir le CACES 1 ; remobilisation.", completed_on=days_ago(20),
                              author=referent)
    return pathway


@pytest.fixture
def active(participant, operator, referent):
    """In the pathway since 80 days."""
    return factories.PathwayFactory(participant=participant, operator=operator, referent=referent, active=True,
                                    assigned_at=days_ago(110))
