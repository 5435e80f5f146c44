"""Writes of the intake: application, assignment, first reception, assessment, entry through a collective action.

Each service runs in one transaction, validates before saving, raises ValidationError with French
messages keyed by field, and writes its audit rows in the same transaction. State changes go
through `pathways.services.pathway_transition`; the two creations of a pathway are the workflow's creation
transitions (`submit`, `enter_collective_action`), applied by the engine's `transition_create`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.workflow import TransitionRefused, transition_create
from parcours.organisations.access import referents_assignable_by
from parcours.organisations.enums import PrescriberType
from parcours.organisations.capabilities import APPLICATION_MANAGE, APPLICATION_SUBMIT, TERRITORY_FILES
from parcours.organisations.models import Membership, Organisation, User
from parcours.organisations.scope import memberships_with
from parcours.participants.enums import Barrier, DocumentKind
from parcours.participants.models import Document, Participant
from parcours.participants.services import participant_situations_write
from parcours.pathways.enums import BarrierLevel, Decision, EntryRoute
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import BarrierReview, Pathway
from parcours.plie.enums import CLOSED_STATES
from parcours.pathways.services import pathway_transition
from parcours.plie.definition import SITUATION_CRITERIA, plie_programme_of, situations_refusal
from parcours.plie.workflow import PATHWAY_WORKFLOW
from parcours.plie.eligibility import EligibilityInputError, eligibility_decide

from .models import Application, Assessment, CollectiveActionEntry, ReceptionInterview

# Identity and contact fields of the person that an application or a collective entry records.
PERSON_FIELDS = ("last_name", "first_name", "birth_name", "sex", "birth_date", "email", "phone", "address",
                 "postal_code", "commune", "qpv", "education_level")
SITUATION_FLAGS = SITUATION_CRITERIA

# Leading bytes of the formats accepted for a signed scan (the declared type is not trusted).
SCAN_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def name_key(value: str) -> str:
    """A name compared without case, accents, spaces or hyphens (Lefèvre = LEFEVRE = le-fevre)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum())
    return letters.casefold()


def scan_check(upload: UploadedFile) -> tuple[str, str, int]:
    """The content type, extension (read from its first bytes) and size of a signed scan; ValidationError otherwise."""
    # An upload of unknown size is not stored: its size could not be checked.
    if upload.size is None or upload.size > settings.PARCOURS_DOCUMENT_MAX_BYTES:
        raise ValidationError({"signed_scan": _("Le fichier dépasse la taille maximale de %(size)s Mo.")
                               % {"size": settings.PARCOURS_DOCUMENT_MAX_BYTES // (1024 * 1024)}})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in SCAN_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension, upload.size
    raise ValidationError({"signed_scan": _("Le fichier doit être un PDF, un JPEG ou un PNG.")})


def _not_future(errors: dict, field: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        errors.setdefault(field, []).append(_("La date ne peut pas être dans le futur."))


def _unfinished_pathway(participant: Participant) -> Pathway | None:
    return participant.pathways.exclude(status__in=CLOSED_STATES).first()


def _person_check(territory_id: int, person: dict[str, Any], errors: dict) -> None:
    commune, qpv = person.get("commune"), person.get("qpv")
    if commune is not None and commune.territory_id != territory_id:
        errors.setdefault("commune", []).append(_("Cette commune n'appartient pas au territoire."))
    if qpv is not None:
        if qpv.territory_id != territory_id:
            errors.setdefault("qpv", []).append(_("Ce quartier n'appartient pas au territoire."))
        elif commune is not None and qpv.commune_id != commune.pk:
            errors.setdefault("qpv", []).append(_("Ce quartier prioritaire n'est pas situé dans la commune indiquée."))
    if not (person.get("last_name") or "").strip():
        errors.setdefault("last_name", []).append(_("Le nom est obligatoire."))
    if not (person.get("first_name") or "").strip():
        errors.setdefault("first_name", []).append(_("Le prénom est obligatoire."))


def _codes_check(errors: dict, field: str, codes: list[str], allowed: list[str], message: str) -> None:
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        errors.setdefault(field, []).append(message % {"codes": ", ".join(unknown)})


def _situations_check(errors: dict, situations: list[str]) -> None:
    refusal = situations_refusal(situations)
    if refusal:
        errors.setdefault("situations", []).append(refusal)


def _participant_write(*, by: User, territory_id: int, participant: Participant | None, person: dict[str, Any],
                       situations: list[str], deld: bool | None) -> Participant:
    """Create the person, or bring an existing file up to date (situation at this entry); audited."""
    before = model_snapshot(participant) if participant is not None else {}
    if participant is None:
        participant = Participant(territory_id=territory_id)
    for name in PERSON_FIELDS:
        if name in person:
            value = person[name]
            setattr(participant, name, value.strip() if isinstance(value, str) else value)
    if before:
        participant.version += 1
    participant.full_clean()
    participant.save()
    # The situation at this entry: each listed situation yes or no, DELD as given (None: unknown).
    values: dict[str, bool | None] = {code: code in situations for code in SITUATION_FLAGS}
    values["deld"] = deld
    situations_before = participant_situations_write(participant=participant, values=values, by=by)
    if before:
        before.update(situations_before)
    audit_record(actor=by, action="participant_update" if before else "participant_create", obj=participant,
                 participant_id=participant.pk, before=before, after={**model_snapshot(participant), **values})
    return participant


def duplicates_find(*, territory_id: int, last_name: str, first_name: str, birth_date: date,
                    exclude_pk: int | None = None) -> list[Participant]:
    """People of the territory with the same names (case and accents ignored) and birth date.

    The database narrows on the birth date (few people share one), Python compares the names, so
    the rule is the same on SQLite and PostgreSQL without an unaccent extension.
    """
    candidates = Participant.objects.filter(territory_id=territory_id, birth_date=birth_date)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    last, first = name_key(last_name), name_key(first_name)
    return [p for p in candidates
            if name_key(p.last_name) == last and name_key(p.first_name) == first]


def applications_waiting_from(*, organisation: Organisation, last_name: str, first_name: str,
                              birth_date: date) -> Application | None:
    """The structure's latest application for this person (names folded, birth date) still waiting for its
    decision, if any: sending the same person twice is most often a mistake."""
    last, first = name_key(last_name), name_key(first_name)
    waiting = (Application.objects.filter(prescriber_organisation=organisation, pathway__decision="",
                                          pathway__participant__birth_date=birth_date)
               .exclude(pathway__status__in=CLOSED_STATES)
               .select_related("pathway__participant").order_by("-pathway__application_date", "-pk"))
    return next((a for a in waiting if name_key(a.pathway.participant.last_name) == last
                 and name_key(a.pathway.participant.first_name) == first), None)


def may_prescribe_for(user: User, organisation: Organisation) -> bool:
    """A prescriber of the structure, or the PLIE team of its territory entering on its behalf."""
    return any(
        m.organisation_id == organisation.pk
        or m.grants(TERRITORY_FILES) and m.organisation.territory_id == organisation.territory_id
        for m in memberships_with(user, APPLICATION_SUBMIT)
    )


def application_submit(
    *,
    by: User,
    prescriber_organisation: Organisation,
    person: dict[str, Any],
    situations: list[str],
    deld: bool | None,
    barriers_seen: list[str],
    motivation: str,
    participant_signed_on: date,
    prescriber_signed_on: date,
    signed_scan: UploadedFile | None = None,
    participant: Participant | None = None,
    warn_if_sent_already: bool = False,
) -> Application:
    """Receive an application: the person (new, or `participant` for a re-entry), the pathway, the application.

    Ineligible applications are accepted (the PLIE decides); the eligibility decision and the
    possible duplicates are recorded on the application for the team. With `warn_if_sent_already` (the web form,
    until the prescriber confirms), an application of the same structure for the same person (names and birth
    date) still waiting for its decision refuses the sending with a warning on `confirm_sent_again`.
    """
    today = timezone.localdate()
    territory = prescriber_organisation.territory
    errors: dict[str, list[str]] = {}
    if not prescriber_organisation.is_active or not may_prescribe_for(by, prescriber_organisation):
        errors.setdefault("prescriber_organisation", []).append(
            _("Vous ne pouvez pas adresser de candidature au nom de cette structure."))
    _person_check(territory.pk, person, errors)
    _not_future(errors, "birth_date", person.get("birth_date"), today)
    _not_future(errors, "participant_signed_on", participant_signed_on, today)
    _not_future(errors, "prescriber_signed_on", prescriber_signed_on, today)
    _situations_check(errors, situations)
    _codes_check(errors, "barriers_seen", barriers_seen, Barrier.values, _("Frein inconnu : %(codes)s."))
    if not motivation.strip():
        errors.setdefault("motivation", []).append(_("Indiquez pourquoi le PLIE est proposé à la personne."))
    if warn_if_sent_already and not errors and person.get("birth_date"):
        earlier = applications_waiting_from(organisation=prescriber_organisation, last_name=person["last_name"],
                                            first_name=person["first_name"], birth_date=person["birth_date"])
        if earlier is not None:
            errors.setdefault("confirm_sent_again", []).append(
                _("Votre structure a déjà envoyé une candidature pour cette personne le %(date)s ; elle attend "
                  "la décision de la commission. Pour en envoyer une seconde quand même, cochez la case et "
                  "envoyez de nouveau.") % {"date": earlier.pathway.application_date.strftime("%d/%m/%Y")
                                            if earlier.pathway.application_date else "—"})
    if participant is not None:
        if participant.territory_id != territory.pk:
            errors.setdefault("participant", []).append(_("Cette personne n'est pas suivie sur ce territoire."))
        elif _unfinished_pathway(participant) is not None:
            errors.setdefault("participant", []).append(
                _("Cette personne a déjà une candidature ou un parcours en cours : une nouvelle candidature "
                  "n'est possible qu'après sa clôture."))
    scan_type = None
    if signed_scan is not None:
        try:
            scan_type = scan_check(signed_scan)
        except ValidationError as error:
            errors.update(error.message_dict)
    eligibility: dict = {}
    if not errors:
        try:
            decision = eligibility_decide(
                territory, reference_date=today, birth_date=person["birth_date"],
                commune_insee=person["commune"].insee if person.get("commune") else None,
                qpv_code=person["qpv"].code if person.get("qpv") else None, situations=situations)
        except EligibilityInputError as error:
            field_name = {"commune_insee": "commune", "qpv_code": "qpv"}.get(error.field, error.field)
            errors.setdefault(field_name, []).append(error.message)
        else:
            eligibility = {"reference_date": today.isoformat(), **decision.as_dict()}
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if participant is not None:
            # Re-check on the locked row: a concurrent submission for the same person acts once.
            participant = Participant.objects.select_for_update().get(pk=participant.pk)
            if _unfinished_pathway(participant) is not None:
                raise ValidationError({"participant": _("Cette personne a déjà une candidature ou un parcours en cours.")})
        duplicates = duplicates_find(territory_id=territory.pk, last_name=person["last_name"],
                                     first_name=person["first_name"], birth_date=person["birth_date"],
                                     exclude_pk=participant.pk if participant else None)
        participant = _participant_write(by=by, territory_id=territory.pk, participant=participant, person=person,
                                         situations=situations, deld=deld)
        pathway = Pathway(participant=participant, programme=plie_programme_of(territory.pk),
                          status=PathwayStatus.SUBMITTED, entry_route=EntryRoute.APPLICATION,
                          application_date=today,
                          prescriber_type=prescriber_organisation.prescriber_type or PrescriberType.OTHER)
        transition_create(PATHWAY_WORKFLOW, pathway, "submit", by=by,
                          data={"prescriber_organisation": prescriber_organisation,
                                "eligible": eligibility["eligible"]})
        application = Application(
            pathway=pathway, prescriber_organisation=prescriber_organisation, prescribed_by=by,
            situations=list(situations), barriers_seen=list(barriers_seen), motivation=motivation.strip(),
            participant_signed_on=participant_signed_on, prescriber_signed_on=prescriber_signed_on,
            eligibility=eligibility,
        )
        if signed_scan is not None and scan_type is not None:
            content_type, extension, size = scan_type
            document = Document(participant=participant, pathway=pathway, kind=DocumentKind.SIGNED_APPLICATION,
                                title=_("Dossier de candidature signé du %(date)s") % {"date": today.strftime("%d/%m/%Y")},
                                content_type=content_type, size=size, uploaded_by=by)
            # The stored name carries no personal data, only the format read from the content.
            document.file.save(f"candidature.{extension}", signed_scan, save=False)
            document.full_clean()
            document.save()
            application.signed_scan = document
            audit_record(actor=by, action="document_create", obj=document, participant_id=participant.pk,
                         after=model_snapshot(document, ["kind", "content_type", "size"]))
        application.full_clean()
        application.save()
        if duplicates:
            application.possible_duplicate_of.set(duplicates)
        audit_record(actor=by, action="pathway_create", obj=pathway, participant_id=participant.pk,
                     after=model_snapshot(pathway, ["status", "entry_route", "application_date", "prescriber_type"]))
        audit_record(actor=by, action="application_submit", obj=application, participant_id=participant.pk,
                     after=model_snapshot(application, ["prescriber_organisation_id", "prescribed_by_id",
                                                        "situations", "barriers_seen", "participant_signed_on",
                                                        "prescriber_signed_on"])
                     | {"eligible": eligibility["eligible"], "possible_duplicates": [p.pk for p in duplicates]})
    return application


def _assignable(by: User, membership: Membership) -> Membership:
    try:
        return referents_assignable_by(by).get(pk=membership.pk)
    except Membership.DoesNotExist:
        raise TransitionRefused(_("Cette personne n'est pas un·e référent·e que vous pouvez désigner.")) from None


def application_assign(*, pathway: Pathway, by: User, membership: Membership) -> Pathway:
    """Assign (or reassign, while still assigned) the application to a referent of an operator structure."""
    membership = _assignable(by, membership)
    with transaction.atomic():
        before = model_snapshot(pathway, ["status", "referent_id", "operator_id", "assigned_at"])
        pathway = pathway_transition(pathway=pathway, name="assign", by=by,
                                     data={"referent": membership.user, "operator": membership.organisation})
        audit_record(actor=by, action="pathway_assign", obj=pathway, participant_id=pathway.participant_id,
                     before=before, after=model_snapshot(pathway, ["status", "referent_id", "operator_id",
                                                                   "assigned_at"]))
    return pathway


def _intake_editable(pathway: Pathway, what: str) -> None:
    if pathway.status != PathwayStatus.ASSIGNED:
        raise TransitionRefused(
            _("%(what)s n'est possible que pour un dossier affecté à un·e référent·e, dont le bilan n'est pas clos "
              "(état actuel : « %(state)s »).") % {"what": what, "state": pathway.get_status_display()})


def reception_interview_record(*, pathway: Pathway, by: User, on: date, mode: str, duration_minutes: int,
                               place: str, summary: str) -> ReceptionInterview:
    """Record a first-reception interview, between the assignment and today."""
    _intake_editable(pathway, _("L'enregistrement d'un entretien de premier accueil"))
    errors: dict[str, list[str]] = {}
    _not_future(errors, "date", on, timezone.localdate())
    if pathway.assigned_at and on < pathway.assigned_at:
        errors.setdefault("date", []).append(
            _("L'entretien ne peut pas précéder l'affectation du dossier (%(date)s).")
            % {"date": pathway.assigned_at.strftime("%d/%m/%Y")})
    if duration_minutes is None or duration_minutes <= 0:
        errors.setdefault("duration_minutes", []).append(_("La durée doit être d'au moins une minute."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        interview = ReceptionInterview(pathway=pathway, date=on, mode=mode, duration_minutes=duration_minutes,
                                       place=place.strip(), summary=summary.strip(), referent=by)
        interview.full_clean()
        interview.save()
        audit_record(actor=by, action="reception_interview_create", obj=interview,
                     participant_id=pathway.participant_id,
                     after=model_snapshot(interview, ["date", "mode", "duration_minutes", "place"]))
    return interview


@dataclass(frozen=True)
class BarrierAssessed:
    level: str
    comment: str = ""


def assessment_save(*, pathway: Pathway, by: User, strengths: str, professional_project: str, recommendations: str,
                    barriers: dict[str, BarrierAssessed]) -> Assessment:
    """Write the assessment and its barrier reviews (one per barrier present; absent ones are removed).

    A review keeps its date while its barrier stays in the assessment, so the first evaluation is dated.
    """
    _intake_editable(pathway, _("La saisie du bilan"))
    errors: dict[str, list[str]] = {}
    _codes_check(errors, "barriers", list(barriers), Barrier.values, _("Frein inconnu : %(codes)s."))
    bad_levels = sorted({b.level for b in barriers.values() if b.level not in BarrierLevel.values})
    if bad_levels:
        errors.setdefault("barriers", []).append(_("Niveau de frein inconnu : %(codes)s.") % {"codes": ", ".join(bad_levels)})
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().filter(pathway=pathway).first()
        before = model_snapshot(assessment, ["strengths", "professional_project", "recommendations"]) if assessment else {}
        if assessment is None:
            assessment = Assessment(pathway=pathway, author=by)
        assessment.strengths, assessment.recommendations = strengths.strip(), recommendations.strip()
        assessment.professional_project = professional_project.strip()
        assessment.full_clean()
        assessment.save()
        existing = {r.barrier: r for r in pathway.barrier_reviews.all()}
        stale = [r.pk for code, r in existing.items() if code not in barriers]
        if stale:
            BarrierReview.objects.filter(pk__in=stale).delete()
        for code, value in barriers.items():
            review = existing.get(code) or BarrierReview(pathway=pathway, barrier=code, reviewed_on=today,
                                                         reviewed_by=by)
            if review.pk and (review.level, review.comment) == (value.level, value.comment.strip()):
                continue
            review.level, review.comment, review.reviewed_by = value.level, value.comment.strip(), by
            review.full_clean()
            review.save()
        after = model_snapshot(assessment, ["strengths", "professional_project", "recommendations"])
        after["barriers"] = {code: b.level for code, b in sorted(barriers.items())}
        before["barriers"] = {code: r.level for code, r in sorted(existing.items())}
        audit_record(actor=by, action="assessment_save", obj=assessment, participant_id=pathway.participant_id,
                     before=before, after=after)
    return assessment


def assessment_complete(*, pathway: Pathway, by: User, typed: dict[str, Any] | None = None) -> Pathway:
    """Close the assessment: the application goes to the commission (preconditions in the workflow table).

    `typed` holds what the form showed when "close" was pressed (assessment_save's arguments): saved first, in the
    same transaction, so that closing never throws away the last edits, nor keeps them when the closing fails."""
    with transaction.atomic():
        if typed is not None:
            assessment_save(pathway=pathway, by=by, **typed)
        pathway = pathway_transition(pathway=pathway, name="complete_assessment", by=by,
                                     data={"on": timezone.localdate()})
        audit_record(actor=by, action="assessment_complete", obj=pathway, participant_id=pathway.participant_id,
                     before={"status": PathwayStatus.ASSIGNED}, after={"status": pathway.status})
    return pathway


def pathway_enter_via_collective_action(
    *,
    by: User,
    action_name: str,
    selected_on: date,
    membership: Membership,
    participant: Participant | None = None,
    person: dict[str, Any] | None = None,
    situations: list[str] | None = None,
    deld: bool | None = None,
) -> Pathway:
    """A person selected for a PLIE collective action enters the PLIE at once: active, admitted, no commission.

    Give either `participant` (an existing file) or `person` (a new one, with `situations`).
    """
    errors: dict[str, list[str]] = {}
    if not by.can(APPLICATION_MANAGE):
        raise TransitionRefused(_("Seule l'équipe d'animation du PLIE enregistre une entrée par action collective."))
    membership = _assignable(by, membership)
    territory_id = membership.organisation.territory_id
    if not action_name.strip():
        errors.setdefault("action_name", []).append(_("Indiquez l'action collective."))
    if selected_on is None:
        errors.setdefault("selected_on", []).append(_("Indiquez la date à laquelle la personne a été retenue."))
    _not_future(errors, "selected_on", selected_on, timezone.localdate())
    if (participant is None) == (person is None):
        raise ValueError("give either participant or person")
    if participant is not None:
        if participant.territory_id != territory_id:
            errors.setdefault("participant", []).append(_("Cette personne n'est pas suivie sur ce territoire."))
        elif _unfinished_pathway(participant) is not None:
            errors.setdefault("participant", []).append(
                _("Cette personne a déjà une candidature ou un parcours en cours."))
    elif person is not None:
        _person_check(territory_id, person, errors)
        _not_future(errors, "birth_date", person.get("birth_date"), timezone.localdate())
        _situations_check(errors, situations or [])
        if person.get("birth_date") and selected_on and person["birth_date"] >= selected_on:
            errors.setdefault("birth_date", []).append(_("La date de naissance doit précéder la sélection."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if participant is not None:
            participant = Participant.objects.select_for_update().get(pk=participant.pk)
            if _unfinished_pathway(participant) is not None:
                raise ValidationError({"participant": _("Cette personne a déjà une candidature ou un parcours en cours.")})
        else:
            assert person is not None  # either participant or person, checked above
            participant = _participant_write(by=by, territory_id=territory_id, participant=None, person=person,
                                             situations=situations or [], deld=deld)
        pathway = Pathway(participant=participant, programme=plie_programme_of(territory_id), status=PathwayStatus.ACTIVE,
                          entry_route=EntryRoute.COLLECTIVE_ACTION, decision=Decision.ADMITTED,
                          entry_date=selected_on, assigned_at=selected_on, referent=membership.user,
                          operator=membership.organisation, prescriber_type=PrescriberType.PLIE)
        transition_create(PATHWAY_WORKFLOW, pathway, "enter_collective_action", by=by,
                          data={"action_name": action_name.strip(), "selected_on": selected_on,
                                "referent": membership.user, "operator": membership.organisation})
        entry = CollectiveActionEntry(pathway=pathway, action_name=action_name.strip(), selected_on=selected_on,
                                      recorded_by=by)
        entry.full_clean()
        entry.save()
        audit_record(actor=by, action="pathway_enter_collective_action", obj=pathway,
                     participant_id=participant.pk,
                     after=model_snapshot(pathway, ["status", "entry_route", "decision", "entry_date", "referent_id",
                                                    "operator_id"]) | {"action_name": entry.action_name})
    return pathway


def application_decision_read(*, pathway: Pathway, by: User) -> bool:
    """A prescriber of the prescribing structure opened the commission's decision: it leaves their home's
    "decisions to read". Only the first reading is recorded (one update, no audit row: nothing of the file
    changes); True when it was this one."""
    if not pathway.decision:
        return False
    updated = Application.objects.filter(
        pathway_id=pathway.pk, decision_read_at__isnull=True,
        prescriber_organisation_id__in=[m.organisation_id for m in memberships_with(by, APPLICATION_SUBMIT)],
    ).update(decision_read_at=timezone.now())
    return bool(updated)
