"""Reads of the social clauses (docs/spec/clauses.md): the figures of `parcours clauses-report`.

The sums and distinct counts are aggregated by the database (hours are exact decimals there; on SQLite the sum
is read back at two decimals, exact for any realistic volume), a fixed number of queries whatever the size. Every
hours figure and the FTE are rounded to two decimals once, at the end, the FTE from the unrounded hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, DecimalField, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .enums import BuyerKind, LegalBasis, Modality, Public
from .models import Beneficiary, ClauseContract, HoursStatement

GENERATED_PARTICIPANT_REF = re.compile(r"^P(\d+)$")

# The legal annual working time (code du travail, L3121-27: 35 hours a week, 1,607 hours a year).
HOURS_PER_FTE = 1607
UNDER_26, FROM_50 = 26, 50


def hours_round(value: Fraction | Decimal | int) -> float:
    """Two decimals, half away from zero, from the exact value (hours are never negative)."""
    return float(_quantize(Fraction(value)))


def _quantize(exact: Fraction) -> Decimal:
    scaled = exact * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return (Decimal(whole) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def age_at(birth: date, day: date) -> int:
    """Completed years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _number(value: Decimal) -> int | float:
    """A quantity of the files as a JSON number: an integer when it is one."""
    return int(value) if value == value.to_integral_value() else float(value)


def statements_in(*, territory_ids: Iterable[int], date_from: date, date_to: date) -> QuerySet[HoursStatement]:
    """The statements that count in [date_from, date_to]: those whose month's first day falls in it."""
    return HoursStatement.objects.filter(contract__buyer__territory_id__in=list(territory_ids),
                                         month__gte=date_from, month__lte=date_to).order_by()


def _sums_by(statements: QuerySet[HoursStatement], column: str, codes: list[str]) -> dict[str, float]:
    found = dict(statements.values_list(column).annotate(total=Sum("hours")).values_list(column, "total"))
    return {code: hours_round(found.get(code) or 0) for code in codes}


def clauses_report_compute(*, territory_ids: Iterable[int], date_from: date, date_to: date) -> dict:
    """Every figure of docs/spec/clauses.md for the period, every key present (zeros included)."""
    territory_ids = list(territory_ids)
    statements = statements_in(territory_ids=territory_ids, date_from=date_from, date_to=date_to)
    totals = statements.aggregate(
        hours=Sum("hours"), beneficiaries=Count("beneficiary", distinct=True),
        employers=Count("employer_siret", distinct=True), awardees=Count("contract__awardee_siret", distinct=True),
        contracts=Count("contract", distinct=True), buyers=Count("contract__buyer", distinct=True))
    hours = Fraction(totals["hours"] or 0)
    work_contracts = statements.values("beneficiary", "employer_siret", "contract_type", "contract").distinct().count()

    # The beneficiaries' profile: age on the first day of their first counted month.
    first_months = dict(statements.values_list("beneficiary").annotate(first=Min("month"))
                        .values_list("beneficiary", "first"))
    people = Beneficiary.objects.filter(pk__in=list(first_months)).values_list(
        "pk", "sex", "birth_date", "qpv_id", "participant_id", "publics")
    profile = {"women": 0, "under_26": 0, "age_50_plus": 0, "qpv": 0, "plie_participants": 0}
    by_public = dict.fromkeys(Public.values, 0)
    for pk, sex, birth, qpv, participant, publics in people:
        age = age_at(birth, first_months[pk])
        profile["women"] += sex == "F"
        profile["under_26"] += age < UNDER_26
        profile["age_50_plus"] += age >= FROM_50
        profile["qpv"] += qpv is not None
        profile["plie_participants"] += participant is not None
        for code in set(publics):
            if code in by_public:
                by_public[code] += 1

    # Progress: every contract with a counted statement; its hours to date are all its statements up to date_to.
    to_date = (HoursStatement.objects.filter(contract=OuterRef("pk"), month__lte=date_to).order_by()
               .values("contract").annotate(total=Sum("hours")).values("total"))
    progress = []
    for ref, required, done in (ClauseContract.objects.filter(pk__in=statements.values("contract"))
                                .annotate(done=Coalesce(Subquery(to_date), Value(Decimal(0)),
                                                        output_field=DecimalField(max_digits=14, decimal_places=2)))
                                .order_by("contract_ref").values_list("contract_ref", "hours_required", "done")):
        exact = Fraction(done)
        progress.append({"contract_ref": ref, "hours_required": _number(required), "hours_to_date": hours_round(exact),
                         "completion_rate": float(exact / Fraction(required)) if required else None})

    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "hours": hours_round(hours), "fte": hours_round(hours / HOURS_PER_FTE),
        "beneficiaries": totals["beneficiaries"], "work_contracts": work_contracts,
        "employers": totals["employers"], "awardees": totals["awardees"], "contracts": totals["contracts"],
        "buyers": totals["buyers"],
        "hours_by_modality": _sums_by(statements, "modality", Modality.values),
        "hours_by_buyer_kind": _sums_by(statements, "contract__buyer__kind", BuyerKind.values),
        "hours_by_legal_basis": _sums_by(statements, "contract__legal_basis", LegalBasis.values),
        "beneficiaries_profile": {**profile, "by_public": by_public},
        "contracts_progress": progress,
    }


# --- the facilitator's pages -------------------------------------------------------------------------------------

def _months(start: date, end: date) -> int:
    """Months from start's month to end's month, both counted."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def contract_forecast(*, start: date, end: date | None, worked: Decimal, today: date) -> Decimal | None:
    """The hours the contract will have given at its end if the pace so far holds: the hours of the months up to
    this one, divided by the months elapsed since the start month (this one included, at most the contract's), times
    the contract's months. None without an end date or before the start month."""
    if end is None or (today.year, today.month) < (start.year, start.month):
        return None
    total = _months(start, end)
    elapsed = min(_months(start, today), total)
    return (Decimal(worked) * total / elapsed).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def contracts_with_hours(contracts: QuerySet[ClauseContract], *, today: date) -> QuerySet[ClauseContract]:
    """The contracts with `worked`: the hours of their statements whose month started on or before today."""
    worked = (HoursStatement.objects.filter(contract=OuterRef("pk"), month__lte=today).order_by()
              .values("contract").annotate(total=Sum("hours")).values("total"))
    return (contracts.select_related("buyer")
            .annotate(worked=Coalesce(Subquery(worked), Value(Decimal(0)),
                                      output_field=DecimalField(max_digits=14, decimal_places=2)))
            .order_by("contract_ref"))


def contract_statements(contract: ClauseContract) -> QuerySet[HoursStatement]:
    return contract.statements.select_related("beneficiary").order_by("month", "line_ref")


def participant_by_ref(*, territory_id: int, ref: str):
    """The person a file of `territory_id` follows, named as the files name them (docs/clauses.md): their
    `external_ref`, or `P<id>` for a person created in Parcours; None when the territory holds no such file."""
    from parcours.participants.models import Participant
    from parcours.pathways.models import Pathway

    people = Participant.objects.filter(territory_id=territory_id,
                                        pk__in=Pathway.objects.filter(territory_id=territory_id)
                                        .values("participant_id"))
    ref = ref.strip()
    generated = GENERATED_PARTICIPANT_REF.match(ref)
    found = people.filter(external_ref=ref).first() if ref else None
    if found is None and generated:
        found = people.filter(pk=int(generated.group(1)), external_ref="").first()
    return found


def beneficiaries_listed(beneficiaries: QuerySet[Beneficiary]) -> QuerySet[Beneficiary]:
    return beneficiaries.select_related("participant", "checked_by").order_by("beneficiary_ref")


@dataclass
class LateContract:
    contract: ClauseContract
    forecast: Decimal
    shortfall: Decimal


def contracts_late(contracts: QuerySet[ClauseContract], *, today: date) -> list[LateContract]:
    """The contracts being performed (started, and their end month not past) whose forecast at the end
    (contract_forecast) is below the hours required, with the shortfall; the largest shortfall first. One query."""
    current = today.replace(day=1)
    running = contracts.filter(start_date__lte=today, end_date__gte=current, hours_required__gt=0)
    late = []
    for contract in contracts_with_hours(running, today=today):
        worked: Decimal = contract.worked  # type: ignore[attr-defined]  # annotated by contracts_with_hours
        forecast = contract_forecast(start=contract.start_date, end=contract.end_date, worked=worked, today=today)
        if forecast is not None and forecast < contract.hours_required:
            late.append(LateContract(contract=contract, forecast=forecast,
                                     shortfall=contract.hours_required - forecast))
    return sorted(late, key=lambda row: (-row.shortfall, row.contract.contract_ref))


@dataclass
class BuyerReport:
    """What the facilitator reports to the buyer on one contract, to date: no person is named."""

    contract: ClauseContract
    today: date
    worked: Decimal
    forecast: Decimal | None
    completion_rate: Fraction | None      # worked / required, None when nothing is required
    fte: float
    by_month: list[tuple[date, Decimal]]
    by_modality: list[tuple[str, Decimal]]
    beneficiaries: int
    women: int
    plie_participants: int
    employers: int


def buyer_report_compute(contract: ClauseContract, *, today: date) -> BuyerReport:
    """The contract's hours to date (statements whose month started on or before today), by month and by modality,
    the forecast at the end, and the people counted (no names). Four queries."""
    statements = HoursStatement.objects.filter(contract=contract, month__lte=today).order_by()
    by_month = [(row["month"], row["total"]) for row in
                statements.values("month").annotate(total=Sum("hours")).order_by("month")]
    sums = dict(statements.values_list("modality").annotate(total=Sum("hours")).order_by())
    by_modality = [(code, sums.get(code, Decimal(0))) for code in Modality.values]
    worked = sum((total for _, total in by_month), Decimal(0))
    people = (Beneficiary.objects.filter(pk__in=statements.values("beneficiary"))
              .aggregate(n=Count("pk"), women=Count("pk", filter=Q(sex="F")),
                         plie=Count("pk", filter=Q(participant__isnull=False))))
    employers = statements.values("employer_siret").distinct().count()
    required = contract.hours_required
    return BuyerReport(
        contract=contract, today=today, worked=worked,
        forecast=contract_forecast(start=contract.start_date, end=contract.end_date, worked=worked, today=today),
        completion_rate=Fraction(worked) / Fraction(required) if required else None,
        fte=hours_round(Fraction(worked) / HOURS_PER_FTE), by_month=by_month, by_modality=by_modality,
        beneficiaries=people["n"], women=people["women"], plie_participants=people["plie"], employers=employers)
