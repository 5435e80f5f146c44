"""The pathway factory's state traits reach their state through the engine: the history they write is the table's."""

import pytest

from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import PathwayTransition
from parcours.plie.workflow import PATHWAY_WORKFLOW
from tests import factories

TRAITS = ["assigned", "assessed", "admitted", "refused", "reoriented", "active", "exited"]


@pytest.mark.parametrize("trait", TRAITS)
def test_a_state_trait_writes_the_history_of_the_table(trait, territory):
    pathway = factories.PathwayFactory(participant__territory=territory, **{trait: True})
    assert pathway.status == PathwayStatus(trait)
    rows = list(pathway.transitions.all())
    assert rows[0].transition == "submit" and all(row.system_actor == "test_factory" for row in rows)
    assert PATHWAY_WORKFLOW.history_problems(rows, final=pathway.status) == []


def test_a_bare_status_has_no_history(territory):
    pathway = factories.PathwayFactory(participant__territory=territory, status=PathwayStatus.FOLLOWUP)
    assert not PathwayTransition.objects.filter(pathway=pathway).exists()
