"""A pathway carries its participant's territory, whatever writes it, and the PLIE's scoping reads that column."""

from django.db.models import F

from parcours.plie.intake.services import pathway_enter_via_collective_action
from parcours.pathways.access import pathways_visible_to
from parcours.organisations.models import Membership
from parcours.pathways.models import Pathway
from parcours.reporting.indicators import pathways_in_scope
from tests import factories
from tests.intake.helpers import person, submit, today
from tests.reporting.dataset import import_dataset


def test_an_application_gives_its_pathway_the_territory_of_the_person(prescriber, prescriber_org, territory):
    pathway = submit(prescriber, prescriber_org).pathway
    pathway.refresh_from_db()
    assert pathway.territory_id == pathway.participant.territory_id == territory.pk


def test_a_collective_action_entry_too(coordinator, referent, territory):
    membership = Membership.objects.get(user=referent, role="referent")
    pathway = pathway_enter_via_collective_action(
        by=coordinator, action_name="Atelier", selected_on=today(), membership=membership,
        person=person(territory), situations=["rsa"])
    pathway.refresh_from_db()
    assert pathway.territory_id == territory.pk


def test_an_import_too(tmp_path, territory):
    import_dataset(tmp_path / "set", territory)
    assert Pathway.objects.filter(territory=territory).count() == Pathway.objects.count() > 0


def test_the_territory_is_the_person_s_not_the_creator_s():
    elsewhere = factories.TerritoryFactory(name="Autre PLIE")
    pathway = factories.PathwayFactory(participant__territory=elsewhere)
    assert Pathway.objects.get(pk=pathway.pk).territory_id == elsewhere.pk
    assert not Pathway.objects.exclude(territory=F("participant__territory")).exists()


def test_the_team_s_scope_and_the_indicators_read_the_pathway_s_own_column(coordinator, territory):
    """No join through the participants: the database reads the territory's rows by the index
    (territory, status), not every pathway of the instance (bench/results.md)."""
    mine = factories.PathwayFactory(participant__territory=territory)
    factories.PathwayFactory(participant__territory=factories.TerritoryFactory(name="Autre PLIE"))
    visible = pathways_visible_to(coordinator)
    assert list(visible) == [mine]
    sql = str(visible.query)
    # (The participant is still joined by its key, to leave archived people out: one row per pathway read.)
    assert f'"pathways_pathway"."territory_id" IN ({territory.pk})' in sql
    assert '"participants_participant"."territory_id"' not in sql
    scoped = pathways_in_scope(territory_ids=[territory.pk])
    assert list(scoped) == [mine] and '"participants_participant"' not in str(scoped.query)
