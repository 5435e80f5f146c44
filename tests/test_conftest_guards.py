"""The query guards of tests/guards.py fire, and leave alone what they should (both backends)."""

import pytest
from django.db import transaction
from django.db.models import Count

from parcours.pathways.models import Pathway
from parcours.territory.models import Commune, Territory
from tests import factories
from tests.guards import LockWithoutOf

# --- select_for_update() names its rows --------------------------------------------------------------------


@pytest.fixture
def pathway(territory):
    return factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory))


def test_a_lock_with_select_related_must_name_its_rows(pathway):
    with transaction.atomic(), pytest.raises(LockWithoutOf, match=r"name the rows to lock with of="):
        Pathway.objects.select_for_update().select_related("participant").get(pk=pathway.pk)


def test_a_lock_joining_through_a_filter_must_name_its_rows(pathway):
    with transaction.atomic(), pytest.raises(LockWithoutOf, match=r"joins participants_participant"):
        list(Pathway.objects.select_for_update().filter(participant__last_name=pathway.participant.last_name))


def test_a_lock_naming_its_rows_or_joining_nothing_is_left_alone(pathway):
    with transaction.atomic():
        assert Pathway.objects.select_for_update(of=("self",)).select_related("participant").get(pk=pathway.pk)
        assert Pathway.objects.select_for_update(of=("self",)).filter(
            participant__last_name=pathway.participant.last_name).get() == pathway
        assert Pathway.objects.select_for_update().get(pk=pathway.pk) == pathway


# --- unordered querysets come back in random order ---------------------------------------------------------


@pytest.fixture
def territories():
    Territory.objects.bulk_create([Territory(name=f"Territoire {n}") for n in range(8)])
    return list(Territory.objects.order_by("pk").values_list("pk", flat=True))


def _order_by(queryset) -> str:
    sql = str(queryset.query)
    return sql[sql.index("ORDER BY"):] if "ORDER BY" in sql else ""


def test_an_unordered_queryset_comes_back_in_random_order(territories):
    assert "RAND" in _order_by(Territory.objects.all())
    orders = {tuple(Territory.objects.values_list("pk", flat=True)) for _ in range(20)}
    assert len(orders) > 1, "20 reads of 8 rows came back in one order"
    assert all(sorted(order) == territories for order in orders)


def test_an_ordered_queryset_is_left_alone(territories):
    assert "RAND" not in _order_by(Territory.objects.order_by("pk"))
    assert list(Territory.objects.order_by("-pk").values_list("pk", flat=True)) == territories[::-1]
    assert "RAND" not in _order_by(Commune.objects.all())  # Meta.ordering
    assert "RAND" not in _order_by(Territory.objects.order_by())  # cleared on purpose


def test_reads_where_order_means_nothing_still_work(territories):
    assert Territory.objects.first().pk == territories[0]  # first() and last() order by pk
    assert Territory.objects.last().pk == territories[-1]
    assert Territory.objects.count() == len(territories)
    assert Territory.objects.filter(pk=territories[0]).exists()
    assert Territory.objects.aggregate(n=Count("pk")) == {"n": len(territories)}
    assert "RAND" not in _order_by(Territory.objects.values("siren").distinct())
    assert Territory.objects.values("siren").distinct().count() == 1
    # GROUP BY: the random order is not a grouping column, the counts are right.
    assert list(Territory.objects.values("siren").annotate(n=Count("pk"))) == [{"siren": "", "n": len(territories)}]
    # SQLite refuses an ORDER BY inside a UNION's parts.
    union = Territory.objects.filter(pk=territories[0]).union(Territory.objects.filter(pk=territories[1]))
    assert sorted(t.pk for t in union) == territories[:2]
