"""At scale, `parcours demo-data` spreads people over fictional twins of the demo territory (one PLIE each)."""

from io import StringIO

import pytest
from django.core.management import call_command

from parcours.plie.commissions.models import Commission
from parcours.demo import generator as demo
from parcours.pathways.access import pathways_visible_to
from parcours.organisations.enums import OrganisationKind, Role
from parcours.organisations.models import Membership, Organisation, User
from parcours.participants.models import Participant
from parcours.pathways.models import Pathway
from parcours.territory.models import Commune, Helpdesk, Qpv, Territory


@pytest.mark.parametrize(("people", "split"), [
    (0, [0]), (400, [400]), (5000, [5000]), (5001, [2501, 2500]), (15_000, [5000] * 3),
    (150_000, [5000] * 30), (12_345, [4115, 4115, 4115]),
])
def test_the_split_keeps_each_territory_at_the_size_of_a_plie(people, split):
    assert demo.demo_territory_split(people) == split
    assert sum(split) == people


@pytest.fixture
def twins(monkeypatch):
    """70 people with territories of 30: the demo territory and two twins."""
    call_command("load_territory", stdout=StringIO())
    monkeypatch.setattr(demo, "PEOPLE_PER_TERRITORY", 30)
    out = StringIO()
    call_command("demo_data", "--people", "70", "--seed", "2", stdout=out)
    return out.getvalue()


def test_people_are_spread_over_the_demo_territory_and_its_twins(twins):
    assert "70 personnes sur 3 territoire(s)" in twins
    clermont = Territory.objects.get(name=demo.TERRITORY_NAME)
    second, third = Territory.objects.get(name="PLIE fictif n° 002"), Territory.objects.get(name="PLIE fictif n° 003")
    counts = {t: Participant.objects.filter(territory=t, youth_file__isnull=True).count() for t in (clermont, second, third)}
    assert counts == {clermont: 24, second: 23, third: 23}
    for twin in (second, third):
        # The same rules and reference data as the demo territory, held apart.
        twin_plie, clermont_plie = twin.programmes.get(kind="plie"), clermont.programmes.get(kind="plie")
        assert (twin_plie.parameters, twin_plie.caseload_max) == (clermont_plie.parameters, clermont_plie.caseload_max)
        assert twin_plie.organisation.territory_id == twin.pk
        assert (set(twin.communes.values_list("insee", flat=True))
                == set(clermont.communes.values_list("insee", flat=True)))
        assert twin.qpvs.count() == clermont.qpvs.count() > 0
        assert twin.helpdesks.count() == clermont.helpdesks.count()
        assert Commission.objects.filter(territory=twin).exists()
        assert Organisation.objects.get(territory=twin, kind=OrganisationKind.PLIE).name == twin.name
        # A person lives in a commune of their own territory (or outside the territory, refused for that), applied
        # through its prescribers, is followed by its referents.
        pathways = Pathway.objects.filter(participant__territory=twin)
        assert not pathways.filter(participant__commune__isnull=False).exclude(participant__commune__territory=twin).exists()
        assert not pathways.exclude(application__prescriber_organisation__territory=twin).exists()
        assert not pathways.filter(operator__isnull=False).exclude(operator__territory=twin).exists()
        assert pathways.filter(territory=twin).count() == pathways.count()


def test_each_twin_has_its_own_team_who_sees_only_its_territory(twins):
    coordinator = User.objects.get(email="coordination@plie002.demo.parcours.fr")
    assert Membership.objects.get(user=coordinator).organisation.name == "PLIE fictif n° 002"
    seen = pathways_visible_to(coordinator)
    assert seen.exists() and not seen.exclude(participant__territory__name="PLIE fictif n° 002").exists()
    assert Membership.objects.filter(organisation__territory__name="PLIE fictif n° 003", role=Role.REFERENT).exists()
    # The login page's demo accounts stay those of the demo territory.
    clermont_coordinator = User.objects.get(email="coordination@demo.parcours.fr")
    assert not pathways_visible_to(clermont_coordinator).exclude(participant__territory__name=demo.TERRITORY_NAME).exists()


def test_a_second_run_reuses_the_twins(twins, monkeypatch):
    before = (Territory.objects.count(), Commune.objects.count(), Qpv.objects.count(), Helpdesk.objects.count(),
              Organisation.objects.count(), User.objects.count())
    call_command("demo_data", "--people", "70", "--structures-only", stdout=StringIO())
    after = (Territory.objects.count(), Commune.objects.count(), Qpv.objects.count(), Helpdesk.objects.count(),
             Organisation.objects.count(), User.objects.count())
    assert after == before


def test_structures_only_prepares_the_territories_without_people(monkeypatch):
    call_command("load_territory", stdout=StringIO())
    monkeypatch.setattr(demo, "PEOPLE_PER_TERRITORY", 30)
    out = StringIO()
    call_command("demo_data", "--people", "70", "--structures-only", stdout=out)
    assert "3 territoire(s)" in out.getvalue() and "PLIE fictif n° 003" in out.getvalue()
    assert Territory.objects.count() == 3 and not Participant.objects.exists()
