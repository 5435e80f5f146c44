"""Granting roles (organisations.services): nobody changes their own roles; a role opening personal data waits for
a second administrator of the territory, both re-authenticated; audited; the person and the DPO are told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.organisations.enums import CONFIRMED_ROLES, GrantRequestState, Role
from parcours.organisations.models import Membership, MembershipGrantRequest
from parcours.organisations.services import (
    ReauthenticationRequired, membership_end, membership_grant, membership_grant_cancel, membership_grant_confirm,
    membership_grant_refuse, membership_grant_requests_expire,
)
from tests import factories


def fresh():
    return timezone.now()


@pytest.fixture
def second_administrator(plie):
    return factories.UserFactory(membership=(plie, "administrator"))


@pytest.fixture
def dpo(plie):
    return factories.UserFactory(email="dpo@example.org", membership=(plie, "dpo"))


@pytest.fixture
def newcomer():
    return factories.UserFactory(email="nouvelle@example.org", first_name="Awa", last_name="Diallo")


def _ask(by, account, organisation, role="director"):
    return membership_grant(account=account, organisation=organisation, role=role, by=by, reauthenticated_at=fresh())


@pytest.mark.parametrize("role", Role.values)
def test_nobody_grants_themselves_a_role(administrator, plie, role):
    with pytest.raises(ValidationError, match="propres rôles"):
        _ask(administrator, administrator, plie, role)
    assert list(administrator.memberships.values_list("role", flat=True)) == ["administrator"]
    assert not MembershipGrantRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_nobody_ends_their_own_role(administrator):
    membership = administrator.memberships.get()
    with pytest.raises(ValidationError, match="propres rôles"):
        membership_end(membership=membership, by=administrator)
    membership.refresh_from_db()
    assert membership.is_active


def test_another_administrator_ends_a_role(administrator, second_administrator):
    membership = second_administrator.memberships.get()
    membership_end(membership=membership, by=administrator)
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.get(action="membership_deactivate").actor == administrator


@pytest.mark.parametrize("role, kind", [("referent", "operator"), ("prescriber", "prescriber")])
def test_an_ordinary_role_is_granted_at_once_without_a_second_administrator(administrator, territory, newcomer,
                                                                           role, kind):
    organisation = factories.OrganisationFactory(territory=territory, **{kind: True})
    granted = membership_grant(account=newcomer, organisation=organisation, role=role, by=administrator)
    assert isinstance(granted, Membership) and granted.is_active
    assert not MembershipGrantRequest.objects.exists()
    assert AuditEvent.objects.get(action="membership_add").actor == administrator
    assert mail.outbox == []


def test_the_roles_that_wait_for_confirmation():
    assert CONFIRMED_ROLES == {"coordinator", "director", "dpo", "administrator"}


@pytest.mark.parametrize("role", sorted(CONFIRMED_ROLES))
def test_a_role_opening_personal_data_creates_a_pending_request(administrator, plie, newcomer, dpo, role,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant_request = _ask(administrator, newcomer, plie, role)
    assert isinstance(grant_request, MembershipGrantRequest)
    assert grant_request.state == GrantRequestState.PENDING and grant_request.requested_by == administrator
    assert grant_request.expires_at - grant_request.requested_at == datetime.timedelta(days=7)
    assert not newcomer.memberships.exists()
    event = AuditEvent.objects.get(action="membership_grant_request")
    assert (event.actor, event.object_id) == (administrator, str(grant_request.pk))
    assert sorted(message.to[0] for message in mail.outbox) == ["dpo@example.org", "nouvelle@example.org"]
    label = Role(role).label
    for message in mail.outbox:
        assert len(message.to) == 1                      # nobody learns another recipient's address
        assert f"« {label} »" in message.body and f"« {plie.name} »" in message.body
        for personal in ("Awa", "Diallo", "nouvelle@example.org", administrator.last_name):
            assert personal not in message.body and personal not in message.subject


def test_asking_needs_a_fresh_reauthentication(administrator, plie, newcomer):
    for stamp in (None, timezone.now() - datetime.timedelta(minutes=6)):
        with pytest.raises(ReauthenticationRequired):
            membership_grant(account=newcomer, organisation=plie, role="director", by=administrator,
                             reauthenticated_at=stamp)
    assert not MembershipGrantRequest.objects.exists()


def test_the_requester_cannot_confirm_and_the_database_refuses_it_too(administrator, plie, newcomer):
    grant_request = _ask(administrator, newcomer, plie)
    with pytest.raises(ValidationError, match="autre administrateur"):
        membership_grant_confirm(grant_request=grant_request, by=administrator, reauthenticated_at=fresh())
    assert not newcomer.memberships.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipGrantRequest.objects.filter(pk=grant_request.pk).update(
            state=GrantRequestState.CONFIRMED, decided_by=administrator, decided_at=timezone.now())


def test_a_second_administrator_confirms_and_the_membership_exists(administrator, second_administrator, plie,
                                                                   newcomer, dpo, django_capture_on_commit_callbacks):
    grant_request = _ask(administrator, newcomer, plie)
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_grant_confirm(grant_request=grant_request, by=second_administrator,
                                              reauthenticated_at=fresh())
    assert Membership.objects.get(user=newcomer, organisation=plie, role="director", is_active=True) == membership
    grant_request.refresh_from_db()
    assert (grant_request.state, grant_request.decided_by) == (GrantRequestState.CONFIRMED, second_administrator)
    assert AuditEvent.objects.get(action="membership_grant_confirmed").actor == second_administrator
    assert AuditEvent.objects.get(action="membership_add").actor == second_administrator
    assert sorted(m.to[0] for m in mail.outbox) == ["dpo@example.org", "nouvelle@example.org"]
    assert all("attribué" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError, match="plus en attente"):
        membership_grant_confirm(grant_request=grant_request, by=second_administrator, reauthenticated_at=fresh())


def test_confirming_needs_a_fresh_reauthentication(administrator, second_administrator, plie, newcomer):
    grant_request = _ask(administrator, newcomer, plie)
    with pytest.raises(ReauthenticationRequired):
        membership_grant_confirm(grant_request=grant_request, by=second_administrator,
                                 reauthenticated_at=timezone.now() - datetime.timedelta(minutes=6))
    assert not newcomer.memberships.exists()


def test_the_account_cannot_confirm_a_role_asked_for_itself(administrator, second_administrator, plie):
    grant_request = _ask(administrator, second_administrator, plie, "dpo")
    with pytest.raises(ValidationError, match="propres rôles"):
        membership_grant_confirm(grant_request=grant_request, by=second_administrator, reauthenticated_at=fresh())
    assert not second_administrator.memberships.filter(role="dpo").exists()


def test_an_administrator_of_another_territory_cannot_confirm(administrator, plie, newcomer):
    elsewhere = factories.OrganisationFactory(territory=factories.TerritoryFactory(name="Ailleurs"), plie=True)
    foreign = factories.UserFactory(membership=(elsewhere, "administrator"))
    grant_request = _ask(administrator, newcomer, plie)
    with pytest.raises(ValidationError, match="territoire"):
        membership_grant_confirm(grant_request=grant_request, by=foreign, reauthenticated_at=fresh())
    with pytest.raises(ValidationError, match="territoire"):
        membership_grant(account=newcomer, organisation=plie, role="referent", by=foreign)


def test_one_pending_request_per_account_structure_and_role(administrator, second_administrator, plie, newcomer):
    _ask(administrator, newcomer, plie)
    with pytest.raises(ValidationError, match="déjà en attente"):
        _ask(second_administrator, newcomer, plie)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipGrantRequest.objects.create(account=newcomer, organisation=plie, role="director",
                                              requested_by=second_administrator,
                                              expires_at=timezone.now() + datetime.timedelta(days=1))
    assert MembershipGrantRequest.objects.count() == 1


def test_a_refused_request_grants_nothing(administrator, second_administrator, plie, newcomer, dpo,
                                          django_capture_on_commit_callbacks):
    grant_request = _ask(administrator, newcomer, plie)
    with pytest.raises(ValidationError, match="annulez-la"):
        membership_grant_refuse(grant_request=grant_request, by=administrator)
    with django_capture_on_commit_callbacks(execute=True):
        membership_grant_refuse(grant_request=grant_request, by=second_administrator)
    grant_request.refresh_from_db()
    assert grant_request.state == GrantRequestState.REFUSED
    assert not newcomer.memberships.exists()
    assert AuditEvent.objects.get(action="membership_grant_refused").actor == second_administrator
    assert sorted(m.to[0] for m in mail.outbox) == ["dpo@example.org", "nouvelle@example.org"]


def test_only_the_requester_cancels(administrator, second_administrator, plie, newcomer):
    grant_request = _ask(administrator, newcomer, plie)
    with pytest.raises(ValidationError, match="Seule la personne"):
        membership_grant_cancel(grant_request=grant_request, by=second_administrator)
    membership_grant_cancel(grant_request=grant_request, by=administrator)
    grant_request.refresh_from_db()
    assert (grant_request.state, grant_request.decided_by) == (GrantRequestState.CANCELLED, administrator)
    assert AuditEvent.objects.filter(action="membership_grant_cancelled").count() == 1


def test_a_request_expires(administrator, second_administrator, plie, newcomer):
    grant_request = _ask(administrator, newcomer, plie)
    MembershipGrantRequest.objects.filter(pk=grant_request.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=8), expires_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="expirée"):
        membership_grant_confirm(grant_request=grant_request, by=second_administrator, reauthenticated_at=fresh())
    assert not newcomer.memberships.exists()
    grant_request.refresh_from_db()
    assert grant_request.state == GrantRequestState.EXPIRED and grant_request.decided_by is None
    assert AuditEvent.objects.filter(action="membership_grant_expired", actor=None).count() == 1
    again = _ask(administrator, newcomer, plie)   # the expired one no longer blocks a new request
    assert again.state == GrantRequestState.PENDING


def test_the_sweep_expires_only_stale_requests(administrator, plie, newcomer):
    stale, kept = _ask(administrator, newcomer, plie, "director"), _ask(administrator, newcomer, plie, "coordinator")
    MembershipGrantRequest.objects.filter(pk=kept.pk).update(expires_at=kept.expires_at + datetime.timedelta(days=30))
    assert membership_grant_requests_expire(now=stale.expires_at + datetime.timedelta(seconds=1)) == 1
    assert dict(MembershipGrantRequest.objects.values_list("pk", "state")) == {
        stale.pk: GrantRequestState.EXPIRED, kept.pk: GrantRequestState.PENDING}


def test_a_recipient_without_an_address_is_skipped(administrator, plie, newcomer, dpo,
                                                   django_capture_on_commit_callbacks):
    type(newcomer).objects.filter(pk=newcomer.pk).update(email="")
    newcomer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(administrator, newcomer, plie)
    assert [m.to for m in mail.outbox] == [["dpo@example.org"]]


def test_a_failing_mail_server_does_not_undo_the_request(administrator, plie, newcomer, dpo, settings,
                                                         django_capture_on_commit_callbacks, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("down")

    monkeypatch.setattr("parcours.organisations.notifications.send_mass_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(administrator, newcomer, plie)
    assert MembershipGrantRequest.objects.filter(state=GrantRequestState.PENDING).count() == 1


def test_the_retention_command_expires_stale_requests(administrator, plie, newcomer):
    from io import StringIO

    from django.core.management import call_command

    stale = _ask(administrator, newcomer, plie)
    MembershipGrantRequest.objects.filter(pk=stale.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=8), expires_at=timezone.now() - datetime.timedelta(days=1))
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "[simulation] Demandes de rôle expirées sans confirmation : 1" in out.getvalue()
    assert MembershipGrantRequest.objects.get().state == GrantRequestState.PENDING
    call_command("retention", stdout=out)
    assert "Demandes de rôle expirées sans confirmation : 1" in out.getvalue()
    assert MembershipGrantRequest.objects.get().state == GrantRequestState.EXPIRED
