"""Rights of the person (RGPD, CNIL deliberation 2021-028): access and portability, rectification, erasure.

Selectors read through `organisations.access`; services run in one transaction and leave an audit row.
See docs/privacy.md for the rules and their reasons.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.models import AccessLog, AuditEvent
from parcours.audit.services import access_log_record, audit_record, model_snapshot
from parcours.plie.commissions.models import CommissionDecision
from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
from parcours.pathways.access import participants_visible_to
from parcours.organisations.models import Membership, User
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, Step
from parcours.plie.models import EngagementContract

from parcours.organisations.capabilities import RIGHTS_ERASE, RIGHTS_MANAGE
from parcours.organisations.scope import organisation_ids_with
from parcours.participants.models import Document, Participant
from parcours.participants.services import participant_situations_write
from parcours.programmes.registry import criteria_catalogue

# The person's own fields; their situation criteria (the programmes', programmes.registry) are rectified too.
RECTIFIABLE_FIELDS = [
    "last_name", "first_name", "birth_name", "sex", "birth_date", "email", "phone", "address", "postal_code",
    "commune", "qpv", "education_level",
]


def rectifiable_criteria() -> list[str]:
    """The criterion codes a rectification may set: those of every registered programme."""
    return list(criteria_catalogue())


def _situations_held(person: Participant) -> dict[str, bool | None]:
    """Every criterion of the catalogue (None when unknown), then any code held that no programme declares now:
    the export says all that is held."""
    held = person.situation_values()
    return {**{code: held.get(code) for code in criteria_catalogue()}, **held}

EXPORT_FORMAT = "parcours/export-droit-d-acces"
EXPORT_FORMAT_VERSION = 1


class StaleVersion(Exception):
    """The record changed since the form was loaded; `current` is the record as it is now."""

    def __init__(self, current: Participant):
        super().__init__("stale version")
        self.current = current


def stale_message() -> str:
    return _("Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. Vos saisies sont "
             "conservées ci-dessous : comparez-les aux valeurs actuelles du dossier, puis enregistrez à nouveau.")


# --- Selectors ---------------------------------------------------------------------------------------------------

def participant_rights_scope(user: User) -> QuerySet:
    """Participants whose rights `user` may handle: the team's territory, a referent's own structure.

    Starts from `participants_visible_to`; a user who may handle rights but not decide an erasure (a referent) is
    narrowed to the pathways of their own structures.
    """
    if not user.is_authenticated or not user.can(RIGHTS_MANAGE):
        return Participant.objects.none()
    visible = participants_visible_to(user)
    if user.can(RIGHTS_ERASE):
        return visible
    own = Pathway.objects.filter(participant=OuterRef("pk")).filter(
        operator_id__in=organisation_ids_with(user, RIGHTS_MANAGE, without=RIGHTS_ERASE))
    return visible.filter(Exists(own))


def participant_can_erase(user: User) -> bool:
    return user.is_authenticated and user.can(RIGHTS_ERASE)


def _count(model, path: str):
    rows = (model.objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
            .annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


ERASURE_COUNTED = [
    ("pathways", Pathway, "participant"),
    ("applications", Application, "pathway__participant"),
    ("reception_interviews", ReceptionInterview, "pathway__participant"),
    ("assessments", Assessment, "pathway__participant"),
    ("barrier_reviews", BarrierReview, "pathway__participant"),
    ("commission_decisions", CommissionDecision, "pathway__participant"),
    ("contracts", EngagementContract, "pathway__participant"),
    ("steps", Step, "pathway__participant"),
    ("appointments", Appointment, "pathway__participant"),
    ("notes", Note, "pathway__participant"),
    ("documents", Document, "participant"),
    ("access_logs", AccessLog, "participant"),
    ("audit_events", AuditEvent, "participant_id"),
]


def participant_erasure_counts(participant: Participant) -> dict[str, int]:
    """What an erasure would delete, counted in one query; `entered` tells whether the person entered the PLIE."""
    # Prefixed: "pathways" or "documents" would clash with the reverse relations of the model.
    annotations = {f"n_{key}": _count(model, path) for key, model, path in ERASURE_COUNTED}
    annotations["n_entered"] = Exists(Pathway.objects.filter(participant=OuterRef("pk"), entry_date__isnull=False))
    row = Participant.objects.filter(pk=participant.pk).annotate(**annotations).values(*annotations).get()
    return {key.removeprefix("n_"): value for key, value in row.items()}


def participant_erasure_refusal(*, entered: bool) -> str | None:
    """Why erasure is refused, or None when the law allows it (the person never entered the PLIE)."""
    if entered:
        return _("Cette personne est entrée dans le PLIE : son dossier ne peut pas être effacé. Le PLIE doit le "
                 "conserver pour les obligations de contrôle du Fonds social européen (FSE+). La politique de "
                 "conservation s'applique : archivage à la fin de la durée d'utilité, puis anonymisation.")
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(obj, names: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


class _Actors:
    """Users named in the export, loaded in two queries, shown by name and structure."""

    def __init__(self, ids: set[int]):
        memberships = Membership.objects.filter(is_active=True).select_related("organisation") \
            .order_by("organisation__name")
        users = User.objects.filter(pk__in=[i for i in ids if i]).prefetch_related(
            Prefetch("memberships", queryset=memberships))
        self.by_id = {
            user.pk: {
                "id": user.pk,
                "name": user.get_full_name() or user.email,
                "structures": sorted({m.organisation.name for m in user.memberships.all()}),
            }
            for user in users
        }

    def __call__(self, user_id: int | None) -> dict | None:
        return self.by_id.get(user_id) if user_id else None


def participant_export_data(*, participant: Participant, by: User) -> dict[str, Any]:
    """Everything held about one person, as plain data (JSON-ready); a constant number of queries."""
    return _export_data(participant, by)[0]


def _export_data(participant: Participant, by: User) -> tuple[dict[str, Any], list[Document]]:
    person = Participant.objects.select_related("commune", "qpv", "territory").get(pk=participant.pk)
    pathways = list(
        Pathway.objects.filter(participant=person)
        .select_related("operator", "application__prescriber_organisation", "assessment", "contract")
        .prefetch_related(
            "reception_interviews",
            Prefetch("commission_decisions",
                     queryset=CommissionDecision.objects.select_related("commission").order_by("commission__date", "pk")),
            "steps", "appointments", "followups", "barrier_reviews",
            Prefetch("notes", queryset=Note.objects.order_by("created_at", "pk")),
            "transitions",
        )
        .order_by("application_date", "pk")
    )
    documents = list(person.documents.order_by("uploaded_at", "pk"))
    events = list(AuditEvent.objects.filter(participant_id=person.pk).order_by("at", "pk"))

    user_ids = {by.pk} | {d.uploaded_by_id for d in documents} | {e.actor_id for e in events}
    for pathway in pathways:
        user_ids.add(pathway.referent_id)
        application = _related(pathway, "application")
        assessment = _related(pathway, "assessment")
        contract = _related(pathway, "contract")
        user_ids |= {application and application.prescribed_by_id, assessment and assessment.author_id,
                     contract and contract.director_id}
        user_ids |= {i.referent_id for i in pathway.reception_interviews.all()}
        user_ids |= {d.decided_by_id for d in pathway.commission_decisions.all()}
        user_ids |= {a.referent_id for a in pathway.appointments.all()}
        user_ids |= {r.reviewed_by_id for r in pathway.barrier_reviews.all()}
        user_ids |= {n.author_id for n in pathway.notes.all()}
        user_ids |= {t.by_id for t in pathway.transitions.all()}
        user_ids |= {f.closed_by_id for f in pathway.followups.all()}
    actor = _Actors({i for i in user_ids if i})

    data = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": _plain(timezone.now()),
        "generated_by": actor(by.pk),
        "participant": {
            **_fields(person, ["id", "external_ref", "last_name", "first_name", "birth_name", "sex", "birth_date",
                               "email", "phone", "address", "postal_code", "education_level"]),
            "territory": person.territory.name,
            "commune": {"insee": person.commune.insee, "name": person.commune.name} if person.commune else None,
            "qpv": {"code": person.qpv.code, "name": person.qpv.name} if person.qpv else None,
            **_fields(person, ["created_at", "updated_at", "archived_at"]),
        },
        "situation_at_entry": _situations_held(person),
        "pathways": [_pathway_data(pathway, actor) for pathway in pathways],
        "documents": [
            {**_fields(doc, ["id", "kind", "title", "content_type", "size", "uploaded_at", "pathway_id"]),
             "uploaded_by": actor(doc.uploaded_by_id), "file": None}
            for doc in documents
        ],
        "audit_events": [
            {**_fields(event, ["at", "action", "object_type", "object_id"]), "actor": actor(event.actor_id),
             "changes": event.changes}
            for event in events
        ],
    }
    return data, documents


def _related(obj, name: str):
    """A reverse one-to-one already selected (select_related), or None."""
    return getattr(obj, name, None)


def _pathway_data(pathway: Pathway, actor: _Actors) -> dict[str, Any]:
    application = _related(pathway, "application")
    assessment = _related(pathway, "assessment")
    contract = _related(pathway, "contract")
    reviews = list(pathway.barrier_reviews.all())
    first_reviews: dict[str, BarrierReview] = {}
    for review in reviews:
        first_reviews.setdefault(review.barrier, review)
    return {
        **_fields(pathway, ["id", "external_ref", "status", "entry_route", "referent_ref", "assigned_at",
                            "prescriber_type", "application_date", "commission_date", "decision", "entry_date",
                            "exit_date", "exit_reason", "last_contact_date"]),
        "operator": pathway.operator.name if pathway.operator else None,
        "referent": actor(pathway.referent_id),
        "application": None if application is None else {
            **_fields(application, ["situations", "barriers_seen", "motivation", "participant_signed_on",
                                    "prescriber_signed_on", "eligibility", "created_at"]),
            "prescriber_organisation": application.prescriber_organisation.name,
            "prescribed_by": actor(application.prescribed_by_id),
            "signed_scan_document_id": application.signed_scan_id,
        },
        "reception_interviews": [
            {**_fields(i, ["date", "mode", "duration_minutes", "place", "summary"]), "referent": actor(i.referent_id)}
            for i in pathway.reception_interviews.all()
        ],
        "assessment": None if assessment is None else {
            **_fields(assessment, ["strengths", "professional_project", "recommendations", "completed_on"]),
            "author": actor(assessment.author_id),
            "initial_barrier_reviews": [_review_data(r, actor) for r in first_reviews.values()],
        },
        "commission_decisions": [
            {"commission_date": _plain(d.commission.date), **_fields(d, ["outcome", "motive", "reoriented_to"]),
             "decided_by": actor(d.decided_by_id)}
            for d in pathway.commission_decisions.all()
        ],
        "contract": None if contract is None else {
            **_fields(contract, ["objectives", "participant_commitments", "referent_commitments", "plie_commitments",
                                 "participant_signed_on", "referent_signed_on", "director_signed_on"]),
            "director": actor(contract.director_id),
        },
        "steps": [
            _fields(s, ["id", "step_type", "start_date", "end_date", "operator_name", "employer_siret",
                        "contract_type", "social_clause", "hours", "comment"])
            for s in pathway.steps.all()
        ],
        "employment_followups": [
            {**_fields(f, ["step_id", "started_on", "due_on", "status", "closed_on"]), "closed_by": actor(f.closed_by_id)}
            for f in pathway.followups.all()
        ],
        "appointments": [
            {**_fields(a, ["date", "kind", "mode", "duration_minutes", "place", "summary"]),
             "referent": actor(a.referent_id)}
            for a in pathway.appointments.all()
        ],
        "barrier_reviews": [_review_data(r, actor) for r in reviews],
        "notes": [{**_fields(n, ["created_at", "body"]), "author": actor(n.author_id)} for n in pathway.notes.all()],
        "transitions": [
            {**_fields(t, ["at", "transition", "from_state", "to_state", "data", "system_actor"]), "by": actor(t.by_id)}
            for t in pathway.transitions.all()
        ],
    }


def _review_data(review: BarrierReview, actor: _Actors) -> dict[str, Any]:
    return {**_fields(review, ["barrier", "level", "reviewed_on", "comment"]), "reviewed_by": actor(review.reviewed_by_id)}


# --- Services ----------------------------------------------------------------------------------------------------

_SAFE_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


def export_filename(participant_id: int) -> str:
    """No personal data in the name: the database id and the day."""
    return f"export-participant-{participant_id}-{timezone.localdate().isoformat()}.zip"


def _document_name(index: int, document: Document) -> str:
    extension = os.path.splitext(document.file.name or "")[1].lower()
    if not _SAFE_EXTENSION.match(extension):
        extension = ""
    return f"documents/{index:03d}-{document.kind}{extension}"


def participant_export(*, participant: Participant, by: User) -> tuple[str, bytes]:
    """Build the access/portability ZIP (PDF, JSON, documents); the export is audited and logged as an access."""
    from .rights_pdf import render_export_pdf

    with transaction.atomic():
        data, loaded = _export_data(participant, by)
        documents = {d.pk: d for d in loaded}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, entry in enumerate(data["documents"], start=1):
                document = documents.get(entry["id"])
                if document is None or not document.file.name:
                    continue
                try:
                    with default_storage.open(document.file.name, "rb") as stored:
                        content = stored.read()
                except OSError:
                    continue  # listed in the JSON and the PDF with "file": null
                name = _document_name(index, document)
                archive.writestr(name, content)
                entry["file"] = name
            archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
            archive.writestr("donnees.pdf", render_export_pdf(data))
        filename = export_filename(participant.pk)
        audit_record(actor=by, action="rights_export", obj=participant, participant_id=participant.pk,
                     after={"file": filename, "documents": sum(1 for d in data["documents"] if d["file"])})
        access_log_record(user=by, participant_id=participant.pk, screen="rights_export")
    return filename, buffer.getvalue()


def _check_place(person: Participant) -> None:
    errors: dict[str, str] = {}
    if person.commune_id and person.commune.territory_id != person.territory_id:
        errors["commune"] = _("Cette commune n'appartient pas au territoire du PLIE.")
    if person.qpv_id:
        if person.qpv.territory_id != person.territory_id:
            errors["qpv"] = _("Ce quartier prioritaire n'appartient pas au territoire du PLIE.")
        elif person.commune_id and person.qpv.commune_id != person.commune_id:
            errors["qpv"] = _("Ce quartier prioritaire n'est pas situé dans la commune indiquée.")
    if errors:
        raise ValidationError(errors)


def participant_rectify(*, participant: Participant, by: User, expected_version: int,
                        values: dict[str, Any]) -> Participant:
    """Correct identity, contact data and situation criteria (`values` by field name or criterion code; a
    criterion None is unknown). Refused with StaleVersion if the file changed since `expected_version`."""
    catalogue = criteria_catalogue()
    unknown = set(values) - set(RECTIFIABLE_FIELDS) - set(catalogue)
    if unknown:
        raise TypeError(f"not rectifiable: {sorted(unknown)}")
    fields = {name: value for name, value in values.items() if name in RECTIFIABLE_FIELDS}
    situations = {code: value for code, value in values.items() if code in catalogue}
    bad = [code for code, value in situations.items() if value not in (True, False, None)]
    if bad:
        raise ValidationError({code: _("Répondez oui, non ou inconnu.") for code in bad})
    with transaction.atomic():
        current = Participant.objects.select_related("commune", "qpv").get(pk=participant.pk)
        if current.version != expected_version:
            raise StaleVersion(current)
        before = model_snapshot(current, RECTIFIABLE_FIELDS)
        for name, value in fields.items():
            setattr(current, name, value)
        _check_place(current)
        current.full_clean()
        now = timezone.now()
        updated = Participant.objects.filter(pk=current.pk, version=expected_version).update(
            **{name: getattr(current, name) for name in fields}, version=F("version") + 1, updated_at=now)
        if updated != 1:
            raise StaleVersion(Participant.objects.get(pk=current.pk))
        before.update(participant_situations_write(participant=current, values=situations, by=by))
        current.version, current.updated_at = expected_version + 1, now
        audit_record(actor=by, action="participant_rectify", obj=current, participant_id=current.pk,
                     before={**before, "version": expected_version},
                     after={**model_snapshot(current, RECTIFIABLE_FIELDS), **situations, "version": current.version})
    return current


def participant_erase(*, participant: Participant, by: User) -> dict[str, int]:
    """Delete everything about a person who never entered the PLIE; keep one anonymous audit event."""
    with transaction.atomic():
        person = Participant.objects.select_for_update().get(pk=participant.pk)
        pathways = Pathway.objects.filter(participant=person)
        list(pathways.select_for_update().values_list("pk", flat=True))  # no entry may slip in meanwhile
        counts = participant_erasure_counts(person)
        refusal = participant_erasure_refusal(entered=counts.pop("entered"))
        if refusal:
            raise ValidationError(refusal)
        files = [name for name in Document.objects.filter(participant=person).values_list("file", flat=True) if name]
        try:
            CommissionDecision.objects.filter(pathway__participant=person).delete()
            Document.objects.filter(participant=person).delete()
            pathways.delete()
            AuditEvent.objects.filter(participant_id=person.pk).delete()
            person.delete()  # access logs and possible-duplicate links cascade
        except (ProtectedError, RestrictedError) as error:
            raise ValidationError(_("D'autres données enregistrées dépendent de ce dossier : l'effacement est "
                                    "impossible. Signalez-le à l'administrateur·rice de Parcours.")) from error
        # Anonymous trace: who erased, when, how many rows; nothing that identifies the person.
        AuditEvent.objects.create(actor=by, action="participant_erase", object_type="participants.participant",
                                  object_id="", participant_id=None, changes={"erased": counts})
        transaction.on_commit(lambda: _delete_files(files))
    return counts


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
