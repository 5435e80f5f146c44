"""The administration pages obey the role rules (organisations.services): no self-grant, four eyes, fresh
re-authentication (docs/authorisation.md, "Granting roles")."""

import datetime
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.sessions import REAUTH_AT
from parcours.organisations.enums import GrantRequestState, Role
from parcours.organisations.models import Membership, MembershipGrantRequest
from tests import factories
from tests.accounts.helpers import PASSWORD


@pytest.fixture
def second_administrator(plie):
    return factories.UserFactory(membership=(plie, "administrator"))


@pytest.fixture
def newcomer():
    return factories.UserFactory(email="nouvelle@example.org")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _stale(client):
    session = client.session
    session[REAUTH_AT] -= 3600
    session.save()


def _grant(client, account, organisation, role):
    return client.post(reverse("administration:membership_create", args=[account.pk]),
                       {"organisation": organisation.pk, "role": role})


def _pending(account, organisation, role="director"):
    return MembershipGrantRequest.objects.get(account=account, organisation=organisation, role=role,
                                              state=GrantRequestState.PENDING)


@pytest.mark.parametrize("role", Role.values)
def test_an_administrator_cannot_grant_themselves_a_role(admin_client, administrator, plie, role):
    response = _grant(admin_client, administrator, plie, role)
    assert response.status_code == 302
    assert list(administrator.memberships.values_list("role", flat=True)) == ["administrator"]
    assert not MembershipGrantRequest.objects.exists()
    page = admin_client.get(response.url).content.decode()
    assert "Vous ne pouvez pas modifier vos propres rôles" in page


def test_the_own_account_page_offers_no_role_change(admin_client, administrator):
    page = admin_client.get(reverse("administration:user_edit", args=[administrator.pk])).content.decode()
    assert "seul·e un·e autre administrateur·rice peut les modifier" in page
    assert reverse("administration:membership_create", args=[administrator.pk]) not in page
    assert reverse("administration:membership_remove", args=[administrator.memberships.get().pk]) not in page


def test_an_administrator_cannot_remove_their_own_role(admin_client, administrator):
    membership = administrator.memberships.get()
    admin_client.post(reverse("administration:membership_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("role, kind", [("referent", "operator"), ("prescriber", "prescriber")])
def test_an_ordinary_role_is_granted_at_once(admin_client, territory, newcomer, role, kind):
    organisation = factories.OrganisationFactory(territory=territory, **{kind: True})
    _grant(admin_client, newcomer, organisation, role)
    assert Membership.objects.filter(user=newcomer, organisation=organisation, role=role, is_active=True).exists()


def test_a_role_opening_personal_data_waits_for_a_second_administrator(admin_client, plie, newcomer,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(admin_client, newcomer, plie, "director")
    assert not newcomer.memberships.exists()
    assert _pending(newcomer, plie).state == GrantRequestState.PENDING
    page = admin_client.get(response.url).content.decode()
    assert "un·e autre administrateur·rice doit la confirmer" in page
    assert "annuler ma demande" in page                   # the requester may withdraw, not confirm
    assert reverse("administration:grant_request_confirm", args=[_pending(newcomer, plie).pk]) not in page
    assert [m.to for m in mail.outbox] == [["nouvelle@example.org"]]


def test_a_stale_reauthentication_sends_to_the_reauthentication_page_and_back(admin_client, plie, newcomer):
    _stale(admin_client)
    response = _grant(admin_client, newcomer, plie, "coordinator")
    back = reverse("administration:user_edit", args=[newcomer.pk])
    assert response.url == f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}"
    assert not MembershipGrantRequest.objects.exists()
    again = admin_client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": back})
    assert again.url == back
    _grant(admin_client, newcomer, plie, "coordinator")
    assert _pending(newcomer, plie, "coordinator")


def test_the_requester_cannot_confirm_through_the_page(admin_client, administrator, plie, newcomer):
    _grant(admin_client, newcomer, plie, "director")
    admin_client.post(reverse("administration:grant_request_confirm", args=[_pending(newcomer, plie).pk]))
    assert not newcomer.memberships.exists()
    assert _pending(newcomer, plie).state == GrantRequestState.PENDING


def test_a_second_administrator_confirms_from_the_account_page(admin_client, client, second_administrator, plie,
                                                               newcomer):
    _grant(admin_client, newcomer, plie, "director")
    grant_request = _pending(newcomer, plie)
    client.force_login(second_administrator)
    page = client.get(reverse("administration:user_edit", args=[newcomer.pk])).content.decode()
    confirm = reverse("administration:grant_request_confirm", args=[grant_request.pk])
    assert confirm in page and reverse("administration:grant_request_refuse", args=[grant_request.pk]) in page
    assert "annuler ma demande" not in page
    overview = client.get(reverse("administration:overview")).content.decode()
    assert reverse("administration:user_edit", args=[newcomer.pk]) in overview and "Direction du PLIE" in overview
    _stale(client)
    stale = client.post(confirm)
    assert stale.url.startswith(reverse("accounts:reauthenticate"))
    assert not newcomer.memberships.exists()
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD})
    client.post(confirm)
    assert Membership.objects.filter(user=newcomer, organisation=plie, role="director", is_active=True).exists()
    grant_request.refresh_from_db()
    assert (grant_request.state, grant_request.decided_by) == (GrantRequestState.CONFIRMED, second_administrator)


def test_a_second_administrator_refuses(admin_client, client, second_administrator, plie, newcomer):
    _grant(admin_client, newcomer, plie, "dpo")
    grant_request = _pending(newcomer, plie, "dpo")
    client.force_login(second_administrator)
    client.post(reverse("administration:grant_request_refuse", args=[grant_request.pk]))
    grant_request.refresh_from_db()
    assert grant_request.state == GrantRequestState.REFUSED and not newcomer.memberships.exists()


def test_the_requester_cancels(admin_client, plie, newcomer):
    _grant(admin_client, newcomer, plie, "dpo")
    grant_request = _pending(newcomer, plie, "dpo")
    admin_client.post(reverse("administration:grant_request_cancel", args=[grant_request.pk]))
    grant_request.refresh_from_db()
    assert grant_request.state == GrantRequestState.CANCELLED


def test_an_expired_request_is_no_longer_offered(admin_client, client, second_administrator, plie, newcomer):
    _grant(admin_client, newcomer, plie, "director")
    grant_request = _pending(newcomer, plie)
    MembershipGrantRequest.objects.filter(pk=grant_request.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=8), expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(second_administrator)
    confirm = reverse("administration:grant_request_confirm", args=[grant_request.pk])
    assert confirm not in client.get(reverse("administration:user_edit", args=[newcomer.pk])).content.decode()
    assert client.post(confirm).status_code == 404
    assert not newcomer.memberships.exists()


def test_the_account_page_with_requests_has_constant_queries(admin_client, second_administrator, territory,
                                                             newcomer, django_assert_num_queries):
    def ask():
        organisation = factories.OrganisationFactory(territory=territory, operator=True)
        MembershipGrantRequest.objects.create(account=newcomer, organisation=organisation, role="dpo",
                                              requested_by=second_administrator,
                                              expires_at=timezone.now() + datetime.timedelta(days=7))

    url = reverse("administration:user_edit", args=[newcomer.pk])
    ask()
    admin_client.get(url)
    with django_assert_num_queries(8):
        admin_client.get(url)
    for _ in range(4):
        ask()
    with django_assert_num_queries(8):
        response = admin_client.get(url)
    assert len(response.context["grant_requests"]) == 5
