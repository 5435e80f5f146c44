"""Writes of the ESF+ module: operations, their financing plan and amendments, a pathway's participations.

Each service checks the actor's capability, the rules of docs/spec/esf.md that span rows (the plan adds up, years
and entries within the operation's period, no overlap), writes in one transaction and leaves an audit row.
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.workflow import transition_apply, transition_create
from parcours.organisations.capabilities import ESF_CONTROL, ESF_MANAGE, ESF_QUESTIONNAIRE, SENSITIVE_READ
from parcours.organisations.scope import territory_ids_with
from parcours.pathways.models import Pathway
from parcours.pathways.services import pathway_writer_check

from .enums import SENSITIVE_FIELDS, ClaimState, FunderKind, LabourStatus, SampleOutcome, SampleRejection
from .models import Claim, ClaimSampleItem, Cofinancing, Operation, OperationAmendment, Participation
from .selectors import claim_participations
from .workflow import CLAIM_WORKFLOW

OPERATION_FIELDS = ["operation_ref", "title", "beneficiary", "start_date", "end_date"]
AMOUNT_FIELDS = ["total_eligible_cost", "esf_amount"]
LINE_FIELDS = ["funder_kind", "funder", "year", "planned", "actual"]
ENTRY_FIELDS = ["entry_date", "labour_status", "unemployment_months", "in_education_or_training", "isced",
                "information_given_on", "consent_given_on"]
EXIT_FIELDS = ["exit_date", "exit_situation", "qualification_gained", "situation_6_months",
               "improved_situation_6_months"]
EARLIEST = datetime.date(1990, 1, 1)


def euros(value: Decimal) -> str:
    return f"{value:.2f} €"


def _manager_check(by, operation_territory_id: int) -> None:
    if operation_territory_id not in territory_ids_with(by, ESF_MANAGE):
        raise ValidationError(_("Votre rôle ne permet pas de gérer les opérations FSE+ de ce territoire."))


def plan_problems(*, start_date: datetime.date, end_date: datetime.date, total_eligible_cost: Decimal,
                  esf_amount: Decimal, lines: list[dict[str, Any]]) -> list[str]:
    """What makes a financing plan refused (docs/spec/esf.md, as the import checks it): years within the period,
    the `esf` lines adding up to the ESF amount and all planned lines to the total. No line yet is accepted."""
    problems = []
    for line in lines:
        if not start_date.year <= line["year"] <= end_date.year:
            problems.append(_("L'année %(year)s est hors de la période de l'opération (%(start)s – %(end)s).")
                            % {"year": line["year"], "start": start_date.strftime("%d/%m/%Y"),
                               "end": end_date.strftime("%d/%m/%Y")})
    if lines:
        esf = sum((line["planned"] for line in lines if line["funder_kind"] == FunderKind.ESF), Decimal(0))
        total = sum((line["planned"] for line in lines), Decimal(0))
        if esf != esf_amount:
            problems.append(_("Les lignes FSE+ totalisent %(sum)s, le montant FSE+ de l'opération est %(amount)s.")
                            % {"sum": euros(esf), "amount": euros(esf_amount)})
        if total != total_eligible_cost:
            problems.append(_("Les lignes prévues totalisent %(sum)s, le coût total éligible de l'opération est "
                              "%(amount)s.") % {"sum": euros(total), "amount": euros(total_eligible_cost)})
    return problems


def _plan_snapshot(operation: Operation) -> dict[str, Any]:
    return {"total_eligible_cost": str(operation.total_eligible_cost), "esf_amount": str(operation.esf_amount),
            "lines": [{"funder_kind": line.funder_kind, "funder": line.funder, "year": line.year,
                       "planned": str(line.planned), "actual": None if line.actual is None else str(line.actual)}
                      for line in operation.cofinancing.order_by("year", "funder_kind", "funder", "pk")]}


def _lines_write(operation: Operation, lines: Iterable[dict[str, Any]]) -> None:
    operation.cofinancing.all().delete()
    Cofinancing.objects.bulk_create([Cofinancing(operation=operation, **{k: line.get(k) if k != "funder" else
                                                                         line.get(k) or "" for k in LINE_FIELDS})
                                     for line in lines])


def _full_clean(obj) -> None:
    obj.full_clean(validate_unique=True, validate_constraints=True)


def operation_create(*, by, values: dict[str, Any], lines: list[dict[str, Any]]) -> Operation:
    """A new operation and its financing plan (possibly empty: a plan not entered yet)."""
    operation = Operation(**{k: values[k] for k in OPERATION_FIELDS + AMOUNT_FIELDS})
    _manager_check(by, operation.beneficiary.territory_id)
    _full_clean(operation)
    problems = plan_problems(start_date=operation.start_date, end_date=operation.end_date,
                             total_eligible_cost=operation.total_eligible_cost, esf_amount=operation.esf_amount,
                             lines=lines)
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        operation.save()
        _lines_write(operation, lines)
        after = model_snapshot(operation, OPERATION_FIELDS + AMOUNT_FIELDS) | {"plan": _plan_snapshot(operation)}
        audit_record(actor=by, action="esf.operation.create", obj=operation, participant_id=None, after=after)
    return operation


def operation_update(*, operation: Operation, by, values: dict[str, Any]) -> Operation:
    """Its number, title, beneficiary and period; the plan and the participations' entries must still fit."""
    _manager_check(by, operation.beneficiary.territory_id)
    with transaction.atomic():
        locked = Operation.objects.select_for_update(of=("self",)).select_related("beneficiary").get(pk=operation.pk)
        before = model_snapshot(locked, OPERATION_FIELDS)
        for name in OPERATION_FIELDS:
            setattr(locked, name, values[name])
        _manager_check(by, locked.beneficiary.territory_id)
        _full_clean(locked)
        problems = plan_problems(start_date=locked.start_date, end_date=locked.end_date,
                                 total_eligible_cost=locked.total_eligible_cost, esf_amount=locked.esf_amount,
                                 lines=[dict(line) for line in locked.cofinancing.values("funder_kind", "year", "planned")])
        outside = locked.participations.exclude(entry_date__range=(locked.start_date, locked.end_date)).count()
        if outside:
            problems.append(_("%(n)s participation(s) entrée(s) hors de cette période : la période ne peut pas "
                              "les exclure.") % {"n": outside})
        if problems:
            raise ValidationError({"__all__": problems})
        locked.save()
        audit_record(actor=by, action="esf.operation.update", obj=locked, participant_id=None, before=before,
                     after=model_snapshot(locked, OPERATION_FIELDS))
    return locked


def operation_amend(*, operation: Operation, by, date: datetime.date, reason: str, total_eligible_cost: Decimal,
                    esf_amount: Decimal, lines: list[dict[str, Any]]) -> OperationAmendment:
    """An amendment: the planned amounts and the plan change, the amendment keeps them before and after."""
    _manager_check(by, operation.beneficiary.territory_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Le motif de l'avenant est obligatoire.")})
    with transaction.atomic():
        locked = Operation.objects.select_for_update().get(pk=operation.pk)
        before = _plan_snapshot(locked)
        locked.total_eligible_cost, locked.esf_amount = total_eligible_cost, esf_amount
        _full_clean(locked)
        problems = plan_problems(start_date=locked.start_date, end_date=locked.end_date,
                                 total_eligible_cost=total_eligible_cost, esf_amount=esf_amount, lines=lines)
        if problems:
            raise ValidationError({"__all__": problems})
        locked.save()
        _lines_write(locked, lines)
        after = _plan_snapshot(locked)
        if after == before:
            raise ValidationError({"__all__": [_("L'avenant ne change rien au plan de financement.")]})
        amendment = OperationAmendment.objects.create(operation=locked, date=date, reason=reason.strip(),
                                                      before=before, after=after, recorded_by=by)
        audit_record(actor=by, action="esf.operation.amend", obj=locked, participant_id=None, before=before,
                     after=after)
    return amendment


# --- participations ---------------------------------------------------------------------------------------------

def _questionnaire_check(by, pathway: Pathway) -> None:
    if not by.can(ESF_QUESTIONNAIRE):
        raise ValidationError(_("Votre rôle ne permet pas de renseigner les questionnaires FSE+."))
    pathway_writer_check(by, pathway)


def _sensitive_check(by, sensitive: dict[str, str] | None) -> None:
    if sensitive is not None and not by.can(SENSITIVE_READ):
        raise ValidationError(_("Votre rôle ne permet pas de lire ni de saisir les réponses sensibles."))


def _participation_rules(participation: Participation, operation: Operation) -> None:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    entry, exit_ = participation.entry_date, participation.exit_date
    if not operation.start_date <= entry <= operation.end_date:
        errors.setdefault("entry_date", []).append(
            _("L'entrée doit être dans la période de l'opération (%(start)s – %(end)s).")
            % {"start": operation.start_date.strftime("%d/%m/%Y"), "end": operation.end_date.strftime("%d/%m/%Y")})
    for name in ("entry_date", "exit_date"):
        day = getattr(participation, name)
        if day is not None and not EARLIEST <= day <= today:
            errors.setdefault(name, []).append(_("La date ne peut être ni future ni antérieure à 1990."))
    if exit_ is not None and exit_ < entry:
        errors.setdefault("exit_date", []).append(_("La sortie précède l'entrée."))
    if participation.labour_status == LabourStatus.UNEMPLOYED and participation.unemployment_months is None:
        errors.setdefault("unemployment_months", []).append(
            _("Obligatoire pour une personne au chômage à l'entrée."))
    if participation.improved_situation_6_months is not None and participation.labour_status not in (
            LabourStatus.EMPLOYED, LabourStatus.SELF_EMPLOYED):
        errors.setdefault("improved_situation_6_months", []).append(
            _("Seulement pour une personne salariée ou indépendante à l'entrée."))
    twice = Participation.objects.filter(participant_id=participation.participant_id, operation=operation)
    if twice.exclude(pk=participation.pk).exists():
        errors.setdefault("__all__", []).append(_("La personne participe déjà à cette opération."))
    # No minute claimed twice: no overlap with a participation in another operation of the same beneficiary.
    far = datetime.date.max
    overlapping = Participation.objects.filter(
        participant_id=participation.participant_id, operation__beneficiary_id=operation.beneficiary_id,
        entry_date__lte=exit_ or far).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=entry)).exclude(
        operation=operation).select_related("operation").first()
    if overlapping is not None:
        errors.setdefault("__all__", []).append(
            _("Chevauche la participation de la personne à l'opération « %(op)s » du même bénéficiaire.")
            % {"op": overlapping.operation.operation_ref})
    if errors:
        raise ValidationError(errors)


def _snapshot(participation: Participation, sensitive: bool) -> dict[str, Any]:
    fields = ENTRY_FIELDS + EXIT_FIELDS + (list(SENSITIVE_FIELDS) if sensitive else [])
    return model_snapshot(participation, ["operation"] + fields)


def participation_enter(*, pathway: Pathway, operation: Operation, by, values: dict[str, Any],
                        sensitive: dict[str, str] | None = None) -> Participation:
    """The person of `pathway` enters `operation` with the entry questionnaire the referent confirmed.
    `sensitive` (the six answers) only from a user holding sensitive.read; None leaves them not collected."""
    _questionnaire_check(by, pathway)
    _sensitive_check(by, sensitive)
    if operation.beneficiary.territory_id != pathway.territory_id:
        raise ValidationError(_("Cette opération n'est pas celle du territoire de la personne."))
    participation = Participation(participation_ref=f"web-{uuid.uuid4().hex}", participant_id=pathway.participant_id,
                                  operation=operation, **{k: values.get(k) for k in ENTRY_FIELDS})
    participation.in_education_or_training = values.get("in_education_or_training")
    participation.isced = values.get("isced") or ""
    for name in SENSITIVE_FIELDS:
        setattr(participation, name, (sensitive or {}).get(name) or "")
    with transaction.atomic():
        Operation.objects.select_for_update().filter(pk=operation.pk).first()
        _participation_rules(participation, operation)
        _full_clean(participation)
        participation.save()
        audit_record(actor=by, action="esf.participation.enter", obj=participation,
                     participant_id=pathway.participant_id, after=_snapshot(participation, sensitive is not None))
    return participation


def participation_update(*, participation: Participation, pathway: Pathway, by, values: dict[str, Any],
                         sensitive: dict[str, str] | None = None) -> Participation:
    """The entry questionnaire corrected, the exit questionnaire and the six-month situation. The sensitive answers
    change only when given (by a user holding sensitive.read); otherwise they stay as they are."""
    _questionnaire_check(by, pathway)
    _sensitive_check(by, sensitive)
    if participation.participant_id != pathway.participant_id:
        raise ValidationError(_("Cette participation n'est pas celle de la personne de ce dossier."))
    with transaction.atomic():
        locked = Participation.objects.select_for_update(of=("self",)).select_related("operation").get(
            pk=participation.pk)
        before = _snapshot(locked, sensitive is not None)
        for name in ENTRY_FIELDS + EXIT_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        locked.isced = locked.isced or ""
        locked.exit_situation = locked.exit_situation or ""
        locked.situation_6_months = locked.situation_6_months or ""
        if sensitive is not None:
            for name in SENSITIVE_FIELDS:
                setattr(locked, name, sensitive.get(name) or "")
        _participation_rules(locked, locked.operation)
        _full_clean(locked)
        locked.save()
        audit_record(actor=by, action="esf.participation.update", obj=locked, participant_id=locked.participant_id,
                     before=before, after=_snapshot(locked, sensitive is not None))
    return locked


# --- payment claims ----------------------------------------------------------------------------------------------

CLAIM_AUDITED = ["state", "date_from", "date_to", "direct_staff_costs", "flat_rate_costs", "total_eligible",
                 "esf_due", "paid_on", "paid_amount"]
SAMPLE_SIZE_MAX = 200


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def claim_create(*, operation: Operation, by, date_from: datetime.date, date_to: datetime.date) -> Claim:
    """A draft claim of `operation` for [date_from, date_to], its figures computed now. Refused: a period outside
    the operation's, or one that overlaps a claim of the same operation (checked under a lock of the operation's
    row, so that two drafts posted at once cannot both pass)."""
    errors: dict[str, list[str]] = {}
    if date_to < date_from:
        errors.setdefault("date_to", []).append(_("Fin de la période : elle précède son début."))
    elif not (operation.start_date <= date_from and date_to <= operation.end_date):
        errors.setdefault("date_from", []).append(
            _("Période : elle doit être dans la période de l'opération (%(start)s – %(end)s).")
            % {"start": _day(operation.start_date), "end": _day(operation.end_date)})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Operation.objects.select_for_update(of=("self",)).select_related("beneficiary").get(pk=operation.pk)
        overlapping = Claim.objects.filter(operation=locked, date_from__lte=date_to,
                                           date_to__gte=date_from).order_by("date_from").first()
        if overlapping is not None:
            raise ValidationError({"date_from": [
                _("Période : une demande de paiement de cette opération couvre déjà tout ou partie de cette période "
                  "(du %(start)s au %(end)s) ; une période déjà demandée ne peut pas l'être deux fois.")
                % {"start": _day(overlapping.date_from), "end": _day(overlapping.date_to)}]})
        claim = Claim(operation=locked, date_from=date_from, date_to=date_to, author=by)
        transition_create(CLAIM_WORKFLOW, claim, "create", by=by)
        audit_record(actor=by, action="esf.claim.create", obj=claim, participant_id=None,
                     after=model_snapshot(claim, CLAIM_AUDITED))
    return claim


def claim_transition(*, claim: Claim, name: str, by, data: Any = None) -> Claim:
    """Apply transition `name` of the claim's workflow (submit, take, request_corrections, resubmit, validate,
    pay) as `by`; the engine checks the state and the actor, and logs it; an audit row keeps the figures."""
    with transaction.atomic():
        before = model_snapshot(Claim.objects.get(pk=claim.pk), CLAIM_AUDITED)
        locked = transition_apply(CLAIM_WORKFLOW, claim, name, by=by, data=data)
        audit_record(actor=by, action=f"esf.claim.{name}", obj=locked, participant_id=None, before=before,
                     after=model_snapshot(locked, CLAIM_AUDITED))
    return locked


def _controller_check(by, claim: Claim) -> None:
    if claim.operation.beneficiary.territory_id not in territory_ids_with(by, ESF_CONTROL):
        raise ValidationError(_("Votre rôle ne permet pas de contrôler les demandes de paiement de ce territoire."))
    if claim.state != ClaimState.UNDER_CONTROL:
        raise ValidationError(_("La demande de paiement n'est pas en contrôle (elle est à l'état « %(state)s »).")
                              % {"state": claim.get_state_display()})


def claim_sample_draw(*, claim: Claim, by, size: int, seed: int | None = None) -> list[ClaimSampleItem]:
    """The controller draws `size` of the claim's participations (a seeded draw: the same seed over the same
    participations draws the same people; the seed and size are kept). Once per claim."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update(of=("self",)).select_related("operation__beneficiary").get(
            pk=claim.pk)
        _controller_check(by, locked)
        if locked.sample_seed is not None:
            raise ValidationError(_("L'échantillon de cette demande est déjà tiré."))
        population = list(claim_participations(operation=locked.operation, date_from=locked.date_from,
                                               date_to=locked.date_to).values_list("pk", flat=True))
        if not population:
            raise ValidationError({"size": [_("Taille de l'échantillon : la demande ne compte aucun·e "
                                              "participant·e à tirer.")]})
        if not 1 <= size <= min(len(population), SAMPLE_SIZE_MAX):
            raise ValidationError({"size": [_("Taille de l'échantillon : entre 1 et %(max)s (participant·es de la "
                                              "demande).") % {"max": min(len(population), SAMPLE_SIZE_MAX)}]})
        locked.sample_seed = secrets.randbelow(2 ** 53) if seed is None else seed
        locked.sample_size, locked.sampled_at = size, timezone.now()
        drawn = sorted(random.Random(locked.sample_seed).sample(population, size))
        items = ClaimSampleItem.objects.bulk_create([ClaimSampleItem(claim=locked, participation_id=pk)
                                                     for pk in drawn])
        locked.save(update_fields=["sample_seed", "sample_size", "sampled_at", "updated_at"])
        audit_record(actor=by, action="esf.claim.sample", obj=locked, participant_id=None,
                     after={"seed": locked.sample_seed, "size": size, "population": len(population),
                            "participations": drawn})
    return items


def claim_sample_check(*, item: ClaimSampleItem, by, outcome: str, reason: str = "", comment: str = "") -> \
        ClaimSampleItem:
    """The controller's finding on a sampled item: checked, or rejected with a reason of the list."""
    with transaction.atomic():
        locked = ClaimSampleItem.objects.select_for_update(of=("self",)).select_related(
            "claim__operation__beneficiary", "participation").get(pk=item.pk)
        _controller_check(by, locked.claim)
        if outcome not in (SampleOutcome.CHECKED, SampleOutcome.REJECTED):
            raise ValidationError({"outcome": [_("Résultat : choisissez « contrôlé » ou « rejeté ».")]})
        if outcome == SampleOutcome.REJECTED and reason not in SampleRejection.values:
            raise ValidationError({"rejection_reason": [_("Motif du rejet : choisissez un motif de la liste.")]})
        before = model_snapshot(locked, ["outcome", "rejection_reason", "comment"])
        locked.outcome = outcome
        locked.rejection_reason = reason if outcome == SampleOutcome.REJECTED else ""
        locked.comment = comment.strip()[:500]
        locked.checked_by, locked.checked_at = by, timezone.now()
        _full_clean(locked)
        locked.save()
        audit_record(actor=by, action="esf.claim.sample_check", obj=locked.claim,
                     participant_id=locked.participation.participant_id, before=before,
                     after=model_snapshot(locked, ["outcome", "rejection_reason", "comment"]))
    return locked
