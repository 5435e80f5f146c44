"""factory_boy factories, one module per app (territory, organisations, accounts, participants, pathways, plie,
esf, youth, actions, employers); all of them are importable from here (`from tests import factories`). Traits name the usual variants; the pathway's state
traits reach their state through the workflow engine."""

from .accounts import api_token
from .actions import ActionFactory, ActionSessionFactory
from .employers import EmployerFactory, RecruitmentEventFactory, siret_valid
from .esf import CofinancingFactory, OperationFactory, ParticipationFactory
from .organisations import OrganisationFactory, UserFactory, acting_as
from .participants import ParticipantFactory
from .pathways import (
    FACTORY_ACTOR, AppointmentFactory, BarrierReviewFactory, NoteFactory, PathwayFactory, StepFactory,
    pathway_history_replay,
)
from .plie import ApplicationFactory, EngagementContractFactory, plie_rules_set
from .territory import TerritoryFactory
from .youth import SiteFactory, YouthFileFactory

__all__ = [
    "ActionFactory", "ActionSessionFactory", "FACTORY_ACTOR", "ApplicationFactory", "AppointmentFactory", "BarrierReviewFactory", "CofinancingFactory",
    "EmployerFactory", "RecruitmentEventFactory", "EngagementContractFactory", "NoteFactory", "OperationFactory", "OrganisationFactory", "ParticipantFactory",
    "ParticipationFactory", "PathwayFactory", "SiteFactory", "StepFactory", "TerritoryFactory", "UserFactory",
    "YouthFileFactory", "acting_as", "api_token", "pathway_history_replay", "plie_rules_set", "siret_valid",
]
