"""Data retention (docs/security.md): archive files without contact for 2 years, anonymise them later, purge logs.

Archived files leave the everyday querysets: `participants.access.archived_hidden`, applied by every app's access.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateField, Exists, F, Max, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone


from parcours.audit.models import AccessLog, AuditEvent, RefusedAccess
from parcours.audit.services import audit_record

FAR_PAST = datetime.date(1900, 1, 1)


def participants_last_contact() -> QuerySet:
    """Participants annotated with `last_contact`: the latest date anything happened on their pathways (or in their
    Mission Locale file)."""
    from parcours.participants.models import Participant

    dates = [Max(f"pathways__{name}") for name in
             ("last_contact_date", "exit_date", "application_date", "entry_date", "commission_date")]
    dates.append(Max("pathways__appointments__date"))
    # A young person of the Mission Locale counts from their file's first reception and latest event (docs/youth.md).
    dates += [Max("youth_file__first_reception_date"), Max("youth_file__events__date")]
    # A person without any dated pathway counts from the creation of their file.
    return Participant.objects.annotate(
        pathway_contact=Greatest(*[Coalesce(d, Value(FAR_PAST), output_field=DateField()) for d in dates]),
    ).annotate(last_contact=Case(When(pathway_contact=FAR_PAST, then=Cast("created_at", DateField())),
                                 default=F("pathway_contact"), output_field=DateField()))


@dataclass
class RetentionReport:
    archived: int = 0
    open_pathways_skipped: int = 0
    anonymised: int = 0
    documents_deleted: int = 0
    notes_deleted: int = 0
    access_logs_purged: int = 0
    refused_accesses_purged: int = 0
    login_failures_purged: int = 0
    form_submissions_purged: int = 0
    files_to_delete: list[str] = field(default_factory=list)


def _month(day):
    return day.replace(day=1) if day else day


def participant_anonymise(participant, report: RetentionReport) -> None:
    """Keep what statistics need (year of birth, sex, commune, QPV, situations, months, counts); drop the rest."""
    from parcours.plie.commissions.models import CommissionDecision
    from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
    from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, PathwayTransition, Step
    from parcours.plie.models import EngagementContract

    pathways = Pathway.objects.filter(participant=participant)
    for document in participant.documents.all():
        if document.file:
            report.files_to_delete.append(document.file.name)
    report.documents_deleted += participant.documents.all().delete()[0]
    report.notes_deleted += Note.objects.filter(pathway__in=pathways).delete()[0]
    Appointment.objects.filter(pathway__in=pathways).update(summary="", place="", external_ref="")
    for appointment in Appointment.objects.filter(pathway__in=pathways):
        Appointment.objects.filter(pk=appointment.pk).update(date=_month(appointment.date))
    for step in Step.objects.filter(pathway__in=pathways):
        Step.objects.filter(pk=step.pk).update(comment="", external_ref="", start_date=_month(step.start_date),
                                               end_date=_month(step.end_date))
    BarrierReview.objects.filter(pathway__in=pathways).update(comment="")
    ReceptionInterview.objects.filter(pathway__in=pathways).update(summary="", place="")
    Assessment.objects.filter(pathway__in=pathways).update(strengths="", professional_project="", recommendations="")
    CommissionDecision.objects.filter(pathway__in=pathways).update(motive="")
    PathwayTransition.objects.filter(pathway__in=pathways).update(data={})
    for contract in EngagementContract.objects.filter(pathway__in=pathways):
        EngagementContract.objects.filter(pk=contract.pk).update(
            objectives="", participant_commitments="", referent_commitments="", plie_commitments="",
            participant_signed_on=_month(contract.participant_signed_on),
            referent_signed_on=_month(contract.referent_signed_on),
            director_signed_on=_month(contract.director_signed_on))
    for application in Application.objects.filter(pathway__in=pathways):
        Application.objects.filter(pk=application.pk).update(
            motivation="", participant_signed_on=_month(application.participant_signed_on),
            prescriber_signed_on=_month(application.prescriber_signed_on))
    for pathway in pathways:
        Pathway.objects.filter(pk=pathway.pk).update(
            external_ref="", referent_ref="", version=pathway.version + 1,
            **{name: _month(getattr(pathway, name)) for name in
               ("application_date", "commission_date", "entry_date", "exit_date", "last_contact_date",
                "assigned_at")})
    # The change history held the old values: only the fact that something changed remains.
    AuditEvent.objects.filter(participant_id=participant.pk).update(changes={})
    birth = participant.birth_date
    type(participant).objects.filter(pk=participant.pk).update(
        last_name="", first_name="", birth_name="", email="", phone="", address="", postal_code="", external_ref="",
        birth_date=datetime.date(birth.year, 7, 1), anonymised_at=timezone.now(), version=participant.version + 1)
    audit_record(actor=None, action="participant_anonymised", obj=participant, participant_id=participant.pk)
    report.anonymised += 1


def retention_apply(*, today: datetime.date | None = None, dry_run: bool = False) -> RetentionReport:
    """Archive, anonymise and purge in one transaction (rolled back when `dry_run`); files go after commit."""
    from parcours.accounts.models import LoginFailure
    from parcours.accounts.submissions import form_submissions_purge
    from parcours.plie.enums import IN_PATHWAY_STATES

    now = timezone.now()
    today = today or timezone.localdate()
    report = RetentionReport()
    with transaction.atomic():
        quiet = participants_last_contact().filter(
            archived_at__isnull=True,
            last_contact__lt=today - datetime.timedelta(days=settings.PARCOURS_ARCHIVE_AFTER_DAYS))
        has_open = Exists(_open_pathways(IN_PATHWAY_STATES))
        report.open_pathways_skipped = quiet.filter(has_open).count()
        for participant in quiet.exclude(has_open).order_by("pk"):
            type(participant).objects.filter(pk=participant.pk).update(archived_at=now)
            audit_record(actor=None, action="participant_archived", obj=participant, participant_id=participant.pk)
            report.archived += 1

        from parcours.participants.models import Participant

        due = Participant.objects.filter(
            anonymised_at__isnull=True,
            archived_at__lte=now - datetime.timedelta(days=settings.PARCOURS_ANONYMISE_AFTER_DAYS))
        for participant in due.order_by("pk"):
            participant_anonymise(participant, report)

        log_limit = now - datetime.timedelta(days=settings.PARCOURS_ACCESS_LOG_RETENTION_DAYS)
        report.access_logs_purged = AccessLog.objects.filter(at__lt=log_limit).delete()[0]
        report.refused_accesses_purged = RefusedAccess.objects.filter(at__lt=log_limit).delete()[0]
        report.login_failures_purged = LoginFailure.objects.filter(at__lt=log_limit).delete()[0]
        report.form_submissions_purged = form_submissions_purge(now=now)
        if dry_run:
            transaction.set_rollback(True)
        else:
            files = list(report.files_to_delete)
            transaction.on_commit(lambda: _files_delete(files))
    return report


def _open_pathways(states):
    from parcours.pathways.models import Pathway

    return Pathway.objects.filter(participant=OuterRef("pk"), status__in=states)


def _files_delete(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
