"""A second, independent set of scope tests (written apart from tests/web/test_scope.py, for a second
implementation): files, lists and gates follow the current structure; junk ids; an ended membership; no query
for the switcher or for a request that checks nothing; the union outside a request."""

import pytest
from django.urls import reverse

from parcours.audit.models import RefusedAccess
from parcours.organisations.capabilities import COMMISSION_DECIDE, PATHWAY_WRITE, TERRITORY_FILES
from parcours.organisations.models import Membership
from parcours.organisations.scope import SCOPE_SESSION_KEY, scope_request
from tests import factories
from tests.scope_helpers import membership_add

SWITCH = reverse("web:scope_switch")


@pytest.fixture
def operator_b(territory):
    return factories.OrganisationFactory(territory=territory, operator=True, name="Opérateur Bêta")


@pytest.fixture
def two_structures(referent, operator, operator_b):
    second = membership_add(referent, operator_b, "referent")
    first = referent.active_memberships[0]
    at_a = factories.PathwayFactory(participant__territory=operator.territory, participant__last_name="Alphonsine",
                                    operator=operator, referent=referent, active=True)
    at_b = factories.PathwayFactory(participant__territory=operator.territory, participant__last_name="Bertrandine",
                                    operator=operator_b, referent=referent, active=True)
    return first, second, at_a, at_b


def _page(client, name="pathways:caseload") -> str:
    return client.get(reverse(name)).content.decode()


def test_files_lists_and_gates_follow_the_current_structure(client, referent, two_structures):
    first, second, at_a, at_b = two_structures
    client.force_login(referent)
    page = _page(client)
    assert "Alphonsine" in page and "Bertrandine" not in page
    assert client.get(reverse("pathways:pathway_detail", args=[at_b.pk])).status_code == 404
    response = client.post(SWITCH, {"membership": second.pk})
    assert response.status_code == 302 and response.url == reverse("web:home")
    page = _page(client)
    assert "Bertrandine" in page and "Alphonsine" not in page
    assert client.get(reverse("pathways:pathway_detail", args=[at_a.pk])).status_code == 404
    # The application list and the home work lists too.
    for name in ("intake:application_list", "web:home"):
        assert "Alphonsine" not in _page(client, name), name


def test_a_coordinator_who_is_also_referent(client, coordinator, operator):
    as_referent = membership_add(coordinator, operator, "referent")
    client.force_login(coordinator)
    assert client.get(reverse("intake:assignment_queue")).status_code == 200
    client.post(SWITCH, {"membership": as_referent.pk})
    for name in ("intake:assignment_queue", "reporting:indicators", "imports:import_list"):
        assert client.get(reverse(name)).status_code == 403, name
    home = _page(client, "web:home")
    assert reverse("intake:assignment_queue") not in home


def test_foreign_and_junk_membership_ids(client, referent, two_structures, coordinator):
    client.force_login(referent)
    RefusedAccess.objects.all().delete()
    assert client.post(SWITCH, {"membership": coordinator.active_memberships[0].pk}).status_code == 404
    assert SCOPE_SESSION_KEY not in client.session
    assert RefusedAccess.objects.get().url_name == "web:scope_switch"
    for junk in ("", "abc", "-1", "99999999999999999999999"):
        assert client.post(SWITCH, {"membership": junk}).status_code in (404, 400), junk
    assert client.get(SWITCH).status_code == 405


def test_an_ended_membership_falls_back(client, referent, two_structures):
    first, second, at_a, at_b = two_structures
    client.force_login(referent)
    client.post(SWITCH, {"membership": second.pk})
    Membership.objects.filter(pk=second.pk).update(is_active=False)
    page = _page(client)
    assert "Alphonsine" in page and "Bertrandine" not in page
    assert SWITCH not in _page(client, "web:home")


def test_the_switcher_costs_no_query(client, referent, operator, operator_b, django_assert_num_queries):
    factories.PathwayFactory(participant__territory=operator.territory, operator=operator, referent=referent,
                             active=True)
    client.force_login(referent)
    client.get(reverse("web:home"))
    with django_assert_num_queries(11):   # the work list's person is logged (one insert)
        assert SWITCH not in client.get(reverse("web:home")).content.decode()
    membership_add(referent, operator_b, "referent")
    with django_assert_num_queries(11):
        assert SWITCH in client.get(reverse("web:home")).content.decode()


def test_the_health_probe_signed_in_reads_no_membership(client, referent, django_assert_num_queries):
    client.force_login(referent)
    with django_assert_num_queries(2):
        assert client.get(reverse("web:health")).status_code == 200


def test_outside_a_request_the_union(coordinator, operator):
    as_referent = membership_add(coordinator, operator, "referent")
    assert coordinator.can(TERRITORY_FILES) and coordinator.can(COMMISSION_DECIDE)
    scope_request(coordinator, as_referent.pk)
    assert coordinator.can(PATHWAY_WRITE) and not coordinator.can(TERRITORY_FILES)
    assert not coordinator.can(COMMISSION_DECIDE)
