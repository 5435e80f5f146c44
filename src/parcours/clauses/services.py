"""Writes of the social clauses, each audited in its transaction: the buyers, their contracts and the beneficiaries
the facilitator enters, and a monthly statement of hours (docs/clauses.md). The checks are the import's
(`clauses.models`' shared rules, the models' `clean()` and constraints), with the same French messages."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record

from .models import (
    Beneficiary, Buyer, ClauseContract, HoursStatement, contract_period_problem, eligibility_date_problem,
    participant_taken_problem, publics_sorted, statement_kept_problem, statement_month_problem,
)

BUYER_AUDITED = ("buyer_ref", "name", "kind")
CONTRACT_AUDITED = ("contract_ref", "title", "legal_basis", "awardee_siret", "awardee_name", "amount_excl_tax",
                    "start_date", "end_date", "hours_required")


def _snapshot(obj, fields) -> dict:
    return {name: (str(getattr(obj, name)) if getattr(obj, name) is not None else None) for name in fields}


def _ref_taken(model, column: str, ref: str, *, pk: int | None = None) -> str | None:
    """Refs are unique in the instance (as the import's): the message when another record holds `ref`."""
    if model.objects.filter(**{column: ref}).exclude(pk=pk).exists():
        return _("identifiant « %(ref)s » déjà porté par une autre fiche") % {"ref": ref}
    return None


def buyer_create(*, territory, buyer_ref: str, name: str, kind: str, by) -> Buyer:
    """A public buyer of `territory` (its ref unique in the instance, the kind from the spec's list)."""
    if problem := _ref_taken(Buyer, "buyer_ref", buyer_ref):
        raise ValidationError({"buyer_ref": problem})
    with transaction.atomic():
        buyer = Buyer(territory=territory, buyer_ref=buyer_ref, name=name, kind=kind)
        buyer.full_clean()
        buyer.save()
        audit_record(actor=by, action="buyer_create", obj=buyer, participant_id=None,
                     after=_snapshot(buyer, BUYER_AUDITED))
    return buyer


def buyer_update(*, buyer: Buyer, name: str, kind: str, by) -> Buyer:
    """Rename a buyer or change its kind; its ref, the key of the files, stays."""
    before = _snapshot(buyer, BUYER_AUDITED)
    with transaction.atomic():
        buyer.name, buyer.kind = name, kind
        buyer.full_clean()
        buyer.save()
        audit_record(actor=by, action="buyer_update", obj=buyer, participant_id=None, before=before,
                     after=_snapshot(buyer, BUYER_AUDITED))
    return buyer


def _contract_check(contract: ClauseContract) -> None:
    """The import's rules on a contract: its period, and the statements already recorded still within it."""
    if problem := contract_period_problem(contract.start_date, contract.end_date):
        raise ValidationError({"end_date": problem})
    if contract.pk is None:
        return
    # The period alone is checked: the beneficiaries' eligibility does not change with the contract.
    for line_ref, month, beneficiary_ref in (contract.statements.order_by("month", "line_ref")
                                             .values_list("line_ref", "month", "beneficiary__beneficiary_ref")):
        problem = statement_month_problem(month, contract_ref=contract.contract_ref, start=contract.start_date,
                                          end=contract.end_date, beneficiary_ref=beneficiary_ref,
                                          eligibility_date=date.min)
        if problem:
            raise ValidationError({"start_date": statement_kept_problem(line_ref, problem)})


def clause_contract_create(*, buyer: Buyer, contract_ref: str, title: str, legal_basis: str, awardee_siret: str,
                           awardee_name: str, amount_excl_tax: Decimal | None, start_date: date,
                           end_date: date | None, hours_required: Decimal, by) -> ClauseContract:
    """A contract (or a lot) of `buyer` carrying a clause, with its awardee and the hours it committed to."""
    if problem := _ref_taken(ClauseContract, "contract_ref", contract_ref):
        raise ValidationError({"contract_ref": problem})
    contract = ClauseContract(buyer=buyer, contract_ref=contract_ref, title=title, legal_basis=legal_basis,
                              awardee_siret=awardee_siret, awardee_name=awardee_name,
                              amount_excl_tax=amount_excl_tax, start_date=start_date, end_date=end_date,
                              hours_required=hours_required)
    _contract_check(contract)
    with transaction.atomic():
        contract.full_clean()
        contract.save()
        audit_record(actor=by, action="clause_contract_create", obj=contract, participant_id=None,
                     after=_snapshot(contract, CONTRACT_AUDITED) | {"buyer": buyer.buyer_ref})
    return contract


def clause_contract_update(*, contract: ClauseContract, buyer: Buyer, title: str, legal_basis: str,
                           awardee_siret: str, awardee_name: str, amount_excl_tax: Decimal | None,
                           start_date: date, end_date: date | None, hours_required: Decimal,
                           by) -> ClauseContract:
    """Change a contract (its ref stays); the statements already recorded must still fall in its months."""
    if buyer.territory_id != contract.buyer.territory_id:
        raise ValidationError({"buyer": _("Cet acheteur n'est pas du territoire du marché.")})
    before = _snapshot(contract, CONTRACT_AUDITED) | {"buyer": contract.buyer.buyer_ref}
    with transaction.atomic():
        contract = ClauseContract.objects.select_for_update().get(pk=contract.pk)
        for name, value in {"buyer": buyer, "title": title, "legal_basis": legal_basis,
                            "awardee_siret": awardee_siret, "awardee_name": awardee_name,
                            "amount_excl_tax": amount_excl_tax, "start_date": start_date, "end_date": end_date,
                            "hours_required": hours_required}.items():
            setattr(contract, name, value)
        _contract_check(contract)
        contract.full_clean()
        contract.save()
        audit_record(actor=by, action="clause_contract_update", obj=contract, participant_id=None, before=before,
                     after=_snapshot(contract, CONTRACT_AUDITED) | {"buyer": buyer.buyer_ref})
    return contract


def beneficiary_create(*, territory, beneficiary_ref: str, participant, person_ref: str, sex: str,
                       birth_date: date, publics: list[str], eligibility_date: date, by,
                       today: date | None = None) -> Beneficiary:
    """A person who works clause hours: a PLIE participant of `territory` (`participant`, named `person_ref` as the
    files name them) or someone the PLIE does not follow (None). The facilitator checked their eligibility on
    `eligibility_date` (not after today) on the grounds `publics`; they are recorded as who checked."""
    if problem := _ref_taken(Beneficiary, "beneficiary_ref", beneficiary_ref):
        raise ValidationError({"beneficiary_ref": problem})
    if problem := eligibility_date_problem(eligibility_date, today=today or timezone.localdate()):
        raise ValidationError({"eligibility_date": problem})
    if participant is not None:
        taken = Beneficiary.objects.filter(participant=participant).values_list("beneficiary_ref", flat=True).first()
        if taken:
            raise ValidationError({"person_ref": participant_taken_problem(
                person_ref, taken, _("déjà enregistré·e dans Parcours"))})
    with transaction.atomic():
        beneficiary = Beneficiary(territory=territory, beneficiary_ref=beneficiary_ref, participant=participant,
                                  sex=sex, birth_date=birth_date, publics=publics_sorted(publics),
                                  eligibility_date=eligibility_date, checked_by=by)
        beneficiary.full_clean()
        beneficiary.save()
        audit_record(actor=by, action="beneficiary_create", obj=beneficiary, participant_id=participant and participant.pk,
                     after={"beneficiary_ref": beneficiary_ref, "participant": person_ref or None, "sex": sex,
                            "birth_date": birth_date.isoformat(), "publics": ";".join(beneficiary.publics),
                            "eligibility_date": eligibility_date.isoformat()})
    return beneficiary


def hours_statement_record(*, contract: ClauseContract, beneficiary: Beneficiary, month: date, employer_siret: str,
                           modality: str, contract_type: str, hours: Decimal, by) -> HoursStatement:
    """Record the hours `beneficiary` worked in `month` on `contract` for one employer; the month is kept as its
    first day and checked against the contract's months and the beneficiary's eligibility (docs/spec/clauses.md).
    Its `line_ref` is generated (`R-` and twelve hexadecimal digits), as the interchange format needs one."""
    if beneficiary.territory_id != contract.buyer.territory_id:
        raise ValidationError({"beneficiary": _("Ce ou cette bénéficiaire n'est pas du territoire du marché.")})
    with transaction.atomic():
        statement = HoursStatement(line_ref=f"R-{uuid.uuid4().hex[:12]}", contract=contract, beneficiary=beneficiary,
                                   month=month.replace(day=1), employer_siret=employer_siret, modality=modality,
                                   contract_type=contract_type, hours=hours)
        statement.full_clean()
        statement.save()
        audit_record(actor=by, action="hours_statement_record", obj=statement,
                     participant_id=beneficiary.participant_id, after={
                         "contract": contract.contract_ref, "beneficiary": beneficiary.beneficiary_ref,
                         "month": statement.month.isoformat()[:7], "employer_siret": employer_siret,
                         "modality": modality, "contract_type": contract_type, "hours": str(hours)})
    return statement


def beneficiary_update(*, beneficiary: Beneficiary, sex: str, birth_date: date, publics: list[str],
                       eligibility_date: date, by, today: date | None = None) -> Beneficiary:
    """Correct a beneficiary's sex, birth date, grounds or eligibility date (a new check: the user becomes who
    checked). The ref and the link to a PLIE file stay; the statements already recorded must not precede the
    eligibility month."""
    if problem := eligibility_date_problem(eligibility_date, today=today or timezone.localdate()):
        raise ValidationError({"eligibility_date": problem})
    before = {"sex": beneficiary.sex, "birth_date": beneficiary.birth_date.isoformat(),
              "publics": ";".join(beneficiary.publics), "eligibility_date": beneficiary.eligibility_date.isoformat()}
    with transaction.atomic():
        beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        for line_ref, month, contract_ref, start, end in (
                beneficiary.statements.order_by("month", "line_ref")
                .values_list("line_ref", "month", "contract__contract_ref", "contract__start_date",
                             "contract__end_date")):
            problem = statement_month_problem(month, contract_ref=contract_ref, start=start, end=end,
                                              beneficiary_ref=beneficiary.beneficiary_ref,
                                              eligibility_date=eligibility_date)
            if problem:
                raise ValidationError({"eligibility_date": statement_kept_problem(line_ref, problem)})
        beneficiary.sex, beneficiary.birth_date = sex, birth_date
        beneficiary.publics, beneficiary.eligibility_date = publics_sorted(publics), eligibility_date
        beneficiary.checked_by = by
        beneficiary.full_clean()
        beneficiary.save()
        audit_record(actor=by, action="beneficiary_update", obj=beneficiary,
                     participant_id=beneficiary.participant_id, before=before, after={
                         "sex": sex, "birth_date": birth_date.isoformat(), "publics": ";".join(beneficiary.publics),
                         "eligibility_date": eligibility_date.isoformat()})
    return beneficiary
