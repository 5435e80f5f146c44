"""Right of rectification: identity and contact data, optimistic locking, audit with old and new values."""

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.participants.models import Participant
from parcours.privacy.rights import StaleVersion, participant_rectify
from parcours.territory.models import Commune, Qpv
from tests import factories


def _form_data(participant, **changes):
    data = {
        "version": participant.version, "last_name": participant.last_name, "first_name": participant.first_name,
        "birth_name": "", "sex": participant.sex, "birth_date": "1980-05-17", "email": "", "phone": "",
        "address": "", "postal_code": "", "commune": participant.commune_id or "", "qpv": "", "education_level": "",
        "rsa": "true", "ass": "unknown", "aah": "unknown", "deld": "unknown", "inactive_12m": "unknown",
        "single_parent": "unknown", "rqth": "unknown",
    }
    data.update(changes)
    return data


def _url(participant):
    return reverse("rights:rectify", args=[participant.pk])


def test_form_carries_the_version_it_was_loaded_with(client, referent, full_file):
    participant, _pathway = full_file
    client.force_login(referent)
    response = client.get(_url(participant))
    assert response.status_code == 200
    assert 'name="version" value="1"' in response.content.decode()


def test_rectification_saves_bumps_version_and_audits_old_and_new_values(client, referent, full_file, territory):
    participant, _pathway = full_file
    old_name = participant.last_name
    qpv = Qpv.objects.get(territory=territory, code="croix-de-neyrat")
    client.force_login(referent)
    response = client.post(_url(participant), _form_data(
        participant, last_name="Durand", email="durand@example.org", postal_code="63100", qpv=qpv.pk,
        education_level="IV", deld="true"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.last_name, participant.email, participant.qpv, participant.situation("deld")) == (
        "Durand", "durand@example.org", qpv, True)
    assert participant.version == 2
    event = AuditEvent.objects.get(action="participant_rectify")
    assert event.actor == referent and event.participant_id == participant.pk
    assert event.changes["last_name"] == [old_name, "Durand"]
    assert event.changes["qpv"] == [None, qpv.pk]
    assert event.changes["version"] == [1, 2]
    assert "first_name" not in event.changes


def test_stale_form_is_refused_and_keeps_what_was_typed(client, referent, coordinator, full_file):
    participant, _pathway = full_file
    participant_rectify(participant=participant, by=coordinator, expected_version=1,
                        values={"phone": "04 73 00 00 00"})
    client.force_login(referent)
    response = client.post(_url(participant), _form_data(participant, version=1, last_name="Saisie-Perdue?"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce dossier a été modifié par quelqu&#x27;un d&#x27;autre depuis que vous l&#x27;avez ouvert" in body
    assert 'value="Saisie-Perdue?"' in body  # the submitted value is shown again
    assert "04 73 00 00 00" in body  # the current value that differs
    assert 'name="version" value="2"' in body  # a second, informed save may apply it
    participant.refresh_from_db()
    assert participant.last_name != "Saisie-Perdue?" and participant.version == 2
    assert AuditEvent.objects.filter(action="participant_rectify").count() == 1

    response = client.post(_url(participant), _form_data(participant, version=2, last_name="Saisie-Perdue?"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.last_name == "Saisie-Perdue?" and participant.version == 3


def test_service_refuses_a_stale_version_without_writing(coordinator, full_file):
    participant, _pathway = full_file
    Participant.objects.filter(pk=participant.pk).update(version=5)
    with pytest.raises(StaleVersion) as raised:
        participant_rectify(participant=participant, by=coordinator, expected_version=4, values={"last_name": "X"})
    assert raised.value.current.version == 5
    assert not AuditEvent.objects.filter(action="participant_rectify").exists()
    assert Participant.objects.get(pk=participant.pk).last_name != "X"


def test_qpv_must_lie_in_the_commune(client, referent, full_file, territory):
    participant, _pathway = full_file
    cournon = Commune.objects.get(territory=territory, insee="63124")
    qpv = Qpv.objects.get(territory=territory, code="croix-de-neyrat")  # in Clermont-Ferrand
    client.force_login(referent)
    response = client.post(_url(participant), _form_data(participant, commune=cournon.pk, qpv=qpv.pk))
    assert response.status_code == 200
    assert "pas situé dans la commune indiquée" in response.content.decode()
    assert Participant.objects.get(pk=participant.pk).version == 1


def test_qpv_of_another_territory_is_not_a_choice(client, referent, full_file, foreign_coordinator):
    participant, _pathway = full_file
    foreign_qpv = Qpv.objects.get(territory__name="Autre territoire")
    client.force_login(referent)
    response = client.post(_url(participant), _form_data(participant, commune="", qpv=foreign_qpv.pk))
    assert response.status_code == 200
    assert Participant.objects.get(pk=participant.pk).qpv is None


def test_service_refuses_a_qpv_of_another_territory(coordinator, full_file, foreign_coordinator):
    from django.core.exceptions import ValidationError

    participant, _pathway = full_file
    foreign_qpv = Qpv.objects.get(territory__name="Autre territoire")
    with pytest.raises(ValidationError) as raised:
        participant_rectify(participant=participant, by=coordinator, expected_version=1,
                            values={"commune": None, "qpv": foreign_qpv})
    assert "qpv" in raised.value.message_dict


def test_postal_code_must_match_the_commune(client, referent, full_file):
    participant, _pathway = full_file
    client.force_login(referent)
    response = client.post(_url(participant), _form_data(participant, postal_code="75001"))
    assert "Ce code postal ne correspond pas à la commune indiquée." in response.content.decode()


@pytest.mark.parametrize("who, status", [("coordinator", 200), ("director", 200), ("prescriber", 403),
                                         ("administrator", 403), ("other_referent", 404),
                                         ("foreign_coordinator", 404)])
def test_rectification_rights_by_role(client, full_file, who, status, request):
    participant, _pathway = full_file
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(participant)).status_code == status
    post = client.post(_url(participant), _form_data(participant, last_name="Interdit"))
    assert post.status_code == (302 if status == 200 else status)
    assert (Participant.objects.get(pk=participant.pk).last_name == "Interdit") == (status == 200)


def test_rectification_page_query_count_is_constant(client, coordinator, full_file, django_assert_num_queries):
    participant, _pathway = full_file
    client.force_login(coordinator)
    # session, user, memberships, participant, its situation rows, access row, communes, QPV (with their commune)
    with django_assert_num_queries(8):
        client.get(_url(participant))
    for _ in range(3):
        factories.PathwayFactory(participant=participant)
    with django_assert_num_queries(8):
        client.get(_url(participant))
