import datetime
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from parcours.accounts.models import LoginFailure
from parcours.audit.models import AccessLog, AuditEvent
from parcours.audit.services import access_log_record, audit_record
from parcours.pathways.access import participants_visible_to, pathways_visible_to
from parcours.participants.models import Document, Participant
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, Note, Pathway

from tests import factories

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=3 * 365)


def _exited(participant, when=LONG_AGO):
    return factories.PathwayFactory(
        participant=participant, status=PathwayStatus.EXITED, decision="admitted",
        application_date=when - timedelta(days=300), commission_date=when - timedelta(days=280),
        entry_date=when - timedelta(days=270), exit_date=when, exit_reason="abandonment", last_contact_date=when)


def _run(*args):
    import io
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_quiet_file_is_archived_recent_one_is_not(territory):
    quiet = factories.ParticipantFactory(territory=territory)
    _exited(quiet)
    recent = factories.ParticipantFactory(territory=territory)
    _exited(recent, when=TODAY - timedelta(days=100))
    output = _run()
    assert "Dossiers archivés : 1" in output
    quiet.refresh_from_db()
    recent.refresh_from_db()
    assert quiet.archived_at is not None and recent.archived_at is None
    assert AuditEvent.objects.filter(action="participant_archived", participant_id=quiet.pk).exists()


def test_a_recent_appointment_keeps_the_file_alive(territory, referent):
    person = factories.ParticipantFactory(territory=territory)
    pathway = _exited(person)
    Appointment.objects.create(pathway=pathway, date=TODAY - timedelta(days=30))
    _run()
    person.refresh_from_db()
    assert person.archived_at is None


def test_open_pathway_is_not_archived_but_reported(territory):
    person = factories.ParticipantFactory(territory=territory)
    pathway = factories.PathwayFactory(participant=person, active=True)
    Pathway.objects.filter(pk=pathway.pk).update(application_date=LONG_AGO, commission_date=LONG_AGO,
                                                 entry_date=LONG_AGO)
    Participant.objects.filter(pk=person.pk).update(created_at=timezone.now() - timedelta(days=1200))
    output = _run()
    assert "parcours ouvert (à clôturer, non archivés) : 1" in output
    person.refresh_from_db()
    assert person.archived_at is None


def test_dry_run_changes_nothing(territory):
    person = factories.ParticipantFactory(territory=territory)
    _exited(person)
    output = _run("--dry-run")
    assert "[simulation] Dossiers archivés : 1" in output
    person.refresh_from_db()
    assert person.archived_at is None


def test_archived_files_are_hidden_except_from_the_direction(territory, coordinator, director):
    person = factories.ParticipantFactory(territory=territory)
    _exited(person)
    assert participants_visible_to(coordinator).filter(pk=person.pk).exists()
    _run()
    assert not participants_visible_to(coordinator).filter(pk=person.pk).exists()
    assert not pathways_visible_to(coordinator).filter(participant=person).exists()
    assert participants_visible_to(director).filter(pk=person.pk).exists()


def test_anonymisation_after_the_configured_period(territory, coordinator, settings,
                                                  django_capture_on_commit_callbacks):
    settings.PARCOURS_ANONYMISE_AFTER_DAYS = 30
    person = factories.ParticipantFactory(territory=territory, email="a@example.org", phone="0601020304",
                                          address="3 rue des Lilas", postal_code="63000",
                                          birth_date=datetime.date(1980, 5, 17))
    pathway = _exited(person)
    Note.objects.create(pathway=pathway, author=coordinator, body="Confidences")
    Appointment.objects.create(pathway=pathway, date=datetime.date(2022, 3, 17), summary="Entretien", place="Chez elle")
    document = Document(participant=person, kind="cv", title="CV", content_type="application/pdf", size=3,
                        uploaded_by=coordinator)
    document.file.save("cv.pdf", ContentFile(b"pdf"), save=True)
    stored = document.file.name
    audit_record(actor=coordinator, action="participant_updated", obj=person, participant_id=person.pk,
                 before={"last_name": "Ancien"}, after={"last_name": person.last_name})
    Participant.objects.filter(pk=person.pk).update(archived_at=timezone.now() - timedelta(days=31))

    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    assert "Dossiers anonymisés : 1" in output and "Documents supprimés : 1" in output
    person.refresh_from_db()
    assert (person.last_name, person.first_name, person.email, person.phone, person.address, person.postal_code) == \
        ("", "", "", "", "", "")
    assert person.birth_date == datetime.date(1980, 7, 1)
    assert person.commune is not None and person.sex == "F" and person.situation("rsa") is True
    assert person.anonymised_at is not None
    pathway.refresh_from_db()
    assert pathway.exit_date.day == 1 and pathway.entry_date.day == 1 and pathway.exit_date.month == LONG_AGO.month
    appointment = Appointment.objects.get(pathway=pathway)
    assert (appointment.date, appointment.summary, appointment.place) == (datetime.date(2022, 3, 1), "", "")
    assert not Note.objects.filter(pathway=pathway).exists()
    assert not Document.objects.exists() and not default_storage.exists(stored)
    assert all(e.changes == {} for e in AuditEvent.objects.filter(participant_id=person.pk))
    # A second run does nothing more.
    assert "Dossiers anonymisés : 0" in _run()


def test_old_access_log_and_login_failures_are_purged(territory, referent):
    person = factories.ParticipantFactory(territory=territory)
    access_log_record(user=referent, participant_id=person.pk, screen="old")
    access_log_record(user=referent, participant_id=person.pk, screen="recent")
    AccessLog.objects.filter(screen="old").update(at=timezone.now() - timedelta(days=366))
    LoginFailure.objects.create(username_digest="x", ip_digest="y", at=timezone.now() - timedelta(days=400))
    output = _run()
    assert "journal des accès : 1" in output and "Échecs de connexion purgés : 1" in output
    assert list(AccessLog.objects.values_list("screen", flat=True)) == ["recent"]


def test_file_without_pathway_counts_from_its_creation(territory):
    old = factories.ParticipantFactory(territory=territory)
    new = factories.ParticipantFactory(territory=territory)
    Participant.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=800))
    _run()
    assert Participant.objects.get(pk=old.pk).archived_at is not None
    assert Participant.objects.get(pk=new.pk).archived_at is None
