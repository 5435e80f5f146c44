"""Writes of the social clauses: a monthly statement of hours entered by the facilitator (audited)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record

from .models import Beneficiary, ClauseContract, HoursStatement


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
