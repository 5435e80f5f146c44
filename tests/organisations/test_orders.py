"""Lists of memberships come in a stated order (the random order of unordered reads in tests/guards.py)."""

from parcours.organisations.access import referents_assignable_by
from parcours.organisations.models import Membership
from tests import factories


def test_assignable_referents_come_by_name(coordinator, operator, other_operator):
    for last_name, structure in (("Zola", operator), ("Aubry", other_operator), ("Martin", operator),
                                 ("Aubry", operator)):
        factories.UserFactory(last_name=last_name, first_name="Claude", membership=(structure, "referent"))
    rows = [(m.user.last_name, m.user.first_name, m.organisation.name) for m in referents_assignable_by(coordinator)]
    assert rows == sorted(rows)
    assert len(rows) == 4


def test_a_users_memberships_come_oldest_first(territory, operator, other_operator, plie):
    user = factories.UserFactory()
    created = [Membership.objects.create(user=user, organisation=organisation, role=role).pk
               for organisation, role in ((other_operator, "referent"), (plie, "coordinator"), (operator, "referent"))]
    assert [m.pk for m in user.active_memberships] == created
