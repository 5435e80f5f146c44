"""Writes on the young person's file (docs/youth.md): the first reception, the file's identity and adviser, the
events, the situations and the support themes. Each refusal is a French ValidationError naming its field; each
write leaves its audit row in the same transaction."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.concurrency import save_with_version
from parcours.core.plausibility import event_date_problem, phone_e164, phone_problem, siret_compact, siret_problem
from parcours.core.textsearch import fold
from parcours.core.workflow import TransitionRefused, transition_apply, transition_create
from parcours.organisations.models import User
from parcours.participants.models import Participant
from parcours.participants.services import participant_situations_write
from parcours.territory.models import Territory

from .access import youth_advisers_of
from .enums import (
    BEFORE_SESSION_STATUSES, FOLLOW_UP_DAYS, FOLLOW_UP_SITUATIONS, IMMERSION_MAX_MONTHS, IMMERSION_MAX_WEEKLY_HOURS,
    PLACE_HOLDING_STATUSES, SCHEME_MAX_MONTHS, WORKFLOW_SCHEMES, AidPurpose, EnrolmentStatus, EventKind,
    FollowUpMilestone, FollowUpOutcome, Fund, ImmersionStatus, PmsmpAim, ReceptionReason, ReferralSource,
    RegistrationStatus, Scheme, SiteKind, SituationCategory, SupportTheme, WorkshopKind, WorkshopRunner,
    WorkshopTheme,
    YouthContractType,
)
from .immersion_workflow import IMMERSION_WORKFLOW
from .models import (
    Aid, ImmersionAgreement, ImmersionEvaluation, ImmersionFollowUp, SchemeEnrolment, SchemePhase, Site, Workshop,
    WorkshopRegistration, WorkshopSession, YouthDiagnostic, YouthEvent, YouthFile, YouthSituation, YouthSupport,
)
from .selectors import add_months, age_on
from .workflow import ENROLMENT_WORKFLOW

# The criterion of a young person recognised disabled (the kernel's situations, shared by the house's programmes).
RQTH = "rqth"

# The Mission Locale receives young people from 16 to 25 years old (up to the day before their 26th birthday).
AGE_MIN, AGE_MAX = 16, 25

PERSON_FIELDS = ("last_name", "first_name", "birth_name", "sex", "birth_date", "email", "phone", "address",
                 "postal_code", "commune", "qpv", "education_level")
FILE_FIELDS = ("adviser", "antenna", "reception_site", "reception_reason", "referral_source")


def _new_ref(prefix: str) -> str:
    """A ref for a record entered on a page (the interchange's refs come from the source system)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass
class YouthDuplicates(Exception):
    """The young person seems to have a file already: the reception is refused until the desk confirms a homonym."""

    files: list[YouthFile]


def youth_duplicates_find(*, territory_id: int, last_name: str, first_name: str, birth_date: date,
                          exclude_pk: int | None = None) -> list[YouthFile]:
    """The Mission Locale's files of the territory with the same names (case, accents, hyphens ignored) and birth
    date. Only its own files: a PLIE participant of that name is not the Mission Locale's to see."""
    candidates = (YouthFile.objects.filter(territory_id=territory_id, participant__birth_date=birth_date)
                  .select_related("participant", "adviser").order_by("pk"))
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    last, first = fold(last_name), fold(first_name)
    return [f for f in candidates if fold(f.participant.last_name) == last and fold(f.participant.first_name) == first]


def _date_errors(errors: dict[str, list[str]], field: str, value: date | None, *, label: str) -> None:
    if value is not None and (problem := event_date_problem(value)):
        errors.setdefault(field, []).append(f"{label} : {problem}")


def _file_values_check(errors: dict[str, list[str]], *, territory: Territory, values: dict[str, Any]) -> None:
    adviser = values.get("adviser")
    if adviser is not None and not youth_advisers_of(territory_id=territory.pk).filter(pk=adviser.pk).exists():
        errors.setdefault("adviser", []).append(
            _("Conseiller·ère : cette personne n'est pas conseiller·ère de la Mission Locale du territoire."))
    for name, label in (("antenna", _("Antenne")), ("reception_site", _("Lieu du premier accueil"))):
        site = values.get(name)
        if site is not None and site.territory_id != territory.pk:
            errors.setdefault(name, []).append(_("%(field)s : ce lieu n'est pas de ce territoire.") % {"field": label})
    antenna = values.get("antenna")
    if antenna is not None and antenna.kind != SiteKind.ANTENNA:
        errors.setdefault("antenna", []).append(_("Antenne : ce lieu n'est pas une antenne."))
    if values.get("reception_reason", "") not in ("", *ReceptionReason.values):
        errors.setdefault("reception_reason", []).append(_("Motif de la venue : choisissez un motif de la liste."))
    if values.get("referral_source", "") not in ("", *ReferralSource.values):
        errors.setdefault("referral_source", []).append(_("Orienté·e par : choisissez une valeur de la liste."))


def _person_check(errors: dict[str, list[str]], *, territory: Territory, person: dict[str, Any]) -> None:
    commune, qpv = person.get("commune"), person.get("qpv")
    if commune is not None and commune.territory_id != territory.pk:
        errors.setdefault("commune", []).append(_("Commune : elle n'est pas de ce territoire."))
    if qpv is not None and (qpv.territory_id != territory.pk or (commune is not None and qpv.commune_id != commune.pk)):
        errors.setdefault("qpv", []).append(
            _("Quartier prioritaire (QPV) : ce quartier n'est pas situé dans la commune indiquée."))


def youth_file_receive(*, by: User, territory: Territory, person: dict[str, Any], first_reception_date: date,
                       values: dict[str, Any], homonym_confirmed: bool = False) -> YouthFile:
    """The first reception (premier accueil): the person and their file, received by `by`.

    Refused: a date in the future or implausible, a person outside the Mission Locale's ages (16 to 25 on that day),
    an adviser or a site of another territory. A file of the same names and birth date raises YouthDuplicates until
    the desk confirms that this is another person (`homonym_confirmed`)."""
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "first_reception_date", first_reception_date, label=_("Date du premier accueil"))
    if first_reception_date > timezone.localdate():
        errors.setdefault("first_reception_date", []).append(
            _("Date du premier accueil : la date est à venir ; on enregistre un accueil qui a eu lieu."))
    birth_date = person["birth_date"]
    if not errors.get("first_reception_date"):
        if first_reception_date < birth_date:
            errors.setdefault("first_reception_date", []).append(
                _("Date du premier accueil : elle précède la date de naissance."))
        elif not AGE_MIN <= age_on(birth_date, first_reception_date) <= AGE_MAX:
            errors.setdefault("birth_date", []).append(
                _("Date de naissance : la Mission Locale accueille les jeunes de %(min)s à %(max)s ans ; ce jeune a "
                  "%(age)s ans le jour du premier accueil.")
                % {"min": AGE_MIN, "max": AGE_MAX, "age": age_on(birth_date, first_reception_date)})
    _person_check(errors, territory=territory, person=person)
    _file_values_check(errors, territory=territory, values=values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The territory's row serialises two desks receiving the same young person at once.
        Territory.objects.select_for_update().get(pk=territory.pk)
        if not homonym_confirmed:
            duplicates = youth_duplicates_find(territory_id=territory.pk, last_name=person["last_name"],
                                               first_name=person["first_name"], birth_date=birth_date)
            if duplicates:
                raise YouthDuplicates(duplicates)
        participant = Participant(territory=territory, **{name: person.get(name) or _empty(name)
                                                          for name in PERSON_FIELDS})
        participant.full_clean(exclude=["commune", "qpv"])
        participant.save()
        youth_file = YouthFile(territory=territory, participant=participant, youth_ref=_new_ref("J"),
                               first_reception_date=first_reception_date, received_by=by,
                               **{name: values.get(name) or _empty(name) for name in FILE_FIELDS})
        youth_file.save()
        audit_record(actor=by, action="youth_file_receive", obj=youth_file, participant_id=participant.pk,
                     after={**model_snapshot(participant, list(PERSON_FIELDS)),
                            **model_snapshot(youth_file, ["first_reception_date", *FILE_FIELDS])})
    return youth_file


_NULLABLE = {"commune", "qpv", "adviser", "antenna", "reception_site"}


def _empty(name: str) -> Any:
    return None if name in _NULLABLE else ""


def youth_file_update(*, by: User, youth_file: YouthFile, person: dict[str, Any], values: dict[str, Any],
                      version: int) -> YouthFile:
    """Correct the young person's identity and contact, give the file to an adviser, set its antenna. A save based
    on an older version of the file raises StaleObjectError (nothing written)."""
    territory = youth_file.territory
    errors: dict[str, list[str]] = {}
    _person_check(errors, territory=territory, person=person)
    _file_values_check(errors, territory=territory, values=values)
    if errors:
        raise ValidationError(errors)
    participant = youth_file.participant
    before = {**model_snapshot(participant, list(PERSON_FIELDS)), **model_snapshot(youth_file, list(FILE_FIELDS))}
    with transaction.atomic():
        for name in FILE_FIELDS:
            if name in values:
                setattr(youth_file, name, values[name] or _empty(name))
        save_with_version(youth_file, version, [name for name in FILE_FIELDS if name in values])
        for name in PERSON_FIELDS:
            if name in person:
                setattr(participant, name, person[name] or _empty(name))
        participant.full_clean(exclude=["commune", "qpv", "territory"])
        participant.version = F("version") + 1
        participant.save()
        participant.refresh_from_db(fields=["version"])
        audit_record(actor=by, action="youth_file_update", obj=youth_file, participant_id=participant.pk,
                     before=before, after={**model_snapshot(participant, list(PERSON_FIELDS)),
                                           **model_snapshot(youth_file, list(FILE_FIELDS))})
    return youth_file


def youth_event_record(*, by: User, youth_file: YouthFile, day: date, kind: str, site: Site | None = None,
                       duration_minutes: int | None = None, summary: str = "",
                       backdated_confirmed: bool = False) -> YouthEvent:
    """An interview, a call, a message… with the young person. Entered after the day it took place only when the
    adviser says so (`backdated_confirmed`): the file then shows both days."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if kind not in EventKind.values:
        errors["kind"] = [_("Nature : choisissez une nature de la liste.")]
    if day > today:
        errors["date"] = [_("Date : un événement à venir se planifie dans l'agenda ; ici, ce qui a eu lieu.")]
    else:
        _date_errors(errors, "date", day, label=_("Date"))
        if not errors.get("date") and day < youth_file.first_reception_date:
            errors["date"] = [_("Date : elle précède le premier accueil du jeune (%(day)s).")
                              % {"day": youth_file.first_reception_date.strftime("%d/%m/%Y")}]
        elif not errors.get("date") and day < today and not backdated_confirmed:
            errors["backdated"] = [_("Saisie a posteriori : cet événement date d'avant aujourd'hui ; cochez la case "
                                     "pour confirmer la date.")]
    if site is not None and site.territory_id != youth_file.territory_id:
        errors["site"] = [_("Lieu : ce lieu n'est pas de ce territoire.")]
    if duration_minutes is not None and not 1 <= duration_minutes <= 600:
        errors["duration_minutes"] = [_("Durée : entre 1 et 600 minutes.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = YouthEvent.objects.create(territory_id=youth_file.territory_id, event_ref=_new_ref("E"),
                                          youth_file=youth_file, date=day, kind=kind, site=site,
                                          duration_minutes=duration_minutes, summary=summary.strip(), author=by)
        audit_record(actor=by, action="youth_event_record", obj=event, participant_id=youth_file.participant_id,
                     after=model_snapshot(event, ["date", "kind", "site", "duration_minutes"]))
    return event


def youth_situation_record(*, by: User, youth_file: YouthFile, category: str, start_date: date,
                           end_date: date | None = None, contract_type: str = "", pmsmp_aim: str = "",
                           employer_siret: str = "") -> YouthSituation:
    """A situation of the young person: an employment (its contract), a work-study contract, a training, an
    immersion (its aim), a civic service, schooling."""
    errors: dict[str, list[str]] = {}
    if category not in SituationCategory.values:
        errors["category"] = [_("Situation : choisissez une situation de la liste.")]
    _date_errors(errors, "start_date", start_date, label=_("Début"))
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [_("Fin : elle précède le début.")]
    if category == SituationCategory.EMPLOYMENT and contract_type not in YouthContractType.values:
        errors["contract_type"] = [_("Type de contrat : obligatoire pour un emploi.")]
    if category == SituationCategory.PMSMP and pmsmp_aim not in PmsmpAim.values:
        errors["pmsmp_aim"] = [_("Objet de l'immersion : obligatoire pour une immersion (PMSMP).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        situation = YouthSituation.objects.create(
            territory_id=youth_file.territory_id, situation_ref=_new_ref("S"), youth_file=youth_file,
            category=category, start_date=start_date, end_date=end_date,
            contract_type=contract_type if category == SituationCategory.EMPLOYMENT else "",
            pmsmp_aim=pmsmp_aim if category == SituationCategory.PMSMP else "", employer_siret=employer_siret)
        audit_record(actor=by, action="youth_situation_record", obj=situation,
                     participant_id=youth_file.participant_id,
                     after=model_snapshot(situation, ["category", "start_date", "end_date", "contract_type",
                                                      "pmsmp_aim", "employer_siret"]))
    return situation


def youth_situation_end(*, by: User, situation: YouthSituation, end_date: date) -> YouthSituation:
    """Set (or correct) the day a situation ended."""
    if end_date < situation.start_date:
        raise ValidationError({"end_date": [_("Fin : elle précède le début (%(day)s).")
                                            % {"day": situation.start_date.strftime("%d/%m/%Y")}]})
    if problem := event_date_problem(end_date):
        raise ValidationError({"end_date": [_("Fin : %(problem)s") % {"problem": problem}]})
    before = model_snapshot(situation, ["end_date"])
    with transaction.atomic():
        situation.end_date = end_date
        situation.save(update_fields=["end_date", "updated_at"])
        audit_record(actor=by, action="youth_situation_end", obj=situation,
                     participant_id=situation.youth_file.participant_id, before=before,
                     after=model_snapshot(situation, ["end_date"]))
    return situation


def youth_support_open(*, by: User, youth_file: YouthFile, theme: str, opened_on: date) -> YouthSupport:
    """Open a support theme (health, housing…); a theme already open is refused."""
    errors: dict[str, list[str]] = {}
    if theme not in SupportTheme.values:
        errors["theme"] = [_("Thème : choisissez un thème de la liste.")]
    _date_errors(errors, "opened_on", opened_on, label=_("Ouvert le"))
    if not errors.get("opened_on") and opened_on > timezone.localdate():
        errors["opened_on"] = [_("Ouvert le : la date est à venir.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            support = YouthSupport.objects.create(youth_file=youth_file, theme=theme, opened_on=opened_on,
                                                  opened_by=by)
            audit_record(actor=by, action="youth_support_open", obj=support, participant_id=youth_file.participant_id,
                         after=model_snapshot(support, ["theme", "opened_on"]))
    except IntegrityError:
        raise ValidationError({"theme": [_("Thème : ce thème est déjà ouvert pour ce jeune.")]}) from None
    return support


def youth_support_close(*, by: User, support: YouthSupport, closed_on: date) -> YouthSupport:
    if support.closed_on is not None:
        raise ValidationError({"closed_on": [_("Clos le : ce thème est déjà clos.")]})
    if closed_on < support.opened_on or closed_on > timezone.localdate():
        raise ValidationError({"closed_on": [_("Clos le : entre l'ouverture du thème (%(day)s) et aujourd'hui.")
                                             % {"day": support.opened_on.strftime("%d/%m/%Y")}]})
    with transaction.atomic():
        support.closed_on = closed_on
        support.save(update_fields=["closed_on", "updated_at"])
        audit_record(actor=by, action="youth_support_close", obj=support,
                     participant_id=support.youth_file.participant_id, before={"closed_on": None},
                     after=model_snapshot(support, ["closed_on"]))
    return support


# --- PACEA and CEJ (youth/workflow.py), their diagnostic and phases, the aids ---------------------------------------


def youth_diagnostic_record(*, by: User, youth_file: YouthFile, day: date, needs: str) -> YouthDiagnostic:
    """The diagnostic that opens a PACEA (its situation, needs and project)."""
    errors: dict[str, list[str]] = {}
    if day > timezone.localdate():
        errors["date"] = [_("Date du diagnostic : la date est à venir.")]
    else:
        _date_errors(errors, "date", day, label=_("Date du diagnostic"))
        if not errors.get("date") and day < youth_file.first_reception_date:
            errors["date"] = [_("Date du diagnostic : elle précède le premier accueil du jeune.")]
    if not needs.strip():
        errors["needs"] = [_("Situation, besoins et projet : ce champ est obligatoire.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        diagnostic = YouthDiagnostic.objects.create(youth_file=youth_file, date=day, needs=needs.strip(), author=by)
        audit_record(actor=by, action="youth_diagnostic_record", obj=diagnostic,
                     participant_id=youth_file.participant_id, after={"date": day.isoformat()})
    return diagnostic


def scheme_enter(*, by: User, youth_file: YouthFile, scheme: str, on: date, rqth: bool = False,
                 collective_start: bool = False) -> SchemeEnrolment:
    """Sign a PACEA or enter a CEJ (the workflow's checks: ages, the diagnostic, never both at once). A young person
    recognised disabled (RQTH) has it recorded among their criteria, which the PLIE's sensitive reading rules
    protect."""
    if scheme not in WORKFLOW_SCHEMES:
        raise TransitionRefused(_("Dispositif : seuls le PACEA et le CEJ se signent ici."))
    with transaction.atomic():
        # The file's row serialises two advisers signing for the same young person at once.
        YouthFile.objects.select_for_update(of=("self",)).get(pk=youth_file.pk)
        enrolment = SchemeEnrolment(territory_id=youth_file.territory_id, scheme_ref=_new_ref(scheme.upper()),
                                    youth_file=youth_file, scheme=scheme, start_date=on)
        transition_create(ENROLMENT_WORKFLOW, enrolment, "sign_pacea" if scheme == Scheme.PACEA else "enter_cej",
                          by=by, data={"on": on, "rqth": rqth, "collective_start": collective_start})
        if rqth:
            participant_situations_write(participant=youth_file.participant, values={RQTH: True}, by=by, on=on)
        audit_record(actor=by, action="scheme_enter", obj=enrolment, participant_id=youth_file.participant_id,
                     after=model_snapshot(enrolment, ["scheme", "start_date", "collective_start"]))
    return enrolment


def scheme_end(*, by: User, enrolment: SchemeEnrolment, on: date, exit_situation: str,
               reason: str) -> SchemeEnrolment:
    with transaction.atomic():
        ended = transition_apply(ENROLMENT_WORKFLOW, enrolment, "end", by=by,
                                 data={"on": on, "exit_situation": exit_situation, "reason": reason})
        audit_record(actor=by, action="scheme_end", obj=ended, participant_id=enrolment.youth_file.participant_id,
                     before={"status": EnrolmentStatus.ACTIVE},
                     after=model_snapshot(ended, ["status", "end_date", "exit_situation", "end_reason"]))
    return ended


def scheme_phase_add(*, by: User, enrolment: SchemeEnrolment, start_date: date, planned_end: date,
                     objectives: str, commitments: str = "") -> SchemePhase:
    """A phase of a running PACEA: after the previous one was evaluated, within the PACEA's 24 months."""
    errors: dict[str, list[str]] = {}
    if enrolment.scheme != Scheme.PACEA:
        raise ValidationError(_("Seul un PACEA se découpe en phases."))
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError(_("Ce PACEA est terminé : il n'a plus de nouvelle phase."))
    last_day = add_months(enrolment.start_date, SCHEME_MAX_MONTHS[Scheme.PACEA])
    with transaction.atomic():
        SchemeEnrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        previous = enrolment.phases.order_by("-number").first()
        if previous is not None and previous.end_date is None:
            errors["start_date"] = [_("Début : la phase %(n)s est en cours ; évaluez-la d'abord.")
                                    % {"n": previous.number}]
        elif start_date < enrolment.start_date:
            errors["start_date"] = [_("Début : il précède la signature du PACEA (%(day)s).")
                                    % {"day": enrolment.start_date.strftime("%d/%m/%Y")}]
        elif previous is not None and previous.end_date is not None and start_date < previous.end_date:
            errors["start_date"] = [_("Début : il précède la fin de la phase précédente (%(day)s).")
                                    % {"day": previous.end_date.strftime("%d/%m/%Y")}]
        if planned_end < start_date:
            errors["planned_end"] = [_("Fin prévue : elle précède le début.")]
        elif planned_end > last_day:
            errors["planned_end"] = [_("Fin prévue : au plus tard le %(day)s (24 mois après la signature).")
                                     % {"day": last_day.strftime("%d/%m/%Y")}]
        if not objectives.strip():
            errors["objectives"] = [_("Objectifs : ce champ est obligatoire.")]
        if errors:
            raise ValidationError(errors)
        phase = SchemePhase.objects.create(enrolment=enrolment, number=(previous.number + 1) if previous else 1,
                                           start_date=start_date, planned_end=planned_end,
                                           objectives=objectives.strip(), commitments=commitments.strip())
        audit_record(actor=by, action="scheme_phase_add", obj=phase,
                     participant_id=enrolment.youth_file.participant_id,
                     after=model_snapshot(phase, ["number", "start_date", "planned_end"]))
    return phase


def scheme_phase_evaluate(*, by: User, phase: SchemePhase, end_date: date, evaluation: str) -> SchemePhase:
    errors: dict[str, list[str]] = {}
    if phase.end_date is not None:
        raise ValidationError(_("Cette phase est déjà évaluée."))
    if end_date < phase.start_date or end_date > timezone.localdate():
        errors["end_date"] = [_("Fin : entre le début de la phase (%(day)s) et aujourd'hui.")
                              % {"day": phase.start_date.strftime("%d/%m/%Y")}]
    if not evaluation.strip():
        errors["evaluation"] = [_("Évaluation : ce champ est obligatoire.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        phase.end_date, phase.evaluation = end_date, evaluation.strip()
        phase.save(update_fields=["end_date", "evaluation", "updated_at"])
        audit_record(actor=by, action="scheme_phase_evaluate", obj=phase,
                     participant_id=phase.enrolment.youth_file.participant_id, before={"end_date": None},
                     after={"end_date": end_date.isoformat()})
    return phase


# An allowance is paid under its contract: the fund -> the scheme running on the day of the decision.
ALLOWANCE_SCHEMES: dict[str, str] = {Fund.PACEA_ALLOWANCE: Scheme.PACEA, Fund.CEJ_ALLOWANCE: Scheme.CEJ}


def youth_aid_record(*, by: User, youth_file: YouthFile, fund: str, decision_date: date, amount: Decimal,
                     purpose: str = "") -> Aid:
    """An aid decided for the young person (youth funds, emergency fund) or an allowance, which needs its contract
    (a PACEA allowance a PACEA running on the day of the decision, a CEJ allowance a CEJ)."""
    errors: dict[str, list[str]] = {}
    if fund not in Fund.values:
        errors["fund"] = [_("Fonds : choisissez un fonds de la liste.")]
    if decision_date > timezone.localdate():
        errors["decision_date"] = [_("Date de la décision : la date est à venir.")]
    else:
        _date_errors(errors, "decision_date", decision_date, label=_("Date de la décision"))
    if amount is None or amount <= 0:
        errors["amount"] = [_("Montant : un montant positif, en euros.")]
    if purpose not in ("", *AidPurpose.values):
        errors["purpose"] = [_("Objet : choisissez un objet de la liste.")]
    scheme = ALLOWANCE_SCHEMES.get(fund)
    if scheme is not None and not errors.get("decision_date") and not youth_file.enrolments.filter(
            scheme=scheme, start_date__lte=decision_date).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=decision_date)).exists():
        errors["fund"] = [_("Fonds : une allocation %(scheme)s suppose un %(scheme)s en cours le jour de la "
                            "décision ; ce jeune n'en a pas.") % {"scheme": Scheme(scheme).label}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        aid = Aid.objects.create(territory_id=youth_file.territory_id, aid_ref=_new_ref("A"), youth_file=youth_file,
                                 fund=fund, decision_date=decision_date, amount=amount, purpose=purpose)
        audit_record(actor=by, action="youth_aid_record", obj=aid, participant_id=youth_file.participant_id,
                     after=model_snapshot(aid, ["fund", "decision_date", "amount", "purpose"]))
    return aid


# --- workshops and information sessions (docs/youth.md) --------------------------------------------------------------

WORKSHOP_FIELDS = ("name", "kind", "theme", "description", "run_by", "partner_name", "default_capacity", "is_active")


def _workshop_values_check(*, territory_id: int, values: dict[str, Any], exclude_pk: int | None = None) -> dict:
    """The catalogue entry's values, cleaned (a partner's name only when a partner runs it), or the refusals."""
    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Nom : ce champ est obligatoire.")]
    elif Workshop.objects.filter(territory_id=territory_id, name__iexact=name).exclude(
            pk=exclude_pk or 0).exists():
        errors["name"] = [_("Nom : un atelier de ce nom est déjà au catalogue.")]
    if values.get("kind") not in WorkshopKind.values:
        errors["kind"] = [_("Type : choisissez atelier ou information collective.")]
    if values.get("theme") not in WorkshopTheme.values:
        errors["theme"] = [_("Thème : choisissez un thème de la liste.")]
    run_by = values.get("run_by")
    partner_name = (values.get("partner_name") or "").strip()
    if run_by not in WorkshopRunner.values:
        errors["run_by"] = [_("Animé par : choisissez la Mission Locale ou un partenaire.")]
    elif run_by == WorkshopRunner.PARTNER and not partner_name:
        errors["partner_name"] = [_("Nom du partenaire : obligatoire pour un atelier animé par un partenaire.")]
    capacity = values.get("default_capacity")
    if capacity is not None and capacity < 1:
        errors["default_capacity"] = [_("Places par séance : au moins une.")]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "kind": values["kind"], "theme": values["theme"],
            "description": (values.get("description") or "").strip(), "run_by": run_by,
            "partner_name": partner_name if run_by == WorkshopRunner.PARTNER else "",
            "default_capacity": capacity, "is_active": bool(values.get("is_active", True))}


def _workshop_saved(save) -> Workshop:
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:   # the same name typed at the same time on two pages
        raise ValidationError({"name": [_("Nom : un atelier de ce nom est déjà au catalogue.")]}) from None


def workshop_create(*, by: User, territory: Territory, values: dict[str, Any]) -> Workshop:
    """A workshop or an information session of the catalogue: its name (unique in the territory), theme, who runs
    it, its places per session."""
    cleaned = _workshop_values_check(territory_id=territory.pk, values=values)

    def save() -> Workshop:
        workshop = Workshop.objects.create(territory=territory, **cleaned)
        audit_record(actor=by, action="workshop_create", obj=workshop, participant_id=None,
                     after=model_snapshot(workshop, list(WORKSHOP_FIELDS)))
        return workshop

    return _workshop_saved(save)


def workshop_update(*, by: User, workshop: Workshop, values: dict[str, Any]) -> Workshop:
    """Correct a catalogue entry, or take it off the catalogue (`is_active`). Its sessions keep the name and theme
    they were planned with (the report counts them as they were held)."""
    cleaned = _workshop_values_check(territory_id=workshop.territory_id, values=values, exclude_pk=workshop.pk)
    before = model_snapshot(workshop, list(WORKSHOP_FIELDS))

    def save() -> Workshop:
        for name, value in cleaned.items():
            setattr(workshop, name, value)
        workshop.save()
        audit_record(actor=by, action="workshop_update", obj=workshop, participant_id=None, before=before,
                     after=model_snapshot(workshop, list(WORKSHOP_FIELDS)))
        return workshop

    return _workshop_saved(save)


def workshop_session_plan(*, by: User, workshop: Workshop, day: date, start_time: time | None = None,
                          site: Site | None = None, capacity: int | None = None) -> WorkshopSession:
    """A session of a catalogue entry, today or later: it copies the entry's name and theme (the interchange's
    columns) and its places per session unless others are given."""
    errors: dict[str, list[str]] = {}
    if not workshop.is_active:
        errors["date"] = [_("Date : cet atelier n'est plus au catalogue ; on n'en planifie plus de séance.")]
    elif day < timezone.localdate():
        errors["date"] = [_("Date : la date est passée ; une séance se planifie aujourd'hui ou à venir.")]
    else:
        _date_errors(errors, "date", day, label=_("Date"))
    if site is not None and site.territory_id != workshop.territory_id:
        errors["site"] = [_("Lieu : ce lieu n'est pas de ce territoire.")]
    places = capacity if capacity is not None else workshop.default_capacity
    if places is not None and places < 1:
        errors["capacity"] = [_("Places : au moins une.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = WorkshopSession.objects.create(
            territory_id=workshop.territory_id, session_ref=_new_ref("AT"), workshop=workshop.name,
            theme=workshop.theme, date=day, capacity=places, catalogue=workshop, start_time=start_time, site=site,
            created_by=by)
        audit_record(actor=by, action="workshop_session_plan", obj=session, participant_id=None,
                     after={**model_snapshot(session, ["workshop", "theme", "date", "site", "capacity"]),
                            "start_time": start_time.strftime("%H:%M") if start_time else None})
    return session


def workshop_places_taken(session: WorkshopSession) -> int:
    """Registrations holding a place: a refusal frees its place."""
    return session.registrations.filter(status__in=PLACE_HOLDING_STATUSES).count()


def workshop_registration_create(*, by: User, session: WorkshopSession, youth_file: YouthFile
                                 ) -> WorkshopRegistration:
    """Put a young person forward for a session (status `prescribed`). Refused: a session of another territory,
    a session already held, a young person already registered, a full session. Two advisers registering at once
    are serialised on the session's row, so that its places are never exceeded."""
    if session.territory_id != youth_file.territory_id:
        raise ValidationError({"session": [_("Séance : elle n'est pas du territoire de ce jeune.")]})
    if session.date < timezone.localdate():
        raise ValidationError({"session": [_("Séance : elle a eu lieu le %(day)s ; on n'y inscrit plus.")
                                           % {"day": session.date.strftime("%d/%m/%Y")}]})
    with transaction.atomic():
        locked = WorkshopSession.objects.select_for_update().get(pk=session.pk)
        if locked.registrations.filter(youth_file=youth_file).exists():
            raise ValidationError({"session": [_("Séance : ce jeune y est déjà inscrit.")]})
        if locked.capacity is not None and workshop_places_taken(locked) >= locked.capacity:
            raise ValidationError({"session": [_("Séance : elle est complète (%(n)s places).")
                                               % {"n": locked.capacity}]})
        registration = WorkshopRegistration.objects.create(session=locked, youth_file=youth_file,
                                                           status=RegistrationStatus.PRESCRIBED, registered_by=by)
        audit_record(actor=by, action="workshop_registration_create", obj=registration,
                     participant_id=youth_file.participant_id,
                     after={"session": locked.session_ref, "status": registration.status})
    return registration


def _presence_event_kind(session: WorkshopSession) -> str:
    if session.catalogue is not None and session.catalogue.kind == WorkshopKind.INFORMATION_SESSION:
        return EventKind.INFORMATION_SESSION
    return EventKind.WORKSHOP


def workshop_attendance_mark(*, by: User, session: WorkshopSession, statuses: dict[int, str]) -> int:
    """Set the status of the session's registrations (registration pk -> status) in one go; the number changed.

    Present and absent are set on the session's day or after it; before it a registration is prescribed or refused
    (by the young person, by a third party). A presence records a `workshop` event (`information_session` for an
    information session) in the young person's file, on the session's day and site: what the Mission Locale did
    with them, so counted among the young people accompanied (docs/youth.md). Undoing the presence removes it.
    Nothing is saved when one status is refused."""
    today = timezone.localdate()
    allowed = RegistrationStatus.values if session.date <= today else list(BEFORE_SESSION_STATUSES)
    with transaction.atomic():
        WorkshopSession.objects.select_for_update().get(pk=session.pk)
        registrations = {r.pk: r for r in session.registrations.select_related("youth_file", "event").filter(
            pk__in=list(statuses))}
        errors: dict[str, list[str]] = {}
        for pk, status in statuses.items():
            field = f"r{pk}"
            registration = registrations.get(pk)
            if registration is None:
                errors[field] = [_("Inscription : elle n'est pas de cette séance.")]
            elif status not in RegistrationStatus.values:
                errors[field] = [_("Statut : choisissez un statut de la liste.")]
            elif status != registration.status and status not in allowed:
                errors[field] = [_("Statut : présent·e ou absent·e se note le jour de la séance (%(day)s) ou "
                                   "après.") % {"day": session.date.strftime("%d/%m/%Y")}]
            elif status == RegistrationStatus.PRESENT and session.date < registration.youth_file.first_reception_date:
                errors[field] = [_("Statut : la séance précède le premier accueil de ce jeune (%(day)s).")
                                 % {"day": registration.youth_file.first_reception_date.strftime("%d/%m/%Y")}]
        if errors:
            raise ValidationError(errors)
        changed = 0
        kind = _presence_event_kind(session)
        for pk, status in statuses.items():
            registration = registrations[pk]
            if registration.status == status:
                continue
            before = {"status": registration.status}
            registration.status = status
            if status == RegistrationStatus.PRESENT and registration.event_id is None:
                registration.event = YouthEvent.objects.create(
                    territory_id=session.territory_id, event_ref=_new_ref("E"), youth_file=registration.youth_file,
                    date=session.date, kind=kind, site_id=session.site_id, author=by,
                    summary=_("Présent·e à la séance « %(name)s ».") % {"name": session.workshop})
            elif status != RegistrationStatus.PRESENT and registration.event is not None:
                registration.event.delete()
                registration.event = None
            registration.save(update_fields=["status", "event", "updated_at"])
            audit_record(actor=by, action="workshop_attendance_mark", obj=registration,
                         participant_id=registration.youth_file.participant_id, before=before,
                         after={"status": status, "event": registration.event.event_ref if registration.event else None})
            changed += 1
    return changed
# --- immersions in companies: the PMSMP agreement (youth/immersion_workflow.py), its evaluation, its follow-ups ----

IMMERSION_FIELDS = ("company_name", "company_siret", "company_address", "tutor_name", "tutor_job", "tutor_phone",
                    "tutor_email", "trade", "rome_code", "start_date", "end_date", "weekly_hours", "aim")
ROME_CODE = re.compile(r"^[A-Z][0-9]{4}$")


def immersion_last_day(start_date: date) -> date:
    """The last day of a PMSMP begun on `start_date`: it lasts one month at most (1 March → 31 March)."""
    return add_months(start_date, IMMERSION_MAX_MONTHS) - timedelta(days=1)


def _immersion_values(youth_file: YouthFile, values: dict[str, Any]) -> dict[str, Any]:
    """The agreement's values, cleaned (SIRET compacted, phone in E.164, ROME code in capitals), or a
    ValidationError naming each refused field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {name: values.get(name) for name in IMMERSION_FIELDS}
    for name in ("company_name", "company_siret", "company_address", "tutor_name", "tutor_job", "tutor_phone",
                 "tutor_email", "trade", "rome_code", "aim"):
        cleaned[name] = (cleaned[name] or "").strip()
    labels = {"company_name": _("Entreprise d'accueil"), "company_address": _("Adresse du lieu de l'immersion"),
              "tutor_name": _("Tuteur·rice"), "trade": _("Métier observé")}
    for name, label in labels.items():
        if not cleaned[name]:
            errors[name] = [_("%(field)s : ce champ est obligatoire.") % {"field": label}]
    if not cleaned["company_siret"]:
        errors["company_siret"] = [_("SIRET de l'entreprise : ce champ est obligatoire.")]
    elif problem := siret_problem(cleaned["company_siret"]):
        errors["company_siret"] = [_("SIRET de l'entreprise : %(problem)s") % {"problem": problem}]
    else:
        cleaned["company_siret"] = siret_compact(cleaned["company_siret"])
    if cleaned["tutor_phone"]:
        if problem := phone_problem(cleaned["tutor_phone"]):
            errors["tutor_phone"] = [_("Téléphone du tuteur·rice : %(problem)s") % {"problem": problem}]
        else:
            cleaned["tutor_phone"] = phone_e164(cleaned["tutor_phone"])
    if cleaned["tutor_email"]:
        try:
            validate_email(cleaned["tutor_email"])
        except ValidationError:
            errors["tutor_email"] = [_("Courriel du tuteur·rice : adresse invalide.")]
    cleaned["rome_code"] = cleaned["rome_code"].upper().replace(" ", "")
    if cleaned["rome_code"] and not ROME_CODE.match(cleaned["rome_code"]):
        errors["rome_code"] = [_("Code ROME : une lettre et quatre chiffres (M1607).")]
    if cleaned["aim"] not in PmsmpAim.values:
        errors["aim"] = [_("Objet de l'immersion : choisissez un objet de la liste.")]
    start, end = cleaned["start_date"], cleaned["end_date"]
    if start is None:
        errors["start_date"] = [_("Début : ce champ est obligatoire.")]
    else:
        _date_errors(errors, "start_date", start, label=_("Début"))
        if not errors.get("start_date") and start < youth_file.first_reception_date:
            errors["start_date"] = [_("Début : il précède le premier accueil du jeune (%(day)s).")
                                    % {"day": youth_file.first_reception_date.strftime("%d/%m/%Y")}]
    if end is None:
        errors["end_date"] = [_("Fin : ce champ est obligatoire.")]
    elif start is not None and end < start:
        errors["end_date"] = [_("Fin : elle précède le début.")]
    elif start is not None and end > immersion_last_day(start):
        errors["end_date"] = [_("Fin : une immersion (PMSMP) dure un mois au plus ; commencée le %(start)s, elle se "
                                "termine au plus tard le %(last)s.")
                              % {"start": start.strftime("%d/%m/%Y"),
                                 "last": immersion_last_day(start).strftime("%d/%m/%Y")}]
    hours = cleaned["weekly_hours"]
    if hours is None or not 0 < hours <= IMMERSION_MAX_WEEKLY_HOURS:
        errors["weekly_hours"] = [_("Heures par semaine : entre 1 et %(max)s heures.")
                                  % {"max": IMMERSION_MAX_WEEKLY_HOURS}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def immersion_draw_up(*, by: User, youth_file: YouthFile, values: dict[str, Any]) -> ImmersionAgreement:
    """The agreement of an immersion in a company, in preparation (draft), prescribed by `by`: the company and its
    tutor, the trade observed, the dates (one month at most), the weekly hours, the aim."""
    cleaned = _immersion_values(youth_file, values)
    with transaction.atomic():
        agreement = ImmersionAgreement(territory_id=youth_file.territory_id, youth_file=youth_file, prescriber=by,
                                       **cleaned)
        transition_create(IMMERSION_WORKFLOW, agreement, "draw_up", by=by)
        audit_record(actor=by, action="immersion_draw_up", obj=agreement, participant_id=youth_file.participant_id,
                     after=model_snapshot(agreement, [*IMMERSION_FIELDS, "status"]))
    return agreement


def _immersion_apply(*, by: User, agreement: ImmersionAgreement, name: str, data: Any = None) -> ImmersionAgreement:
    before = {"status": agreement.status}
    with transaction.atomic():
        changed = transition_apply(IMMERSION_WORKFLOW, agreement, name, by=by, data=data)
        audit_record(actor=by, action=f"immersion_{name}", obj=changed,
                     participant_id=agreement.youth_file.participant_id, before=before,
                     after=model_snapshot(changed, ["status", "situation"]))
    return changed


def immersion_sign(*, by: User, agreement: ImmersionAgreement) -> ImmersionAgreement:
    """The agreement is signed by the three parties: the PMSMP situation is recorded with its dates and aim."""
    return _immersion_apply(by=by, agreement=agreement, name="sign")


def immersion_complete(*, by: User, agreement: ImmersionAgreement) -> ImmersionAgreement:
    return _immersion_apply(by=by, agreement=agreement, name="complete")


def immersion_cancel(*, by: User, agreement: ImmersionAgreement, reason: str = "") -> ImmersionAgreement:
    """Cancel before the first day: nothing is removed, the agreement is marked cancelled."""
    return _immersion_apply(by=by, agreement=agreement, name="cancel", data={"reason": reason.strip()})


def immersion_evaluate(*, by: User, agreement: ImmersionAgreement, day: date, aptitudes: str, outcome: str,
                       hire_proposed: bool) -> ImmersionEvaluation:
    """The tutor's evaluation, recorded by the adviser, once the immersion's last day has passed."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if agreement.status not in (ImmersionStatus.SIGNED, ImmersionStatus.DONE):
        raise ValidationError(_("Seule une immersion signée s'évalue."))
    if today <= agreement.end_date:
        raise ValidationError(_("L'immersion se termine le %(day)s : elle s'évalue une fois ce jour passé.")
                              % {"day": agreement.end_date.strftime("%d/%m/%Y")})
    if day > today or day <= agreement.end_date:
        errors["date"] = [_("Date de l'évaluation : après la fin de l'immersion (%(day)s) et au plus tard "
                            "aujourd'hui.") % {"day": agreement.end_date.strftime("%d/%m/%Y")}]
    if not aptitudes.strip():
        errors["aptitudes"] = [_("Aptitudes observées : ce champ est obligatoire.")]
    if not outcome.strip():
        errors["outcome"] = [_("Bilan : ce champ est obligatoire.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            evaluation = ImmersionEvaluation.objects.create(agreement=agreement, date=day, aptitudes=aptitudes.strip(),
                                                            outcome=outcome.strip(), hire_proposed=hire_proposed,
                                                            recorded_by=by)
            audit_record(actor=by, action="immersion_evaluate", obj=evaluation,
                         participant_id=agreement.youth_file.participant_id,
                         after=model_snapshot(evaluation, ["date", "hire_proposed"]))
    except IntegrityError:
        raise ValidationError(_("Cette immersion est déjà évaluée.")) from None
    return evaluation


def immersion_follow_up_due_on(agreement: ImmersionAgreement, milestone: str) -> date:
    return agreement.end_date + timedelta(days=FOLLOW_UP_DAYS[milestone])


def immersion_follow_up_record(*, by: User, agreement: ImmersionAgreement, milestone: str, day: date, outcome: str,
                               contract_type: str = "", employment_start: date | None = None,
                               comment: str = "") -> ImmersionFollowUp:
    """What became of the young person 15 days, 1 month or 3 months after the immersion, from that day on.

    In employment or in work-study: the situation the report reads (docs/spec/youth.md, `employment_within`: an
    employment or work-study situation starting between the immersion's end and 15, 30 or 90 days after) is
    recorded, starting the day the job began (`employment_start`, the follow-up's day if not given), unless the
    young person already has an employment or work-study situation running on that day."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if agreement.status not in (ImmersionStatus.SIGNED, ImmersionStatus.DONE):
        raise ValidationError(_("Seule une immersion signée a un suivi."))
    if milestone not in FOLLOW_UP_DAYS:
        raise ValidationError({"milestone": [_("Échéance : choisissez une échéance de la liste.")]})
    due = immersion_follow_up_due_on(agreement, milestone)
    if day < due or day > today:
        errors["date"] = [_("Date du suivi : le suivi « %(milestone)s » est dû à partir du %(day)s, et se date au "
                            "plus tard aujourd'hui.")
                          % {"milestone": FollowUpMilestone(milestone).label, "day": due.strftime("%d/%m/%Y")}]
    if outcome not in FollowUpOutcome.values:
        errors["outcome"] = [_("Situation : choisissez une situation de la liste.")]
    if outcome == FollowUpOutcome.EMPLOYMENT and contract_type not in YouthContractType.values:
        errors["contract_type"] = [_("Type de contrat : obligatoire pour un emploi.")]
    category = FOLLOW_UP_SITUATIONS.get(outcome)
    start = employment_start or day
    if category is not None and (start > day or start < agreement.start_date):
        errors["employment_start"] = [_("Début de l'emploi : entre le début de l'immersion (%(day)s) et le jour du "
                                        "suivi.") % {"day": agreement.start_date.strftime("%d/%m/%Y")}]
    if errors:
        raise ValidationError(errors)
    youth_file = agreement.youth_file
    try:
        with transaction.atomic():
            situation = None
            if category is not None:
                situation = (youth_file.situations.filter(
                    category__in=list(FOLLOW_UP_SITUATIONS.values()), start_date__lte=start)
                    .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).order_by("-start_date", "-pk").first())
                if situation is None:
                    situation = youth_situation_record(
                        by=by, youth_file=youth_file, category=category, start_date=start,
                        contract_type=contract_type if category == SituationCategory.EMPLOYMENT else "")
            follow_up = ImmersionFollowUp.objects.create(
                agreement=agreement, milestone=milestone, date=day, outcome=outcome,
                contract_type=contract_type if outcome == FollowUpOutcome.EMPLOYMENT else "", situation=situation,
                comment=comment.strip(), recorded_by=by)
            audit_record(actor=by, action="immersion_follow_up_record", obj=follow_up,
                         participant_id=youth_file.participant_id,
                         after=model_snapshot(follow_up, ["milestone", "date", "outcome", "contract_type",
                                                          "situation"]))
    except IntegrityError:
        raise ValidationError({"milestone": [_("Échéance : ce suivi est déjà enregistré.")]}) from None
    return follow_up
