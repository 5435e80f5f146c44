"""Writes of the employers module: an employer, its contacts, the exchanges with it (docs/employers.md).

Each write checks that the actor keeps the employers of that territory (`employers.manage`), validates, and
writes its audit row in the same transaction. Employers and their contacts are not participants: the audit rows
name no person followed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.concurrency import save_with_version
from parcours.core.plausibility import event_date_problem, siret_compact, siret_problem
from parcours.core.workflow import SCHEDULE_ACTOR, TransitionRefused, transition_apply, transition_create
from parcours.organisations.capabilities import EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.models import Pathway, Step
from parcours.pathways.services import step_create
from parcours.plie.enums import StepType
from parcours.organisations.scope import territory_ids_with
from parcours.territory.models import Commune, Territory

from .enums import (
    EVENT_OUTCOMES_WITH_EMPLOYER, EXPIRY_DAYS, OPEN_CANDIDACY, STEP_CONTRACT_TYPE, EventKind, EventOutcome,
    OfferContractType, PartnerStatus, PriorActionKind, SponsorshipOutcome,
)
from .models import (
    ROME_RE, Candidacy, Employer, EmployerContact, EmployerExchange, EventInvitation, JobOffer, RecruitmentEvent,
    Sponsorship, SponsorshipMeeting,
)
from .naf import naf_divisions
from .access import person_followed_by
from .workflow import CANDIDACY_WORKFLOW, WAITING_ON_EMPLOYER, follows

EMPLOYER_FIELDS = ["siret", "name", "naf_division", "naf_section", "size_band", "address", "commune_id", "phone",
                   "email", "website", "partner_status", "partner_since", "notes"]
CONTACT_FIELDS = ["name", "job_title", "phone", "email", "is_active"]
OFFER_FIELDS = ["title", "rome_code", "contract_type", "hours_per_week", "places", "workplace", "commune_id",
                "description", "prerequisites", "opens_on", "closes_on", "status", "social_clause"]


def _keeper_check(by, territory_id: int) -> None:
    if territory_id not in territory_ids_with(by, EMPLOYERS_MANAGE):
        raise ValidationError(_("Vous ne tenez pas à jour les employeurs de ce territoire."))


def _employer_values_check(employer: Employer) -> None:
    """The rules a form, the API and an import share; each message names its field."""
    errors: dict[str, str] = {}
    if problem := siret_problem(employer.siret):
        errors["siret"] = _("SIRET : %(problem)s") % {"problem": problem}
    if employer.naf_division and employer.naf_division not in naf_divisions():
        errors["naf_division"] = _("Secteur d'activité : division NAF inconnue (%(code)s).") % {
            "code": employer.naf_division}
    if employer.partner_status == PartnerStatus.PROSPECT and employer.partner_since is not None:
        errors["partner_since"] = _("Partenaire depuis le : à laisser vide pour un employeur à démarcher.")
    if employer.partner_since is not None and employer.partner_since > timezone.localdate():
        errors["partner_since"] = _("Partenaire depuis le : la date ne peut pas être dans le futur.")
    if employer.commune_id is not None and not Commune.objects.filter(
            pk=employer.commune_id, territory_id=employer.territory_id).exists():
        errors["commune"] = _("Commune : elle n'est pas sur le territoire.")
    if not errors and employer.siret:
        twin = (Employer.objects.filter(territory_id=employer.territory_id, siret=employer.siret)
                .exclude(pk=employer.pk).first())
        if twin is not None:
            errors["siret"] = _("SIRET : cet établissement est déjà enregistré (%(name)s).") % {"name": twin.name}
    if errors:
        raise ValidationError(errors)


def employer_save(*, by, territory: Territory, values: dict[str, Any], employer: Employer | None = None,
                  version: int | None = None) -> Employer:
    """Create an employer of `territory`, or edit `employer` (from the `version` its form was read at, so that a
    stale form is refused: core.concurrency). `values` holds EMPLOYER_FIELDS but the section, which follows the
    division."""
    _keeper_check(by, territory.pk)
    if employer is not None and employer.territory_id != territory.pk:
        raise ValidationError(_("Cet employeur n'est pas sur ce territoire."))
    creating = employer is None
    with transaction.atomic():
        if employer is None:
            employer = Employer(territory=territory, created_by=by)
            before: dict[str, Any] = {}
        else:
            employer = Employer.objects.select_for_update().get(pk=employer.pk)
            before = model_snapshot(employer, EMPLOYER_FIELDS)
        for name in EMPLOYER_FIELDS:
            if name in values and name != "naf_section":
                value = values[name]
                setattr(employer, name, value.strip() if isinstance(value, str) else value)
        employer.siret = siret_compact(employer.siret)
        division = naf_divisions().get(employer.naf_division)
        employer.naf_section = division.section if division else ""
        _employer_values_check(employer)
        employer.full_clean(exclude=["created_by", "version"])
        if creating:
            employer.save()
        else:
            save_with_version(employer, employer.version if version is None else version, EMPLOYER_FIELDS)
        audit_record(actor=by, action="employer_create" if creating else "employer_update", obj=employer,
                     participant_id=None, before=before, after=model_snapshot(employer, EMPLOYER_FIELDS))
    return employer


def employer_contact_save(*, by, employer: Employer, values: dict[str, Any],
                          contact: EmployerContact | None = None) -> EmployerContact:
    """Add a contact to `employer`, or edit `contact` (a contact who left is kept, marked no longer there)."""
    _keeper_check(by, employer.territory_id)
    if contact is not None and contact.employer_id != employer.pk:
        raise ValidationError(_("Ce contact n'est pas chez cet employeur."))
    creating = contact is None
    with transaction.atomic():
        if contact is None:
            contact = EmployerContact(employer=employer)
            before: dict[str, Any] = {}
        else:
            contact = EmployerContact.objects.select_for_update().get(pk=contact.pk)
            before = model_snapshot(contact, CONTACT_FIELDS)
        for name in CONTACT_FIELDS:
            if name in values:
                value = values[name]
                setattr(contact, name, value.strip() if isinstance(value, str) else value)
        contact.full_clean()
        contact.save()
        audit_record(actor=by, action="employer_contact_create" if creating else "employer_contact_update",
                     obj=contact, participant_id=None, before=before, after=model_snapshot(contact, CONTACT_FIELDS))
    return contact


def employer_exchange_record(*, by, employer: Employer, values: dict[str, Any]) -> EmployerExchange:
    """Record an exchange with `employer` that took place (its date today or before); `values`: kind, date,
    contact_id (optional, one of the employer's contacts), summary."""
    _keeper_check(by, employer.territory_id)
    on = values.get("date")
    if on is None:
        raise ValidationError({"date": _("Date : obligatoire.")})
    exchange = EmployerExchange(employer=employer, by=by, kind=values.get("kind") or "", date=on,
                                contact_id=values.get("contact_id"), summary=(values.get("summary") or "").strip())
    errors: dict[str, str] = {}
    if on > timezone.localdate():
        errors["date"] = _("Date : un échange s'enregistre une fois qu'il a eu lieu (aujourd'hui au plus tard).")
    if exchange.contact_id is not None and not EmployerContact.objects.filter(
            pk=exchange.contact_id, employer=employer).exists():
        errors["contact"] = _("Contact : il n'est pas chez cet employeur.")
    if errors:
        raise ValidationError(errors)
    exchange.full_clean()
    with transaction.atomic():
        exchange.save()
        audit_record(actor=by, action="employer_exchange_record", obj=exchange, participant_id=None,
                     after=model_snapshot(exchange, ["employer_id", "kind", "date", "contact_id"]))
    return exchange


def _offer_values_check(offer: JobOffer) -> None:
    errors: dict[str, str] = {}
    if offer.rome_code and not re.match(ROME_RE, offer.rome_code):
        errors["rome_code"] = _("Code ROME : une lettre de A à N puis quatre chiffres, par exemple K2204.")
    if offer.hours_per_week is not None and not 0 < offer.hours_per_week <= 48:
        errors["hours_per_week"] = _("Heures par semaine : plus de 0 et 48 au plus (la durée maximale du travail).")
    if offer.closes_on is not None and offer.opens_on is not None and offer.closes_on < offer.opens_on:
        errors["closes_on"] = _("Close le : la date précède l'ouverture de l'offre.")
    if offer.commune_id is not None and not Commune.objects.filter(
            pk=offer.commune_id, territory_id=offer.employer.territory_id).exists():
        errors["commune"] = _("Commune : elle n'est pas sur le territoire.")
    if errors:
        raise ValidationError(errors)


def job_offer_save(*, by, employer: Employer, values: dict[str, Any], offer: JobOffer | None = None,
                   version: int | None = None) -> JobOffer:
    """Create an offer of `employer`, or edit `offer` (from the `version` its form was read at). `values` holds
    OFFER_FIELDS; the ROME code is read in capitals (`k2204` is K2204)."""
    _keeper_check(by, employer.territory_id)
    if offer is not None and offer.employer_id != employer.pk:
        raise ValidationError(_("Cette offre n'est pas de cet employeur."))
    creating = offer is None
    with transaction.atomic():
        if offer is None:
            offer = JobOffer(employer=employer, created_by=by)
            before: dict[str, Any] = {}
        else:
            offer = JobOffer.objects.select_for_update(of=("self",)).select_related("employer").get(pk=offer.pk)
            before = model_snapshot(offer, OFFER_FIELDS)
        for name in OFFER_FIELDS:
            if name in values:
                value = values[name]
                setattr(offer, name, value.strip() if isinstance(value, str) else value)
        offer.rome_code = (offer.rome_code or "").replace(" ", "").upper()
        _offer_values_check(offer)
        offer.full_clean(exclude=["created_by", "version"])
        if creating:
            offer.save()
        else:
            save_with_version(offer, offer.version if version is None else version, OFFER_FIELDS)
        audit_record(actor=by, action="job_offer_create" if creating else "job_offer_update", obj=offer,
                     participant_id=None, before=before, after=model_snapshot(offer, OFFER_FIELDS))
    return offer


# --- candidacies (a person put forward for an offer) --------------------------------------------------------------

CANDIDACY_AUDITED = ["status", "interview_on", "prior_action", "prior_action_start", "prior_action_end",
                     "refusal_reason", "withdrawal_reason", "hired_on", "contract_end", "step_id", "immersion_step_id",
                     "followup_contact_id"]
# The pathway step a hire puts on the file, by the offer's contract: an aided contract, an insertion job (a CDDI is
# the contract of the ateliers et chantiers d'insertion; the referent corrects the type on the file for an EI), or
# an ordinary job.
HIRE_STEP_TYPE: dict[str, str] = {OfferContractType.CUI: StepType.SUBSIDISED_CONTRACT, OfferContractType.CDDI: StepType.IAE_ACI}


def candidacy_propose(*, offer: JobOffer, pathway: Pathway, by, comment: str = "") -> Candidacy:
    """Put a person forward for an offer: a file the proposer may open and write, in the pathway, once per offer
    while the first is open (constraint `candidacy_open_once_per_offer`, checked here under the offer's lock)."""
    if not (by.can(EMPLOYERS_PROPOSE) and pathways_visible_to(by).filter(pk=pathway.pk).exists()):
        raise TransitionRefused(_("Vous ne suivez pas cette personne : vous ne pouvez pas la positionner."))
    if offer.employer.territory_id != pathway.territory_id:
        raise TransitionRefused(_("Cette offre est d'un autre territoire que le dossier de la personne."))
    with transaction.atomic():
        JobOffer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
        if Candidacy.objects.filter(offer=offer, pathway=pathway, status__in=OPEN_CANDIDACY).exists():
            raise TransitionRefused(_("Cette personne est déjà positionnée sur cette offre."))
        candidacy = Candidacy(offer=offer, pathway=pathway, proposed_by=by, last_news_on=timezone.localdate())
        transition_create(CANDIDACY_WORKFLOW, candidacy, "propose", by=by, data={"comment": comment})
        audit_record(actor=by, action="candidacy.propose", obj=candidacy, participant_id=pathway.participant_id,
                     after={"offer_id": offer.pk, "pathway_id": pathway.pk, "status": candidacy.status})
    return candidacy


def _employment_step(candidacy: Candidacy, by) -> Step:
    offer = candidacy.offer
    employer = offer.employer
    assert candidacy.hired_on is not None   # set by the hire's effect
    return step_create(pathway=candidacy.pathway, by=by, values={
        "step_type": HIRE_STEP_TYPE.get(offer.contract_type, StepType.UNSUBSIDISED_EMPLOYMENT),
        "start_date": candidacy.hired_on, "end_date": candidacy.contract_end, "operator_name": employer.name,
        "employer_siret": employer.siret,
        "contract_type": STEP_CONTRACT_TYPE.get(offer.contract_type, offer.contract_type),
        "social_clause": offer.social_clause, "comment": offer.title})


def _immersion_step(candidacy: Candidacy, by) -> Step:
    employer = candidacy.offer.employer
    return step_create(pathway=candidacy.pathway, by=by, values={
        "step_type": StepType.IMMERSION, "start_date": candidacy.prior_action_start,
        "end_date": candidacy.prior_action_end, "operator_name": employer.name, "employer_siret": employer.siret,
        "comment": candidacy.offer.title})


def candidacy_decide(*, candidacy: Candidacy, name: str, by, data: Any = None) -> Candidacy:
    """Apply a transition of the candidacy (present, interview, prior_action, hire, refuse, withdraw) as `by`; a
    hire puts the job on the pathway — and a lasting one opens the follow-up in employment —, an immersion its step,
    in the same transaction."""
    with transaction.atomic():
        before = model_snapshot(Candidacy.objects.get(pk=candidacy.pk), CANDIDACY_AUDITED)
        locked = transition_apply(CANDIDACY_WORKFLOW, candidacy, name, by=by, data=data)
        if name == "prior_action" and locked.prior_action == PriorActionKind.PMSMP:
            if not follows(by, locked):
                raise TransitionRefused(_("Une immersion (PMSMP) est une étape du parcours : c'est à qui suit la "
                                          "personne de l'enregistrer."))
            locked.immersion_step = _immersion_step(locked, by)
            locked.save(update_fields=["immersion_step", "updated_at"])
        elif name == "hire":
            locked.step = _employment_step(locked, by)
            locked.save(update_fields=["step", "updated_at"])
        audit_record(actor=by, action=f"candidacy.{name}", obj=locked, participant_id=locked.pathway.participant_id,
                     before=before, after=model_snapshot(locked, CANDIDACY_AUDITED))
    return locked


def candidacies_expire(*, today: date | None = None) -> int:
    """Expire the candidacies still waiting on the employer with no news for EXPIRY_DAYS days (the daily job);
    returns how many."""
    today = today or timezone.localdate()
    due = list(Candidacy.objects.filter(status__in=WAITING_ON_EMPLOYER,
                                        last_news_on__lte=today - timedelta(days=EXPIRY_DAYS))
               .select_related("pathway").order_by("pk"))
    for candidacy in due:
        with transaction.atomic():
            before = model_snapshot(candidacy, CANDIDACY_AUDITED)
            locked = transition_apply(CANDIDACY_WORKFLOW, candidacy, "expire", by=SCHEDULE_ACTOR)
            audit_record(actor=None, action="candidacy.expire", obj=locked,
                         participant_id=candidacy.pathway.participant_id, before=before,
                         after=model_snapshot(locked, CANDIDACY_AUDITED))
    return len(due)


# --- recruitment events and sponsorship (docs/employers.md) ---------------------------------------------------------

EVENT_FIELDS = ["kind", "title", "date", "place", "description"]
SPONSORSHIP_FIELDS = ["employer_id", "sponsor_name", "sponsor_job_title", "sponsor_phone", "sponsor_email", "goal",
                      "started_on", "ended_on", "outcome"]


def _day_check(errors: dict[str, str], field: str, label: str, day: date | None, *, future: bool = False) -> None:
    if day is None:
        errors[field] = _("%(field)s : obligatoire.") % {"field": label}
    elif not future and day > timezone.localdate():
        errors[field] = _("%(field)s : la date est à venir.") % {"field": label}
    elif problem := event_date_problem(day):
        errors[field] = f"{label} : {problem}"


def recruitment_event_save(*, by, territory: Territory, values: dict[str, Any],
                           event: RecruitmentEvent | None = None) -> RecruitmentEvent:
    """Create an event of `territory`, or edit `event`: planned ahead, or recorded after it took place."""
    _keeper_check(by, territory.pk)
    if event is not None and event.territory_id != territory.pk:
        raise ValidationError(_("Cet événement n'est pas sur ce territoire."))
    creating = event is None
    errors: dict[str, str] = {}
    _day_check(errors, "date", _("Date"), values.get("date"), future=True)
    if (values.get("kind") or "") not in EventKind.values:
        errors["kind"] = _("Type d'événement : choisissez un type de la liste.")
    if not (values.get("title") or "").strip():
        errors["title"] = _("Intitulé : obligatoire.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if event is None:
            event = RecruitmentEvent(territory=territory, created_by=by)
            before: dict[str, Any] = {}
        else:
            event = RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
            before = model_snapshot(event, EVENT_FIELDS)
            if (values["date"] > timezone.localdate()
                    and event.invitations.filter(attended__isnull=False).exists()):
                raise ValidationError({"date": _("Date : les présences sont déjà enregistrées ; l'événement a eu "
                                                 "lieu.")})
        for name in EVENT_FIELDS:
            value = values.get(name, getattr(event, name))
            setattr(event, name, value.strip() if isinstance(value, str) else value)
        event.full_clean(exclude=["created_by"])
        event.save()
        audit_record(actor=by, action="recruitment_event_create" if creating else "recruitment_event_update",
                     obj=event, participant_id=None, before=before, after=model_snapshot(event, EVENT_FIELDS))
    return event


def recruitment_event_employer_add(*, by, event: RecruitmentEvent, employer: Employer) -> None:
    _keeper_check(by, event.territory_id)
    if employer.territory_id != event.territory_id:
        raise ValidationError({"employer": _("Employeur : il n'est pas sur le territoire de l'événement.")})
    with transaction.atomic():
        RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
        if event.employers.filter(pk=employer.pk).exists():
            raise ValidationError({"employer": _("Employeur : il participe déjà à cet événement.")})
        event.employers.add(employer)
        audit_record(actor=by, action="recruitment_event_employer_add", obj=event, participant_id=None,
                     after={"employer_id": employer.pk})


def recruitment_event_employer_remove(*, by, event: RecruitmentEvent, employer: Employer) -> None:
    """Take an employer off the event (entered by mistake, or who did not come), unless an outcome names it."""
    _keeper_check(by, event.territory_id)
    with transaction.atomic():
        RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
        if event.invitations.filter(outcome_employer=employer).exists():
            raise ValidationError(_("Une suite donnée à l'événement nomme cet employeur : corrigez-la d'abord."))
        event.employers.remove(employer)
        audit_record(actor=by, action="recruitment_event_employer_remove", obj=event, participant_id=None,
                     before={"employer_id": employer.pk})


def event_invitation_create(*, by, event: RecruitmentEvent, pathway: Pathway) -> EventInvitation:
    """Invite a person one follows to an event of their territory, up to its day (once: `event_invitation_once`)."""
    if not person_followed_by(by, pathway.pk):
        raise ValidationError(_("Vous ne suivez pas cette personne : vous ne pouvez pas l'inviter."))
    if event.territory_id != pathway.territory_id:
        raise ValidationError({"event": _("Événement : il est d'un autre territoire que le dossier de la personne.")})
    if event.date < timezone.localdate():
        raise ValidationError({"event": _("Événement : il a eu lieu le %(day)s ; on n'y invite plus.")
                               % {"day": event.date.strftime("%d/%m/%Y")}})
    with transaction.atomic():
        RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
        if event.invitations.filter(pathway=pathway).exists():
            raise ValidationError({"event": _("Événement : cette personne y est déjà invitée.")})
        invitation = EventInvitation.objects.create(event=event, pathway=pathway, invited_by=by)
        audit_record(actor=by, action="event_invitation_create", obj=invitation,
                     participant_id=pathway.participant_id, after={"event_id": event.pk})
    return invitation


def event_invitation_withdraw(*, by, invitation: EventInvitation) -> None:
    """The person will not come after all: the invitation is taken back, until the attendance is recorded."""
    if not person_followed_by(by, invitation.pathway_id):
        raise ValidationError(_("Vous ne suivez pas cette personne : vous ne pouvez pas retirer son invitation."))
    with transaction.atomic():
        locked = EventInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.attended is not None:
            raise ValidationError(_("La présence est enregistrée : l'invitation ne se retire plus."))
        audit_record(actor=by, action="event_invitation_withdraw", obj=locked,
                     participant_id=invitation.pathway.participant_id, before={"event_id": locked.event_id})
        locked.delete()


def event_attendance_open(event: RecruitmentEvent) -> bool:
    """Who came is recorded from the event's day on."""
    return event.date <= timezone.localdate()


def event_attendance_wait_message(event: RecruitmentEvent) -> str:
    return _("Les présences s'enregistrent à partir du jour de l'événement (le %(day)s).") % {
        "day": event.date.strftime("%d/%m/%Y")}


def event_attendance_record(*, by, event: RecruitmentEvent, rows: dict[int, dict[str, Any]]) -> None:
    """Record, from the event's day, who came and what came of it for each invitation of `rows` (by its id:
    `attended` True/False, `outcome`, `outcome_employer_id`, `comment`). All or nothing: a refused row names the
    person's line and saves none."""
    _keeper_check(by, event.territory_id)
    if not event_attendance_open(event):
        raise ValidationError(event_attendance_wait_message(event))
    employer_ids = set(event.employers.values_list("pk", flat=True))
    with transaction.atomic():
        RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
        invitations = {i.pk: i for i in event.invitations.select_related("pathway__participant")
                       .filter(pk__in=list(rows))}
        errors: list[str] = []
        for pk, row in rows.items():
            invitation = invitations.get(pk)
            if invitation is None:
                raise ValidationError(_("Une ligne n'est pas une invitation de cet événement."))
            name = str(invitation.pathway.participant)
            attended, outcome = row.get("attended"), row.get("outcome") or ""
            employer_id = row.get("outcome_employer_id")
            if outcome and outcome not in EventOutcome.values:
                errors.append(_("%(name)s : suite donnée inconnue.") % {"name": name})
            elif outcome and attended is not True:
                errors.append(_("%(name)s : une suite se donne à qui est venu·e.") % {"name": name})
            elif employer_id is not None and not outcome:
                errors.append(_("%(name)s : un employeur se nomme avec la suite qu'il donne.") % {"name": name})
            elif employer_id is not None and employer_id not in employer_ids:
                errors.append(_("%(name)s : l'employeur ne participe pas à l'événement.") % {"name": name})
            elif outcome in EVENT_OUTCOMES_WITH_EMPLOYER and employer_id is None:
                errors.append(_("%(name)s : nommez l'employeur de cette suite (%(outcome)s).")
                              % {"name": name, "outcome": EventOutcome(outcome).label})
        if errors:
            raise ValidationError(errors)
        for pk, row in rows.items():
            invitation = invitations[pk]
            before = model_snapshot(invitation, ["attended", "outcome", "outcome_employer_id"])
            invitation.attended = row.get("attended")
            invitation.outcome = row.get("outcome") or ""
            invitation.outcome_employer_id = row.get("outcome_employer_id")
            invitation.comment = (row.get("comment") or "").strip()
            after = model_snapshot(invitation, ["attended", "outcome", "outcome_employer_id"])
            if after != before or invitation.comment:
                invitation.save(update_fields=["attended", "outcome", "outcome_employer_id", "comment", "updated_at"])
                audit_record(actor=by, action="event_attendance_record", obj=invitation,
                             participant_id=invitation.pathway.participant_id, before=before, after=after)


def _sponsorship_writer_check(by, sponsorship: Sponsorship) -> None:
    if not (person_followed_by(by, sponsorship.pathway_id)
            or sponsorship.employer.territory_id in territory_ids_with(by, EMPLOYERS_MANAGE)):
        raise ValidationError(_("Vous ne suivez pas ce parrainage."))


def sponsorship_start(*, by, pathway: Pathway, values: dict[str, Any]) -> Sponsorship:
    """A sponsor from a company of the portfolio begins to accompany a person one follows (one running at a time)."""
    if not person_followed_by(by, pathway.pk):
        raise ValidationError(_("Vous ne suivez pas cette personne : vous ne pouvez pas lui proposer un parrainage."))
    errors: dict[str, str] = {}
    employer = Employer.objects.filter(pk=values.get("employer_id") or 0, territory_id=pathway.territory_id).first()
    if employer is None:
        errors["employer"] = _("Entreprise : choisissez un employeur du territoire.")
    if not (values.get("sponsor_name") or "").strip():
        errors["sponsor_name"] = _("Parrain ou marraine : obligatoire.")
    _day_check(errors, "started_on", _("Début"), values.get("started_on"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Pathway.objects.select_for_update().get(pk=pathway.pk)
        if pathway.sponsorships.filter(ended_on__isnull=True).exists():
            raise ValidationError(_("Cette personne a déjà un parrainage en cours : terminez-le d'abord."))
        sponsorship = Sponsorship(pathway=pathway, started_by=by, **{
            name: (values.get(name) or "").strip() if name not in ("employer_id", "started_on") else values.get(name)
            for name in ["employer_id", "sponsor_name", "sponsor_job_title", "sponsor_phone", "sponsor_email", "goal",
                         "started_on"]})
        sponsorship.full_clean(exclude=["started_by", "pathway", "employer"])
        sponsorship.save()
        audit_record(actor=by, action="sponsorship_start", obj=sponsorship, participant_id=pathway.participant_id,
                     after=model_snapshot(sponsorship, ["employer_id", "started_on"]))
    return sponsorship


def sponsorship_meeting_record(*, by, sponsorship: Sponsorship, values: dict[str, Any]) -> SponsorshipMeeting:
    """A meeting of the sponsor and the person, between the start and today (or the end)."""
    _sponsorship_writer_check(by, sponsorship)
    errors: dict[str, str] = {}
    day: Any = values.get("date")
    _day_check(errors, "date", _("Date"), day)
    if "date" not in errors and day < sponsorship.started_on:
        errors["date"] = _("Date : elle précède le début du parrainage (%(day)s).") % {
            "day": sponsorship.started_on.strftime("%d/%m/%Y")}
    if "date" not in errors and sponsorship.ended_on is not None and day > sponsorship.ended_on:
        errors["date"] = _("Date : le parrainage s'est terminé le %(day)s.") % {
            "day": sponsorship.ended_on.strftime("%d/%m/%Y")}
    if not (values.get("summary") or "").strip():
        errors["summary"] = _("Compte rendu : obligatoire.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = SponsorshipMeeting.objects.create(sponsorship=sponsorship, date=day, by=by,
                                                    summary=values["summary"].strip())
        audit_record(actor=by, action="sponsorship_meeting_record", obj=meeting,
                     participant_id=sponsorship.pathway.participant_id, after={"date": day.isoformat()})
    return meeting


def sponsorship_end(*, by, sponsorship: Sponsorship, ended_on: date | None, outcome: str) -> Sponsorship:
    _sponsorship_writer_check(by, sponsorship)
    errors: dict[str, str] = {}
    _day_check(errors, "ended_on", _("Fin"), ended_on)
    if ended_on is not None and "ended_on" not in errors and ended_on < sponsorship.started_on:
        errors["ended_on"] = _("Fin : elle précède le début du parrainage (%(day)s).") % {
            "day": sponsorship.started_on.strftime("%d/%m/%Y")}
    if outcome not in SponsorshipOutcome.values:
        errors["outcome"] = _("Issue : choisissez une issue de la liste.")
    if errors:
        raise ValidationError(errors)
    assert ended_on is not None   # refused above
    with transaction.atomic():
        locked = Sponsorship.objects.select_for_update().get(pk=sponsorship.pk)
        if locked.ended_on is not None:
            raise ValidationError(_("Ce parrainage est déjà terminé."))
        if locked.meetings.filter(date__gt=ended_on).exists():
            raise ValidationError({"ended_on": _("Fin : une rencontre est enregistrée après cette date.")})
        locked.ended_on, locked.outcome = ended_on, outcome
        locked.save(update_fields=["ended_on", "outcome", "updated_at"])
        audit_record(actor=by, action="sponsorship_end", obj=locked, participant_id=sponsorship.pathway.participant_id,
                     before={"ended_on": None}, after={"ended_on": ended_on.isoformat(), "outcome": outcome})
    return locked
