"""`parcours backup` / `parcours restore`: an exact round trip, an encrypted file, refusals that write nothing."""

import datetime
import io
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.serializers import deserialize, serialize
from django.db import models
from django_tasks_db.models import DBTaskResult

from parcours.accounts.models import ApiToken, FormSubmission, HeldUpload
from parcours.accounts import twofactor
from parcours.core import backup
from parcours.core.backup import EXCLUDED, backed_up_models, backup_key_generate
from parcours.core.serializers import ExactJSONEncoder
from parcours.esf.models import Cofinancing, Operation, OperationAmendment, Participation, ReferentCost
from parcours.clauses.models import Beneficiary, Buyer, ClauseContract, HoursStatement
from parcours.organisations.enums import GrantRequestState
from parcours.organisations.models import MembershipGrantRequest, Organisation, User
from parcours.participants.models import Document, Participant
from parcours.plie.intake.models import Application
from parcours.youth.models import (
    Aid, ImmersionAgreement, ImmersionAgreementTransition, ImmersionEvaluation, ImmersionFollowUp, SchemeEnrolment,
    Site, Workshop, WorkshopRegistration, WorkshopSession, YouthEvent, YouthFile, YouthSituation,
    SchemeEnrolmentTransition, SchemePhase, YouthDiagnostic, YouthSupport,
)

from tests import factories
from tests.accounts.helpers import enrol

pytestmark = pytest.mark.django_db(transaction=True)

# Stands for "microseconds kept": Django's stock JSON keeps milliseconds only, so the last three digits show.
MICROSECONDS = 123457


@pytest.fixture(autouse=True)
def backup_settings(settings, tmp_path):
    """A key of this test's own, and a documents folder of this test's own (never shared between xdist workers)."""
    settings.PARCOURS_BACKUP_KEY = backup_key_generate()
    settings.PARCOURS_BACKUP_KEY_FILE = ""
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None}}}
    return settings


# --- Reading every table -----------------------------------------------------------------------------------------

def _compared_models() -> list[type[models.Model]]:
    """Every table the backup keeps, the many-to-many tables included; generic, so a new model is compared too."""
    kept = {m._meta.label_lower for m in backed_up_models()}
    through = [m for m in apps.get_models(include_auto_created=True) if m._meta.auto_created
               and any(f.related_model._meta.label_lower in kept for f in m._meta.concrete_fields if f.is_relation)]
    return [*backed_up_models(), *through]


def _natural_keys(model) -> dict:
    """Rebuilt tables (content types, permissions) may get other ids: their rows are compared by natural key."""
    return {obj.pk: obj.natural_key() for obj in model._default_manager.all()}


def _rows(model) -> list[tuple]:
    fields = model._meta.concrete_fields
    kept = {m._meta.label_lower for m in backed_up_models()}
    rebuilt = {f.attname: _natural_keys(f.related_model) for f in fields
               if f.is_relation and f.related_model._meta.label_lower not in kept}
    rows = [tuple(rebuilt[f.attname].get(value, value) if f.attname in rebuilt else value
                  for f, value in zip(fields, row, strict=True))
            for row in model._default_manager.order_by("pk").values_list(*(f.attname for f in fields))]
    if model._meta.auto_created:
        # A many-to-many row's own id is renumbered by loaddata: compare the pairs.
        return sorted((row[1:] for row in rows), key=repr)
    return rows


def _database() -> dict[str, list[tuple]]:
    return {m._meta.label_lower: _rows(m) for m in _compared_models()}


def _times() -> list[tuple[type[models.Model], models.Field]]:
    return [(m, f) for m in backed_up_models() for f in m._meta.concrete_fields
            if isinstance(f, (models.DateTimeField, models.TimeField))]


# --- A database with every table filled ---------------------------------------------------------------------------

def _fill(monkeypatch) -> None:
    """The demo (two small PLIE) and an instance's own rows (documents, notes, access log, import run, second
    factor, token, failed sign-in: tests/migrations/make_snapshot.py), plus what neither writes."""
    from parcours.demo import generator as demo
    from tests.migrations.make_snapshot import instance_extras

    monkeypatch.setattr(demo, "PEOPLE_PER_TERRITORY", 20)
    out = io.StringIO()
    call_command("load_territory", stdout=out)
    call_command("demo_data", people=40, seed=1, stdout=out)
    instance_extras(out)

    readers = Group.objects.create(name="Lecture seule")
    readers.permissions.set(Permission.objects.filter(codename__startswith="view_").order_by("pk")[:3])
    user = User.objects.order_by("pk").first()
    user.groups.add(readers)
    user.user_permissions.add(Permission.objects.order_by("pk").first())
    DBTaskResult.objects.create(args_kwargs={"args": [1], "kwargs": {}}, task_path="parcours.interchange.tasks.x",
                                backend_name="default", run_after=datetime.datetime.now(datetime.UTC),
                                exception_class_path="", traceback="")
    application = Application.objects.order_by("pk").first()
    application.possible_duplicate_of.add(Participant.objects.order_by("pk").first())
    # A role confirmed by a second administrator, and the one-time token of a form sent.
    account, asker, confirmer = User.objects.order_by("pk")[:3]
    now = datetime.datetime.now(datetime.UTC)
    MembershipGrantRequest.objects.create(
        account=account, organisation=Organisation.objects.order_by("pk").first(), role="dpo",
        state=GrantRequestState.CONFIRMED, requested_by=asker, expires_at=now + datetime.timedelta(days=7),
        decided_by=confirmer, decided_at=now)
    FormSubmission.objects.create(user=account, token=uuid.uuid4(), answer="/parcours/1/")
    # A file kept while its form is corrected (bytes: the round trip must keep them exactly).
    HeldUpload.objects.create(user=account, token="held-backup", name="scan.pdf", content_type="application/pdf",
                              content=b"%PDF-1.4\n\x00\xff binary")
    # An ESF+ operation with its plan, a referent's cost and a participation (docs/esf.md).
    operation = Operation.objects.create(
        operation_ref="OP-BACKUP", title="Accompagnement", beneficiary=Organisation.objects.order_by("pk").first(),
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31),
        total_eligible_cost=Decimal("25899.60"), esf_amount=Decimal("15539.76"))
    Cofinancing.objects.create(operation=operation, funder_kind="esf", year=2025, planned=Decimal("15539.76"))
    ReferentCost.objects.create(territory=operation.beneficiary.territory, referent=account, year=2025,
                                annual_gross_cost=Decimal("43000"), work_time_share=Decimal("0.8"))
    Participation.objects.create(participation_ref="PA-BACKUP", participant=Participant.objects.order_by("pk").first(),
                                 operation=operation, entry_date=datetime.date(2025, 2, 1), labour_status="inactive",
                                 information_given_on=datetime.date(2025, 2, 1), consent_given_on=datetime.date(2025, 2, 1))
    OperationAmendment.objects.create(operation=operation, date=datetime.date(2025, 3, 1), reason="Avenant n° 1",
                                      before={"esf_amount": "15000.00"}, after={"esf_amount": "15539.76"},
                                      recorded_by=account)
    # The Mission Locale's records, one of each (docs/youth.md).
    young = Participant.objects.order_by("pk").first()
    site = Site.objects.get(territory=young.territory, code="montagne")      # loaded with the territory
    file = YouthFile.objects.create(territory=young.territory, participant=young, youth_ref="J-BACKUP",
                                    first_reception_date=datetime.date(2025, 1, 6), antenna=site)
    mine = {"territory": young.territory, "youth_file": file}
    YouthEvent.objects.create(**mine, event_ref="E-BACKUP", date=datetime.date(2025, 1, 6), kind="phone", site=site,
                              duration_minutes=20)
    cej = SchemeEnrolment.objects.create(**mine, scheme_ref="S-BACKUP", scheme="cej",
                                         start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2025, 6, 30),
                                         collective_start=True, exit_situation="work_study", status="ended",
                                         end_reason="autonomy")
    SchemeEnrolmentTransition.objects.create(enrolment=cej, transition="end", from_state="active", to_state="ended",
                                             by=account, data={"on": "2025-06-30"})
    YouthDiagnostic.objects.create(youth_file=file, date=datetime.date(2025, 1, 6), needs="Projet", author=account)
    SchemePhase.objects.create(enrolment=cej, number=1, start_date=datetime.date(2025, 1, 6),
                               planned_end=datetime.date(2025, 3, 6), objectives="Alternance",
                               end_date=datetime.date(2025, 3, 6), evaluation="Signée")
    pmsmp = YouthSituation.objects.create(**mine, situation_ref="SI-BACKUP", category="pmsmp",
                                          pmsmp_aim="confirm_project", start_date=datetime.date(2025, 2, 3),
                                          end_date=datetime.date(2025, 2, 14), employer_siret="12345678901234")
    immersion = ImmersionAgreement.objects.create(
        territory=young.territory, youth_file=file, situation=pmsmp, company_name="Boulangerie",
        company_siret="12345678901234", company_address="Riom", tutor_name="Anne", tutor_phone="+33612345678",
        trade="Boulanger", rome_code="D1102", start_date=datetime.date(2025, 2, 3), end_date=datetime.date(2025, 2, 14),
        weekly_hours=Decimal("35.0"), aim="confirm_project", prescriber=account, status="done")
    ImmersionAgreementTransition.objects.create(agreement=immersion, transition="complete", from_state="signed",
                                                to_state="done", by=account)
    ImmersionEvaluation.objects.create(agreement=immersion, date=datetime.date(2025, 2, 17), aptitudes="Ponctuel",
                                       outcome="Bien", hire_proposed=True, recorded_by=account)
    ImmersionFollowUp.objects.create(agreement=immersion, milestone="15_days", date=datetime.date(2025, 3, 1),
                                     outcome="training", recorded_by=account)
    Aid.objects.create(**mine, aid_ref="AI-BACKUP", fund="faj", decision_date=datetime.date(2025, 2, 1),
                       amount=Decimal("152.37"), purpose="mobility")
    entry = Workshop.objects.create(territory=young.territory, name="Atelier sauvegardé", theme="employment",
                                    run_by="partner", partner_name="CIDFF", default_capacity=12)
    workshop = WorkshopSession.objects.create(territory=young.territory, session_ref="WS-BACKUP",
                                              workshop="Pass to Work", theme="employment",
                                              date=datetime.date(2025, 3, 4), capacity=12, catalogue=entry,
                                              start_time=datetime.time(9, 30), site=site, created_by=account)
    presence = YouthEvent.objects.create(**mine, event_ref="E-BACKUP-W", date=datetime.date(2025, 3, 4),
                                         kind="workshop", site=site)
    WorkshopRegistration.objects.create(session=workshop, youth_file=file, status="present", registered_by=account,
                                        event=presence)
    YouthSupport.objects.create(youth_file=file, theme="mobility", opened_on=datetime.date(2025, 1, 6),
                                opened_by=account)
    # A social clause: a buyer, its contract, a beneficiary (a PLIE participant) and a monthly statement (docs/clauses.md).
    buyer = Buyer.objects.create(territory=operation.beneficiary.territory, buyer_ref="B-BACKUP", name="Ville",
                                 kind="commune")
    contract = ClauseContract.objects.create(
        contract_ref="M-BACKUP", buyer=buyer, title="Travaux", legal_basis="execution_condition",
        awardee_siret="11111111100011", awardee_name="BTP", start_date=datetime.date(2025, 1, 1),
        hours_required=Decimal("350.50"))
    beneficiary = Beneficiary.objects.create(
        territory=buyer.territory, beneficiary_ref="BE-BACKUP", participant=Participant.objects.order_by("pk").first(),
        sex="F", birth_date=datetime.date(1990, 1, 1), publics=["rsa", "plie_participant"],
        eligibility_date=datetime.date(2025, 1, 10), checked_by=account)
    HoursStatement.objects.create(line_ref="L-BACKUP", contract=contract, beneficiary=beneficiary,
                                  month=datetime.date(2025, 2, 1), employer_siret="11111111100011",
                                  modality="direct_hire", contract_type="cdd", hours=Decimal("35.25"))
    # An operator's action, a session, a positioning with its log and an attendance mark (docs/actions.md).
    from parcours.actions.models import Action, ActionSession, Positioning, PositioningTransition, SessionAttendance
    from parcours.pathways.models import Pathway

    action = Action.objects.create(
        operator=operation.beneficiary, kind="f17_digital", title="Atelier numérique", places=8,
        start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2025, 3, 28), address="5 place de Jaude",
        cost=Decimal("4200.50"), step_type="mobilisation", created_by=account)
    # The end at 23:59: the loop below moves the start to 15:09 before it moves the end (a database constraint).
    session = ActionSession.objects.create(action=action, date=datetime.date(2025, 1, 6),
                                           start_time=datetime.time(9), end_time=datetime.time(23, 59))
    positioning = Positioning.objects.create(action=action, pathway=Pathway.objects.order_by("pk").first(),
                                             status="started", proposed_by=account,
                                             started_on=datetime.date(2025, 1, 6))
    PositioningTransition.objects.create(positioning=positioning, transition="propose", to_state="proposed", by=account)
    SessionAttendance.objects.create(session=session, positioning=positioning, attendance="present",
                                     recorded_by=account)
    # A planned appointment, one person's attendance (seen: the held contact) with its log, a move (docs/agenda.md).
    from parcours.agenda.models import Attendance, AttendanceTransition, Meeting, MeetingChange
    from parcours.pathways.models import Appointment

    meeting = Meeting.objects.create(organiser=account, organisation=operation.beneficiary, duration_minutes=45,
                                     starts_at=datetime.datetime(2025, 1, 7, 9, tzinfo=datetime.UTC),
                                     kind="individual", mode="in_person", subject="Point", place="Salle 2")
    attendance = Attendance.objects.create(meeting=meeting, pathway=positioning.pathway, status="seen",
                                           appointment=Appointment.objects.filter(pathway=positioning.pathway).first(),
                                           convocation_channel="email",
                                           convened_at=datetime.datetime(2025, 1, 2, 9, tzinfo=datetime.UTC),
                                           reminded_at=datetime.datetime(2025, 1, 5, 9, tzinfo=datetime.UTC))
    AttendanceTransition.objects.create(attendance=attendance, transition="plan", to_state="planned", by=account)
    MeetingChange.objects.create(meeting=meeting, previous_starts_at=datetime.datetime(2025, 1, 6, 9, tzinfo=datetime.UTC),
                                 new_starts_at=meeting.starts_at, reason="Salle prise", by=account)
    # An ESF+ payment claim with its control log and a sampled participant (docs/esf.md).
    from parcours.esf.models import Claim, ClaimSampleItem, ClaimTransition

    claim = Claim.objects.create(operation=operation, date_from=datetime.date(2025, 1, 1),
                                 date_to=datetime.date(2025, 6, 30), state="under_control", author=account,
                                 direct_staff_costs=Decimal("1234.56"), flat_rate_costs=Decimal("493.82"),
                                 total_eligible=Decimal("1728.38"), esf_due=Decimal("1037.03"),
                                 data={"referents": []}, sample_seed=7, sample_size=1,
                                 computed_at=datetime.datetime(2025, 7, 1, 9, tzinfo=datetime.UTC))
    ClaimTransition.objects.create(claim=claim, transition="submit", to_state="submitted", by=account)
    ClaimSampleItem.objects.create(claim=claim, participation=Participation.objects.order_by("pk").first(),
                                   outcome="checked", checked_by=account,
                                   checked_at=datetime.datetime(2025, 7, 2, 9, tzinfo=datetime.UTC))
    # The employers' portfolio: an employer, a contact, an exchange, an offer and a candidacy with its log
    # (docs/employers.md).
    from parcours.employers.models import (
        Candidacy, CandidacyTransition, Employer, EmployerContact, EmployerExchange, EventInvitation, JobOffer,
        RecruitmentEvent, Sponsorship, SponsorshipMeeting,
    )

    employer = Employer.objects.create(territory=operation.beneficiary.territory, siret="73282932000074",
                                       name="Propreté Volcans", naf_division="81", naf_section="N", size_band="small",
                                       partner_status="partner", partner_since=datetime.date(2024, 5, 2),
                                       created_by=account)
    contact = EmployerContact.objects.create(employer=employer, name="Claire Martin", job_title="RH")
    EmployerExchange.objects.create(employer=employer, kind="visit", date=datetime.date(2025, 1, 8), contact=contact,
                                    summary="Visite", by=account)
    offer = JobOffer.objects.create(employer=employer, title="Agent·e de propreté", rome_code="K2204",
                                    contract_type="cdi", hours_per_week=Decimal("24.5"), places=2,
                                    opens_on=datetime.date(2025, 1, 8), social_clause=True, created_by=account)
    candidacy = Candidacy.objects.create(offer=offer, pathway=positioning.pathway, status="presented",
                                         proposed_by=account, last_news_on=datetime.date(2025, 1, 9),
                                         followup_contact=contact)
    CandidacyTransition.objects.create(candidacy=candidacy, transition="propose", to_state="proposed", by=account)
    event = RecruitmentEvent.objects.create(territory=employer.territory, kind="job_dating", title="Job dating",
                                            date=datetime.date(2025, 2, 4), created_by=account)
    event.employers.add(employer)
    EventInvitation.objects.create(event=event, pathway=positioning.pathway, invited_by=account, attended=True,
                                   outcome="interview", outcome_employer=employer, comment="Entretien le 10")
    sponsorship = Sponsorship.objects.create(pathway=positioning.pathway, employer=employer, sponsor_name="Hélène Roux",
                                             started_on=datetime.date(2025, 1, 6), started_by=account)
    SponsorshipMeeting.objects.create(sponsorship=sponsorship, date=datetime.date(2025, 1, 20), summary="Visite",
                                      by=account)

    # Every timestamp column holds a value whose microseconds are not whole milliseconds (nullable ones too).
    for index, (model, field) in enumerate(_times()):
        row = model._default_manager.order_by("pk").first()
        value = datetime.datetime(2025, 3, 14, 15, 9, 26, MICROSECONDS + index, tzinfo=datetime.UTC)
        if isinstance(field, models.TimeField):
            value = value.time()
        values = {field.name: value}
        if model is ApiToken and field.name == "revoked_at":
            values["revoked_reason"] = "holder"     # a revoked token says why (a database constraint)
        model._default_manager.filter(pk=row.pk).update(**values)


def test_the_round_trip_is_exact_for_every_table_row_and_column(tmp_path, monkeypatch):
    _fill(monkeypatch)
    before = _database()
    empty = sorted(label for label, rows in before.items() if not rows)
    assert not empty, f"tables with no row: the round trip would not be checked on them: {empty}"
    coarse = [f"{m._meta.label_lower}.{f.name}" for m, f in _times()
              if not any(getattr(v, "microsecond", 0) % 1000
                         for v in m._default_manager.values_list(f.attname, flat=True))]
    assert not coarse, f"timestamp columns without sub-millisecond values: {coarse}"
    documents = {d.file.name: d.file.read() for d in Document.objects.order_by("pk")}
    assert documents

    archive = tmp_path / "sauvegarde.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    call_command("flush", interactive=False, verbosity=0)
    for name in documents:
        default_storage.delete(name)
    call_command("restore", str(archive), stdout=io.StringIO())

    after = _database()
    assert sorted(after) == sorted(before)
    for label in before:
        assert len(after[label]) == len(before[label]), label
        for old, new in zip(before[label], after[label], strict=True):
            assert new == old, f"{label}: row changed by the round trip"
    for name, content in documents.items():
        assert default_storage.open(name).read() == content


def test_every_table_but_the_rebuilt_ones_is_backed_up():
    kept = {m._meta.label_lower for m in backed_up_models()}
    left_out = {m._meta.label_lower for m in apps.get_models() if not m._meta.proxy} - kept
    assert left_out == {"contenttypes.contenttype", "auth.permission", "sessions.session", "accounts.usersession"}
    assert set(EXCLUDED) == {"contenttypes", "auth.permission", "sessions", "accounts.usersession"}


def test_the_backup_serialisation_keeps_microseconds():
    """Django's own JSON cuts them (ECMA-262): the reason the backup has its own format."""
    participant = factories.ParticipantFactory()
    exact = datetime.datetime(2025, 3, 14, 15, 9, 26, MICROSECONDS, tzinfo=datetime.UTC)
    Participant.objects.filter(pk=participant.pk).update(archived_at=exact)
    rows = Participant.objects.filter(pk=participant.pk)
    assert next(deserialize("json", serialize("json", rows))).object.archived_at != exact
    assert next(deserialize("exactjson", serialize("exactjson", rows))).object.archived_at == exact
    assert ExactJSONEncoder().default(datetime.time(9, 5, 1, MICROSECONDS)) == "09:05:01.123457"


# --- Refusals ---------------------------------------------------------------------------------------------------

def test_restore_refuses_a_non_empty_database_and_force_replaces_it(tmp_path, coordinator):
    archive = tmp_path / "s.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _database()
    factories.ParticipantFactory()
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert _database() == before


def test_a_load_that_fails_after_the_flush_leaves_the_database_as_it_was(tmp_path, coordinator, monkeypatch):
    archive = tmp_path / "s.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    factories.ParticipantFactory()
    before = _database()
    real = backup.call_command

    def failing_load(name, *args, **kwargs):
        if name == "loaddata":
            raise RuntimeError("the load failed (disk full)")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(backup, "call_command", failing_load)
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("restore", str(archive), "--force")
    assert _database() == before


def test_restore_refuses_a_foreign_file(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        (tmp_path / "a.txt").write_text("x")
        tar.add(tmp_path / "a.txt", arcname="a.txt")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="pas une sauvegarde chiffrée de Parcours"):
        call_command("restore", str(bogus))


# --- Encryption -------------------------------------------------------------------------------------------------

@pytest.fixture
def secrets_in_the_database(coordinator, referent):
    """A second-factor key, an API token and a person's name: what a stolen backup must not reveal."""
    enrol(coordinator)
    device = twofactor.pending_totp_device(referent)
    twofactor.enrolment_confirm(referent, device)
    token_digest = ApiToken.digest_of(factories.api_token(coordinator))
    person = factories.ParticipantFactory(last_name="Quenouillère")
    document = Document(participant=person, kind="cv", title="CV", content_type="text/plain", size=27,
                        uploaded_by=referent)
    document.file.save("cv.txt", ContentFile(b"Curriculum de Quenouillere"), save=True)
    return {"totp": device.key, "token": token_digest, "name": "Quenouillère", "document": "Curriculum de Quenouillere"}


def test_the_backup_file_is_encrypted(tmp_path, secrets_in_the_database):
    archive = tmp_path / "s.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    content = archive.read_bytes()
    assert not content.startswith(b"\x1f\x8b") and not tarfile.is_tarfile(archive)
    for name, secret in secrets_in_the_database.items():
        assert secret.encode() not in content, name
        assert secret.encode("utf-16-le") not in content, name


def _database_and_documents() -> tuple:
    root = Path(default_storage.location)
    return _database(), sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def test_a_wrong_key_is_refused_and_nothing_is_written(tmp_path, settings, secrets_in_the_database):
    archive = tmp_path / "s.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    settings.PARCOURS_BACKUP_KEY = backup_key_generate()
    before = _database_and_documents()
    with pytest.raises(CommandError, match="La clé ne correspond pas") as refusal:
        call_command("restore", str(archive), "--force")
    assert "Rien n'a été restauré" in str(refusal.value)
    assert _database_and_documents() == before


@pytest.mark.parametrize("damage", ["one byte of the content", "the tag", "the header's nonce", "cut short"])
def test_a_tampered_file_is_refused_and_nothing_is_written(tmp_path, secrets_in_the_database, damage):
    archive = tmp_path / "s.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    content = bytearray(archive.read_bytes())
    if damage == "cut short":
        content = content[:len(content) // 2]
    else:
        index = {"one byte of the content": len(content) // 2, "the tag": len(content) - 1,
                 "the header's nonce": 30}[damage]
        content[index] ^= 0x01
    archive.write_bytes(bytes(content))
    Participant.objects.update(first_name="Après la sauvegarde")
    before = _database_and_documents()
    with pytest.raises(CommandError, match="incomplète ou a été modifiée : restauration refusée, rien n'a été écrit"):
        call_command("restore", str(archive), "--force")
    assert _database_and_documents() == before


def test_a_missing_key_is_named_in_french(tmp_path, settings):
    settings.PARCOURS_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="Clé de sauvegarde absente.*PARCOURS_BACKUP_KEY_FILE"):
        call_command("backup", str(tmp_path / "s.parcours"))
    assert not list(tmp_path.iterdir())
    (tmp_path / "s.parcours").write_bytes(b"x")
    with pytest.raises(CommandError, match="Clé de sauvegarde absente.*parcours backup-key"):
        call_command("restore", str(tmp_path / "s.parcours"))


def test_an_unreadable_key_is_refused(tmp_path, settings):
    settings.PARCOURS_BACKUP_KEY = "trop-courte"
    with pytest.raises(CommandError, match="La clé de sauvegarde lue dans PARCOURS_BACKUP_KEY est illisible"):
        call_command("backup", str(tmp_path / "s.parcours"))
    settings.PARCOURS_BACKUP_KEY_FILE = str(tmp_path / "absente.key")
    with pytest.raises(CommandError, match="absente.key » ne peut pas être lu"):
        call_command("backup", str(tmp_path / "s.parcours"))


def test_backup_key_makes_a_private_key_file_that_backs_up_and_restores(tmp_path, settings, coordinator):
    key_file = tmp_path / "sauvegarde.key"
    out = io.StringIO()
    call_command("backup_key", str(key_file), stdout=out)
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert "PARCOURS_BACKUP_KEY_FILE" in out.getvalue()
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup_key", str(key_file))

    settings.PARCOURS_BACKUP_KEY = ""
    settings.PARCOURS_BACKUP_KEY_FILE = str(key_file)
    archive = tmp_path / "s.parcours"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _database()
    call_command("flush", interactive=False, verbosity=0)
    # After a rotation the old key is given explicitly; the new one (in the setting) does not open this backup.
    call_command("backup_key", str(tmp_path / "nouvelle.key"), stdout=io.StringIO())
    settings.PARCOURS_BACKUP_KEY_FILE = str(tmp_path / "nouvelle.key")
    with pytest.raises(CommandError, match="La clé ne correspond pas"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--key-file", str(key_file), stdout=io.StringIO())
    assert _database() == before
