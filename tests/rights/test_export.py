"""Right of access and portability: the ZIP (PDF, JSON, documents), its audit trail, its cost and its escaping."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.plie.intake.models import Application
from parcours.privacy.rights import participant_export_data
from parcours.privacy.rights_pdf import build_story, render_export_pdf
from tests import factories

from .conftest import add_document, build_file


def _export(client, participant):
    return client.post(reverse("rights:export", args=[participant.pk]))


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_zip_holds_pdf_json_and_documents(client, referent, full_file):
    participant, pathway = full_file
    client.force_login(referent)
    response = _export(client, participant)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    filename = f"export-participant-{participant.pk}-{timezone.localdate().isoformat()}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert participant.last_name not in response["Content-Disposition"]

    archive = _zip(response)
    names = archive.namelist()
    assert archive.read("donnees.pdf").startswith(b"%PDF-")
    data = json.loads(archive.read("donnees.json"))
    assert set(data) == {"format", "format_version", "generated_at", "generated_by", "participant",
                         "situation_at_entry", "pathways", "documents", "audit_events"}
    assert data["participant"]["last_name"] == participant.last_name
    assert data["participant"]["birth_date"] == "1980-05-17"
    assert data["situation_at_entry"]["rsa"] is True
    assert data["generated_by"]["name"] == referent.get_full_name()
    exported = data["pathways"][0]
    assert set(exported) >= {"application", "reception_interviews", "assessment", "commission_decisions", "contract",
                             "steps", "appointments", "barrier_reviews", "notes", "transitions",
                             "employment_followups"}
    assert exported["application"]["motivation"] == "Retrouver un emploi stable."
    assert exported["application"]["barriers_seen"] == ["mobility", "housing"]
    assert exported["assessment"]["recommendations"] == "Formation CACES."
    assert exported["assessment"]["initial_barrier_reviews"][0]["barrier"] == "mobility"
    assert exported["commission_decisions"][0]["outcome"] == "admitted"
    assert exported["contract"]["objectives"] == "Emploi durable."
    assert exported["notes"][0]["body"] == "Note 0"
    assert exported["referent"]["structures"] == [pathway.operator.name]
    assert exported["transitions"][0]["by"]["name"]
    assert data["audit_events"][0]["action"] == "note_create"

    # Every document, under a generated name, with its bytes.
    assert len(data["documents"]) == 2
    for entry in data["documents"]:
        assert re.fullmatch(r"documents/\d{3}-[a-z_]+\.pdf", entry["file"])
        assert entry["file"] in names
    contents = {archive.read(entry["file"]) for entry in data["documents"]}
    assert contents == {b"%PDF-1.4 candidature", b"piece 0"}


def test_export_is_audited_and_logged(client, coordinator, full_file):
    participant, _pathway = full_file
    client.force_login(coordinator)
    _export(client, participant)
    event = AuditEvent.objects.get(action="rights_export")
    assert event.actor == coordinator and event.participant_id == participant.pk
    assert AccessLog.objects.filter(user=coordinator, participant=participant, screen="rights_export").count() == 1


def test_export_is_post_only(client, coordinator, full_file):
    participant, _pathway = full_file
    client.force_login(coordinator)
    assert client.get(reverse("rights:export", args=[participant.pk])).status_code == 405
    assert not AuditEvent.objects.filter(action="rights_export").exists()


@pytest.mark.parametrize("who, status", [("director", 200), ("prescriber", 403), ("administrator", 403),
                                         ("other_referent", 404), ("foreign_coordinator", 404)])
def test_export_rights_by_role(client, full_file, who, status, request):
    participant, _pathway = full_file
    client.force_login(request.getfixturevalue(who))
    assert _export(client, participant).status_code == status
    assert AuditEvent.objects.filter(action="rights_export").exists() == (status == 200)


def test_export_leaves_out_other_people(client, coordinator, full_file):
    participant, pathway = full_file
    other = factories.ParticipantFactory(last_name="Tiers-Inconnu", first_name="Zoé")
    Application.objects.get(pathway=pathway).possible_duplicate_of.add(other)
    client.force_login(coordinator)
    archive = _zip(_export(client, participant))
    assert "Tiers-Inconnu" not in archive.read("donnees.json").decode()


def test_missing_file_is_listed_without_breaking_the_export(client, coordinator, full_file):
    participant, _pathway = full_file
    lost = add_document(participant, coordinator, name="perdu.pdf", content=b"lost")
    default_storage.delete(lost.file.name)
    client.force_login(coordinator)
    data = json.loads(_zip(_export(client, participant)).read("donnees.json"))
    entry = next(d for d in data["documents"] if d["id"] == lost.pk)
    assert entry["file"] is None


def test_export_query_count_does_not_grow_with_the_file(client, coordinator, operator, referent, prescriber,
                                                        prescriber_org, django_assert_num_queries):
    small, _ = build_file(operator=operator, referent=referent, coordinator=coordinator, prescriber=prescriber,
                          prescriber_org=prescriber_org, volume=1)
    large, _ = build_file(operator=operator, referent=referent, coordinator=coordinator, prescriber=prescriber,
                          prescriber_org=prescriber_org, volume=6)
    build_file(participant=large, entered=False, operator=operator, referent=referent, coordinator=coordinator,
               prescriber=prescriber, prescriber_org=prescriber_org, volume=4)
    client.force_login(coordinator)
    # session, user, memberships, participant (scope); savepoint; participant, its situation rows, pathways +
    # 8 prefetches, documents, audit events, users + their memberships; audit row, access row; release
    with django_assert_num_queries(23):
        assert _export(client, small).status_code == 200
    with django_assert_num_queries(23):
        assert _export(client, large).status_code == 200


def test_user_text_is_printed_literally_in_the_pdf(coordinator, full_file):
    participant, pathway = full_file
    participant.last_name = "<b>Jean & Co</b>"
    participant.save()
    pathway.notes.update(body="<para>1 < 2 & 3 > 2</para>\nseconde ligne")
    data = participant_export_data(participant=participant, by=coordinator)
    texts = [flowable.getPlainText() for flowable in _paragraphs(build_story(data))]
    assert "<b>Jean & Co</b>" in texts
    assert any("<para>1 < 2 & 3 > 2</para>" in text for text in texts)
    assert render_export_pdf(data).startswith(b"%PDF-")


def _paragraphs(story):
    from reportlab.platypus import Paragraph, Table

    for flowable in story:
        if isinstance(flowable, Paragraph):
            yield flowable
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                yield from (cell for cell in row if isinstance(cell, Paragraph))


def test_a_note_longer_than_a_page_still_renders(coordinator, full_file):
    participant, pathway = full_file
    pathway.notes.update(body="Un compte rendu très détaillé. " * 3000)
    data = participant_export_data(participant=participant, by=coordinator)
    assert render_export_pdf(data).startswith(b"%PDF-")
