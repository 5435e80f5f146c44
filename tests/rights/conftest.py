"""A participant's complete file (every kind of data the export covers), built for the rights tests."""

import datetime

import pytest
from django.core.files.base import ContentFile

from parcours.audit.models import AuditEvent
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
from parcours.participants.models import Document
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, BarrierReview, Note, PathwayTransition, Step
from parcours.plie.models import EngagementContract
from tests import factories

TODAY = datetime.date.today()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def add_document(participant, user, *, pathway=None, name="cv.pdf", content=b"%PDF-1.4 cv", kind="cv"):
    document = Document(participant=participant, pathway=pathway, kind=kind, title=f"Document {name}",
                        content_type="application/pdf", size=len(content), uploaded_by=user)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def build_file(*, participant=None, entered=True, operator, referent, coordinator, prescriber, prescriber_org,
               volume: int = 1):
    """A pathway with everything hanging on it; `volume` multiplies the repeated rows."""
    participant = participant or factories.ParticipantFactory(territory=operator.territory)
    status = PathwayStatus.ACTIVE if entered else PathwayStatus.REFUSED
    pathway = factories.PathwayFactory(
        participant=participant, operator=operator, referent=referent, status=status,
        decision="admitted" if entered else "refused", commission_date=days_ago(90),
        entry_date=days_ago(80) if entered else None, assigned_at=days_ago(110),
    )
    scan = add_document(participant, prescriber, pathway=pathway, name="candidature.pdf",
                        content=b"%PDF-1.4 candidature", kind="signed_application")
    Application.objects.create(
        pathway=pathway, prescriber_organisation=prescriber_org, prescribed_by=prescriber, situations=["rsa"],
        barriers_seen=["mobility", "housing"], motivation="Retrouver un emploi stable.",
        participant_signed_on=days_ago(121), prescriber_signed_on=days_ago(120), signed_scan=scan,
        eligibility={"eligible": True},
    )
    Assessment.objects.create(pathway=pathway, strengths="Ponctuelle.", recommendations="Formation CACES.",
                              completed_on=days_ago(95), author=referent)
    commission = Commission.objects.get_or_create(territory=operator.territory, date=days_ago(90))[0]
    CommissionDecision.objects.create(commission=commission, pathway=pathway,
                                      outcome="admitted" if entered else "refused",
                                      motive="" if entered else "Hors critères.", decided_by=coordinator)
    if entered:
        EngagementContract.objects.create(
            pathway=pathway, objectives="Emploi durable.", participant_commitments="Venir aux rendez-vous.",
            referent_commitments="Accompagner.", plie_commitments="Financer.", participant_signed_on=days_ago(80),
            referent_signed_on=days_ago(80), director_signed_on=days_ago(80), director=coordinator)
    for n in range(volume):
        ReceptionInterview.objects.create(pathway=pathway, date=days_ago(115 - n), mode="in_person",
                                          duration_minutes=45, place="Agence", referent=referent,
                                          summary=f"Entretien {n}")
        BarrierReview.objects.create(pathway=pathway, barrier="mobility", level="major", reviewed_on=days_ago(95 - n),
                                     comment=f"Revue {n}", reviewed_by=referent)
        Appointment.objects.create(pathway=pathway, date=days_ago(70 - n), mode="phone", duration_minutes=30,
                                   referent=referent, summary=f"Point {n}")
        Note.objects.create(pathway=pathway, author=referent, body=f"Note {n}")
        PathwayTransition.objects.create(pathway=pathway, transition="assign", from_state="submitted",
                                         to_state="assigned", by=coordinator)
        if entered:
            Step.objects.create(pathway=pathway, step_type="training_qualifying", start_date=days_ago(60 - n),
                                operator_name="AFPA")
        add_document(participant, referent, pathway=pathway, name=f"piece-{n}.pdf", content=f"piece {n}".encode())
        AuditEvent.objects.create(actor=referent, action="note_create", object_type="pathways.note",
                                  object_id=str(n), participant_id=participant.pk, changes={"body": [None, f"Note {n}"]})
    return participant, pathway


@pytest.fixture
def full_file(operator, referent, coordinator, prescriber, prescriber_org):
    return build_file(operator=operator, referent=referent, coordinator=coordinator, prescriber=prescriber,
                      prescriber_org=prescriber_org)


@pytest.fixture
def never_entered(operator, referent, coordinator, prescriber, prescriber_org):
    return build_file(entered=False, operator=operator, referent=referent, coordinator=coordinator,
                      prescriber=prescriber, prescriber_org=prescriber_org)
