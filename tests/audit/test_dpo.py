from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.audit.services import access_log_record, audit_record

from tests import factories


@pytest.fixture
def dpo(plie):
    return factories.UserFactory(membership=(plie, "dpo"))


@pytest.fixture
def logs(territory, referent, coordinator):
    mine = factories.ParticipantFactory(territory=territory)
    other_territory = factories.TerritoryFactory(name="Autre territoire")
    foreign = factories.ParticipantFactory(territory=other_territory)
    access_log_record(user=referent, participant_id=mine.pk, screen="participant_detail")
    access_log_record(user=coordinator, participant_id=mine.pk, screen="pathway_detail")
    access_log_record(user=referent, participant_id=foreign.pk, screen="participant_detail")
    audit_record(actor=coordinator, action="participant_updated", obj=mine, participant_id=mine.pk,
                 before={"phone": "0601020304"}, after={"phone": "0611223344"})
    audit_record(actor=referent, action="participant_updated", obj=foreign, participant_id=foreign.pk)
    return mine, foreign


def test_dpo_reads_the_access_log_of_their_territory_only(client, dpo, logs, referent):
    mine, foreign = logs
    client.force_login(dpo)
    page = client.get(reverse("audit:access_log"))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 2
    filtered = client.get(reverse("audit:access_log"), {"user": referent.pk})
    assert [row.user_id for row in filtered.context["page"]] == [referent.pk]
    by_participant = client.get(reverse("audit:access_log"), {"participant": foreign.pk})
    assert by_participant.context["page"].paginator.count == 0


def test_access_log_date_filter(client, dpo, logs):
    AccessLog.objects.update(at=timezone.now() - timedelta(days=10))
    client.force_login(dpo)
    today = timezone.localdate()
    assert client.get(reverse("audit:access_log"), {"date_from": today}).context["page"].paginator.count == 0
    start = today - timedelta(days=11)
    assert client.get(reverse("audit:access_log"), {"date_from": start}).context["page"].paginator.count == 2


def test_dpo_reads_the_change_history_without_values(client, dpo, logs):
    client.force_login(dpo)
    page = client.get(reverse("audit:change_history"))
    assert page.context["page"].paginator.count == 1
    html = page.content.decode()
    assert "phone" in html and "0611223344" not in html


def test_change_history_is_paginated(client, dpo, coordinator, territory):
    person = factories.ParticipantFactory(territory=territory)
    AuditEvent.objects.bulk_create([AuditEvent(actor=coordinator, action="x", object_type="t", object_id="1",
                                               participant_id=person.pk) for _ in range(60)])
    client.force_login(dpo)
    first = client.get(reverse("audit:change_history"))
    assert len(first.context["page"]) == 50
    assert len(client.get(reverse("audit:change_history"), {"page": 2}).context["page"]) == 10


@pytest.mark.parametrize("name", ["coordinator", "director", "referent", "prescriber"])
def test_other_roles_cannot_read_the_logs(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("audit:access_log")).status_code == 403
    assert client.get(reverse("audit:change_history")).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_logs_cannot_be_altered_through_the_views(client, dpo, logs, method):
    client.force_login(dpo)
    assert getattr(client, method)(reverse("audit:access_log")).status_code == 405
    assert AccessLog.objects.count() == 3


def test_dpo_has_no_access_to_files(dpo):
    from parcours.pathways.access import participants_visible_to, pathways_visible_to

    factories.PathwayFactory()
    assert not pathways_visible_to(dpo).exists()
    assert not participants_visible_to(dpo).exists()


def test_dpo_needs_the_second_factor(client, dpo):
    client.post(reverse("web:login"), {"username": dpo.email, "password": "un-mot-de-passe-solide"})
    assert client.get(reverse("audit:access_log")).url == reverse("accounts:twofactor_enrol")


def test_user_menu_shows_the_log_to_the_dpo_only(client, dpo, referent):
    client.force_login(dpo)
    assert reverse("audit:access_log") in client.get(reverse("web:home")).content.decode()
    client.force_login(referent)
    assert reverse("audit:access_log") not in client.get(reverse("web:home")).content.decode()


def test_a_token_revoked_by_a_password_change_is_in_the_holder_territory_history(dpo, referent):
    """No person revoked it (a signal did, after the password change): the row has no actor, and still belongs to
    the DPO of the holder's territory, not to another territory's."""
    from parcours.accounts.services import api_token_create
    from parcours.privacy.dpo import audit_events_for_dpo

    token, _secret = api_token_create(user=referent, label="Logiciel")
    referent.set_password("Une toute nouvelle phrase de passe 2026 !")
    referent.save()
    revoked = AuditEvent.objects.get(action="api_token_revoke")
    assert revoked.actor_id is None and revoked.object_id == str(token.pk)
    assert revoked in audit_events_for_dpo(dpo)
    elsewhere = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=factories.TerritoryFactory(name="Ailleurs"), plie=True), "dpo"))
    assert revoked not in audit_events_for_dpo(elsewhere)
