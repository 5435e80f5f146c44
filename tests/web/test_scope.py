"""The scope a request works in: one of the user's memberships, chosen in the header when they have several.

Every check then asks a capability of that membership's role only, and every list is that structure's.
"""

from django.urls import reverse

from parcours.audit.models import RefusedAccess
from parcours.organisations.capabilities import PATHWAY_ASSIGN, PATHWAY_WRITE
from parcours.organisations.enums import Role
from parcours.organisations.scope import SCOPE_SESSION_KEY
from tests import factories
from tests.api.helpers import api_for


def _detail(pathway) -> str:
    return reverse("pathways:pathway_detail", args=[pathway.pk])


def _two_operators(territory, referent, operator):
    """The referent also works for a second operator; one file at each."""
    other = factories.OrganisationFactory(territory=territory, operator=True)
    second = referent.memberships.create(organisation=other, role=Role.REFERENT)
    here = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                    active=True)
    there = factories.PathwayFactory(participant__territory=territory, operator=other, referent=None, active=True)
    return second, here, there


def test_a_referent_of_two_structures_sees_the_current_one_s_files_and_switches(client, territory, referent,
                                                                                 operator):
    second, here, there = _two_operators(territory, referent, operator)
    client.force_login(referent)
    assert client.get(_detail(here)).status_code == 200
    assert client.get(_detail(there)).status_code == 404        # the first membership is in force
    response = client.post(reverse("web:scope_switch"), {"membership": second.pk})
    assert response.status_code == 302 and response.url == reverse("web:home")
    page = client.get(reverse("web:home")).content.decode()
    assert f"Vous travaillez maintenant pour {second.organisation.name} (Référent·e de parcours)" in page
    assert client.session[SCOPE_SESSION_KEY] == second.pk
    assert client.get(_detail(there)).status_code == 200
    # The file they follow at the first structure is that structure's: not seen while working for the other.
    assert client.get(_detail(here)).status_code == 404


def test_a_coordinator_who_is_also_a_referent_holds_one_role_at_a_time(client, territory, coordinator, operator):
    membership = coordinator.memberships.create(organisation=operator, role=Role.REFERENT)
    client.force_login(coordinator)
    menu = client.get(reverse("web:home")).content.decode()
    assert reverse("intake:assignment_queue") in menu                 # the coordinator's menu
    client.post(reverse("web:scope_switch"), {"membership": membership.pk})
    menu = client.get(reverse("web:home")).content.decode()
    assert reverse("intake:assignment_queue") not in menu
    assert client.get(reverse("intake:assignment_queue")).status_code == 403
    assert reverse("intake:assessments_due") in menu                  # the referent's


def test_another_person_s_membership_is_not_found_and_the_refusal_is_logged(client, territory, referent, operator,
                                                                          coordinator):
    second, _here, _there = _two_operators(territory, referent, operator)
    client.force_login(referent)
    foreign = coordinator.active_memberships[0]
    assert client.post(reverse("web:scope_switch"), {"membership": foreign.pk}).status_code == 404
    assert client.post(reverse("web:scope_switch"), {"membership": "abc"}).status_code == 404
    assert SCOPE_SESSION_KEY not in client.session
    assert RefusedAccess.objects.filter(user=referent, url_name="web:scope_switch", kind=404).count() == 2
    assert client.get(reverse("web:scope_switch")).status_code == 405


def test_a_membership_that_ended_falls_back_to_the_first(client, territory, referent, operator):
    second, here, there = _two_operators(territory, referent, operator)
    client.force_login(referent)
    client.post(reverse("web:scope_switch"), {"membership": second.pk})
    second.is_active = False
    second.save()
    assert client.get(_detail(there)).status_code == 404
    assert client.get(_detail(here)).status_code == 200


def test_the_switcher_shows_only_for_several_memberships(client, territory, referent, operator):
    client.force_login(referent)
    page = client.get(reverse("web:home")).content.decode()
    assert 'id="scope-membership"' not in page
    assert f"{operator.name} — Référent·e de parcours" in page        # where they work, said once
    second, _here, _there = _two_operators(territory, referent, operator)
    page = client.get(reverse("web:home")).content.decode()
    assert '<label for="scope-membership">Je travaille pour</label>' in page
    first = referent.memberships.order_by("pk").first()
    assert f'<option value="{first.pk}" selected>{operator.name} — Référent·e de parcours</option>' in page
    assert f'<option value="{second.pk}">{second.organisation.name} — Référent·e de parcours</option>' in page


def test_the_home_page_with_the_switcher_costs_what_it_did(client, territory, referent, operator,
                                                          django_assert_num_queries):
    _two_operators(territory, referent, operator)
    client.force_login(referent)
    client.get(reverse("web:home"))
    # The same as with one membership (tests/performance pins the referent's home at 11): the memberships are
    # read once, for the scope, the switcher and every check.
    with django_assert_num_queries(11):
        assert client.get(reverse("web:home")).status_code == 200


def test_outside_a_request_every_membership_is_in_force(territory, coordinator, operator):
    """A command or a service called directly acts with all the user's memberships."""
    coordinator.memberships.create(organisation=operator, role=Role.REFERENT)
    fresh = type(coordinator).objects.get(pk=coordinator.pk)
    assert fresh.current_membership is None
    assert fresh.can(PATHWAY_ASSIGN) and fresh.can(PATHWAY_WRITE)
    assert fresh.roles == {Role.COORDINATOR, Role.REFERENT}


def test_the_api_works_in_the_structure_its_header_names(territory, referent, operator):
    second, here, there = _two_operators(territory, referent, operator)
    api = api_for(referent)
    ids = lambda response: {row["id"] for row in response.json()["results"]}  # noqa: E731
    assert ids(api.get(reverse("api:pathway-list"))) == {here.pk}
    assert ids(api.get(reverse("api:pathway-list"), HTTP_X_PARCOURS_STRUCTURE=str(second.pk))) == {there.pk}
    refused = api.get(reverse("api:pathway-list"), HTTP_X_PARCOURS_STRUCTURE="999999")
    assert refused.status_code == 404
    assert "X-Parcours-Structure" in refused.json()["detail"]


def test_a_request_that_checks_nothing_reads_no_membership(client, referent, django_assert_num_queries):
    """The scope is read on the first check: the health probe of a signed-in browser costs what it did."""
    client.force_login(referent)
    with django_assert_num_queries(2):   # the session, the user (session timeout, second factor)
        assert client.get(reverse("web:health")).status_code == 200
