"""Right to erasure: only for a person who never entered the PLIE; everything goes but an anonymous trace."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from parcours.audit.models import AccessLog, AuditEvent
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
from parcours.participants.models import Document, Participant
from parcours.privacy.rights import participant_erase
from parcours.pathways.models import BarrierReview, Note, Pathway
from tests import factories

from .conftest import build_file


def _url(participant):
    return reverse("rights:erase", args=[participant.pk])


def test_confirmation_page_states_what_will_be_deleted(client, coordinator, never_entered):
    participant, _pathway = never_entered
    client.force_login(coordinator)
    response = client.get(_url(participant))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce qui sera supprimé" in body
    assert "Effacer définitivement" in body
    counts = response.context["rows"]
    by_label = {row["label"]: row["count"] for row in counts}
    assert by_label["Documents (fichiers compris)"] == 2
    assert by_label["Décisions de commission"] == 1
    assert by_label["Parcours (candidatures comprises)"] == 1
    assert Participant.objects.filter(pk=participant.pk).exists()  # a GET deletes nothing


def test_erasure_deletes_everything_and_the_files(client, director, never_entered,
                                                  django_capture_on_commit_callbacks):
    participant, pathway = never_entered
    pk = participant.pk
    files = list(Document.objects.filter(participant=participant).values_list("file", flat=True))
    assert files and all(default_storage.exists(name) for name in files)
    AccessLog.objects.create(user=director, participant=participant, screen="pathway")
    untouched = factories.ParticipantFactory()
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(participant))
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=pk).exists()
    assert not Pathway.objects.filter(pk=pathway.pk).exists()
    for model in (Application, ReceptionInterview, Assessment, BarrierReview, CommissionDecision, Note):
        assert not model.objects.filter(pathway_id=pathway.pk).exists()
    assert not Document.objects.filter(participant_id=pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert not AccessLog.objects.filter(participant_id=pk).exists()
    assert not AuditEvent.objects.filter(participant_id=pk).exists()
    assert Commission.objects.exists()  # the session itself stays
    assert Participant.objects.filter(pk=untouched.pk).exists()

    trace = AuditEvent.objects.get(action="participant_erase")
    assert trace.actor == director and trace.participant_id is None and trace.object_id == ""
    assert trace.changes["erased"]["documents"] == 2
    assert set(trace.changes) == {"erased"}  # counts only, nothing that identifies the person
    assert all(isinstance(count, int) for count in trace.changes["erased"].values())
    stored = json.dumps(trace.changes, ensure_ascii=False)
    for personal in (participant.last_name, participant.first_name, "1980-05-17"):
        assert personal not in stored


def test_erasure_refused_for_a_person_who_entered_the_plie(client, coordinator, full_file,
                                                           django_capture_on_commit_callbacks):
    participant, _pathway = full_file
    client.force_login(coordinator)
    page = client.get(_url(participant))
    assert "Fonds social européen" in page.content.decode()
    assert "Effacer définitivement" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(participant))
    assert response.status_code == 409
    assert "conserver pour les obligations de contrôle du Fonds social européen" in response.content.decode()
    assert Participant.objects.filter(pk=participant.pk).exists()
    assert all(default_storage.exists(d.file.name) for d in Document.objects.filter(participant=participant))
    assert not AuditEvent.objects.filter(action="participant_erase").exists()


def test_service_refuses_when_any_pathway_entered(coordinator, never_entered, operator, referent, prescriber,
                                                  prescriber_org):
    participant, _pathway = never_entered
    build_file(participant=participant, entered=True, operator=operator, referent=referent, coordinator=coordinator,
               prescriber=prescriber, prescriber_org=prescriber_org)
    with pytest.raises(ValidationError, match="FSE"):
        participant_erase(participant=participant, by=coordinator)
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_pending_application_may_be_erased(coordinator, django_capture_on_commit_callbacks):
    pending = factories.PathwayFactory()
    with django_capture_on_commit_callbacks(execute=True):
        counts = participant_erase(participant=pending.participant, by=coordinator)
    assert counts["pathways"] == 1
    assert not Participant.objects.filter(pk=pending.participant_id).exists()


def test_erasure_does_not_touch_links_from_other_peoples_applications(coordinator, full_file, never_entered):
    other_participant, other_pathway = full_file
    participant, _pathway = never_entered
    Application.objects.get(pathway=other_pathway).possible_duplicate_of.add(participant)
    participant_erase(participant=participant, by=coordinator)
    application = Application.objects.get(pathway=other_pathway)
    assert list(application.possible_duplicate_of.all()) == []
    assert Participant.objects.filter(pk=other_participant.pk).exists()


@pytest.mark.parametrize("who, status", [("referent", 403), ("prescriber", 403), ("administrator", 403),
                                         ("foreign_coordinator", 404)])
def test_erasure_rights_by_role(client, never_entered, who, status, request):
    participant, _pathway = never_entered
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(participant)).status_code == status
    assert client.post(_url(participant)).status_code == status
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_confirmation_page_query_count_is_constant(client, coordinator, never_entered, operator, referent,
                                                   prescriber, prescriber_org, django_assert_num_queries):
    participant, _pathway = never_entered
    client.force_login(coordinator)
    # session, user, memberships, participant, counts (one query), access row
    with django_assert_num_queries(6):
        client.get(_url(participant))
    build_file(participant=participant, entered=False, operator=operator, referent=referent, coordinator=coordinator,
               prescriber=prescriber, prescriber_org=prescriber_org, volume=5)
    with django_assert_num_queries(6):
        client.get(_url(participant))
