"""Appointments (referent time, last contact), barrier reassessment, notes, documents (content-checked upload)."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from parcours.audit.models import AuditEvent
from parcours.participants.models import Document
from parcours.participants.services import document_download_name, document_upload
from parcours.pathways import selectors, services
from parcours.plie import selectors as plie_selectors
from parcours.pathways.models import Appointment, BarrierReview, Note
from tests import factories

from .conftest import TODAY, days_ago


def appointment(**overrides):
    data = {"date": days_ago(5), "kind": "individual", "mode": "in_person", "duration_minutes": 45,
            "place": "Agence", "summary": "Point sur la recherche d'emploi."}
    data.update(overrides)
    return data


def test_appointment_moves_the_last_contact_and_counts_time(active, referent):
    services.appointment_create(pathway=active, by=referent, values=appointment())
    services.appointment_create(pathway=active, by=referent, values=appointment(date=days_ago(20), duration_minutes=30))
    active.refresh_from_db()
    assert active.last_contact_date == days_ago(5)  # an older appointment does not move it back
    assert Appointment.objects.get(date=days_ago(5)).referent == referent
    assert AuditEvent.objects.filter(action="appointment.create").count() == 2
    file = plie_selectors.pathway_file_queryset(referent).get(pk=active.pk)
    assert selectors.pathway_time_spent(file) == {"interviews": 0, "appointments": 75, "total": 75}


@pytest.mark.parametrize("overrides, field", [
    ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
    ({"date": days_ago(81)}, "date"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": None}, "duration_minutes"),
    ({"mode": ""}, "mode"),
])
def test_appointment_refusals(active, referent, overrides, field):
    with pytest.raises(ValidationError) as refused:
        services.appointment_create(pathway=active, by=referent, values=appointment(**overrides))
    assert field in refused.value.message_dict
    assert not Appointment.objects.exists()


def test_appointment_on_entry_and_today_accepted(active, referent):
    services.appointment_create(pathway=active, by=referent, values=appointment(date=active.entry_date))
    services.appointment_create(pathway=active, by=referent, values=appointment(date=TODAY))
    active.refresh_from_db()
    assert active.last_contact_date == TODAY


def test_appointment_refused_outside_the_pathway(admitted, referent):
    with pytest.raises(ValidationError, match="pendant le parcours"):
        services.appointment_create(pathway=admitted, by=referent, values=appointment())


def review(**overrides):
    data = {"barrier": "mobility", "level": "major", "reviewed_on": days_ago(30), "comment": "Pas de permis."}
    data.update(overrides)
    return data


def test_barrier_reviews_latest_level_with_history(active, referent):
    services.barrier_review_create(pathway=active, by=referent, values=review())
    services.barrier_review_create(pathway=active, by=referent, values=review(level="moderate", reviewed_on=days_ago(5)))
    services.barrier_review_create(pathway=active, by=referent, values=review(barrier="health", level="moderate",
                                                                             comment="Suivi médical."))
    file = plie_selectors.pathway_file_queryset(referent).get(pk=active.pk)
    status = {b.barrier: b for b in selectors.pathway_barriers(file, sensitive=True)}
    assert status["mobility"].latest.level == "moderate"
    assert [r.level for r in status["mobility"].history] == ["major", "moderate"]
    assert "health" in status
    hidden = {b.barrier for b in selectors.pathway_barriers(file, sensitive=False)}
    assert hidden == {"mobility"}


def test_barrier_review_refusals(active, referent):
    services.barrier_review_create(pathway=active, by=referent, values=review())
    with pytest.raises(ValidationError) as refused:
        services.barrier_review_create(pathway=active, by=referent, values=review())
    assert "déjà été évalué" in refused.value.message_dict["barrier"][0]
    with pytest.raises(ValidationError) as refused:
        services.barrier_review_create(pathway=active, by=referent,
                                       values=review(reviewed_on=TODAY + datetime.timedelta(days=1)))
    assert "reviewed_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.barrier_review_create(pathway=active, by=referent, values=review(reviewed_on=days_ago(81)))
    assert "reviewed_on" in refused.value.message_dict
    assert BarrierReview.objects.count() == 1


def test_note_is_audited_and_must_not_be_empty(active, referent):
    services.note_create(pathway=active, by=referent, body="  Venue avec son CV.  ")
    assert Note.objects.get().body == "Venue avec son CV."
    assert AuditEvent.objects.filter(action="note.create").exists()
    with pytest.raises(ValidationError) as refused:
        services.note_create(pathway=active, by=referent, body="   ")
    assert "body" in refused.value.message_dict


def test_sensitive_rule_is_one_function(referent, coordinator, director, administrator):
    assert selectors.can_see_sensitive(referent)
    assert selectors.can_see_sensitive(coordinator)
    assert selectors.can_see_sensitive(director)
    assert not selectors.can_see_sensitive(administrator)


# --- documents -----------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def _zip(members: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first), members.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, first="mimetype")
DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})


def upload(active, referent, content, name="piece.pdf", kind="cv"):
    return document_upload(participant=active.participant, pathway=active, by=referent, kind=kind, title="CV 2024",
                           upload=SimpleUploadedFile(name, content, content_type="application/octet-stream"))


@pytest.mark.parametrize("content, content_type", [
    (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
    (ODT, "application/vnd.oasis.opendocument.text"),
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_upload_recognises_the_format_by_content(active, referent, content, content_type):
    document = upload(active, referent, content, name="Martin Léa.exe")
    assert document.content_type == content_type
    # The stored name is generated: no personal data, nothing from the uploaded name.
    assert "Martin" not in document.file.name and ".exe" not in document.file.name
    assert document.file.name.startswith("participants/")
    assert AuditEvent.objects.filter(action="document.upload").exists()
    assert document_download_name(document) == f"document-{document.pk}-cv.{document.file.name.rsplit('.', 1)[1]}"


@pytest.mark.parametrize("content", [
    b"<html><script>alert(1)</script></html>", b"MZ\x90\x00executable", _zip({"evil.txt": b"x"}), b"PK\x03\x04broken",
])
def test_upload_refuses_other_content_whatever_the_extension(active, referent, content):
    with pytest.raises(ValidationError) as refused:
        upload(active, referent, content, name="cv.pdf")
    assert "format non accepté" in refused.value.message_dict["file"][0]
    assert not Document.objects.exists()


@override_settings(PARCOURS_DOCUMENT_MAX_BYTES=1024)
def test_upload_refuses_a_too_large_file(active, referent):
    with pytest.raises(ValidationError) as refused:
        upload(active, referent, PDF + b"0" * 1024)
    assert "file" in refused.value.message_dict
    upload(active, referent, PDF)


def test_upload_refuses_empty_title_and_unknown_kind(active, referent):
    with pytest.raises(ValidationError) as refused:
        document_upload(participant=active.participant, pathway=active, by=referent, kind="passport", title=" ",
                        upload=SimpleUploadedFile("a.pdf", PDF))
    assert set(refused.value.message_dict) == {"kind", "title"}


def test_factories_for_other_areas(active, referent):
    factories.NoteFactory(pathway=active, author=referent)
    factories.StepFactory(pathway=active)
    factories.AppointmentFactory(pathway=active)
    factories.BarrierReviewFactory(pathway=active, reviewed_by=referent)
    assert active.steps.get().start_date == active.entry_date
