"""Reads of the ESF+ contract (docs/spec/esf.md): the common indicators and the payment claim of an operation.

Both read their rows in a fixed number of queries (no per-participation query) and count in Python: ages in
completed years and the claim's per-year costs are exact arithmetic (fractions of the Decimal inputs), rounded
once, when printed (`amount_round`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import F, Q

from parcours.pathways.models import Appointment
from parcours.plie.intake.models import ReceptionInterview

from .enums import SENSITIVE_FIELDS, ExitSituation, LabourStatus
from .models import Operation, Participation, ReferentCost

HOURS_PER_YEAR = 1720
FLAT_RATE = Fraction(40, 100)
CORRECTION_THRESHOLD = Fraction(35, 100)
WORKING = (LabourStatus.EMPLOYED, LabourStatus.SELF_EMPLOYED)
IN_WORK = (ExitSituation.EMPLOYED, ExitSituation.SELF_EMPLOYED)

OUTPUT_KEYS = [f"EECO{n:02d}" for n in range(1, 18)]
RESULT_KEYS = [f"EECR{n:02d}" for n in range(1, 7)]


class OperationUnknown(LookupError):
    pass


def operation_get(*, operation_ref: str) -> Operation:
    try:
        return Operation.objects.select_related("beneficiary").get(operation_ref=operation_ref)
    except Operation.DoesNotExist:
        raise OperationUnknown(operation_ref) from None


def age_at(birth: date, day: date) -> int:
    """Completed years on `day` (someone born on 29 February is a year older on 1 March of a common year)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def amount_round(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Half away from zero, once, from the exact value."""
    exact = Fraction(value)
    quantum = Decimal(1).scaleb(-places)
    sign = -1 if exact < 0 else 1
    scaled = abs(exact) * 10 ** places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return (Decimal(sign * whole) * quantum).quantize(quantum, rounding=ROUND_HALF_UP)


def _participants(operation: Operation):
    """The operation's participations that count: one whose exit is its entry day is not a participant."""
    return Participation.objects.filter(operation=operation).exclude(exit_date=F("entry_date"))


def _count(rows: list[dict]) -> dict[str, int]:
    return {"total": len(rows), "women": sum(r["participant__sex"] == "F" for r in rows),
            "men": sum(r["participant__sex"] == "M" for r in rows)}


def _complete(row: dict, date_to: date) -> bool:
    if not row["participant__sex"] or row["participant__birth_date"] is None:
        return False
    if not (row["participant__phone"] or row["participant__email"]):
        return False
    if not row["labour_status"] or (row["labour_status"] == LabourStatus.UNEMPLOYED
                                    and row["unemployment_months"] is None):
        return False
    if not row["isced"] or any(not row[name] for name in SENSITIVE_FIELDS):
        return False
    if row["exit_date"] is not None and row["exit_date"] <= date_to:
        return bool(row["exit_situation"]) and row["qualification_gained"] is not None
    return True


def esf_indicators_compute(*, operation: Operation, date_from: date, date_to: date) -> dict:
    """The ESF+ common indicators of `operation` over [date_from, date_to] (docs/spec/esf.md, key order kept)."""
    period = Q(entry_date__range=(date_from, date_to)) | Q(exit_date__range=(date_from, date_to))
    rows = list(_participants(operation).filter(period).values(
        "entry_date", "exit_date", "labour_status", "unemployment_months", "isced", *SENSITIVE_FIELDS,
        "exit_situation", "qualification_gained", "situation_6_months", "improved_situation_6_months",
        "participant__sex", "participant__birth_date", "participant__phone", "participant__email"))
    entered = [r for r in rows if date_from <= r["entry_date"] <= date_to]
    leavers = [r for r in rows if r["exit_date"] is not None and date_from <= r["exit_date"] <= date_to]
    for r in entered:
        r["age"] = age_at(r["participant__birth_date"], r["entry_date"])

    def long_term(r):
        if r["labour_status"] != LabourStatus.UNEMPLOYED or r["unemployment_months"] is None:
            return False
        return r["unemployment_months"] > (12 if r["age"] >= 25 else 6)

    output = {
        "EECO01": lambda r: r["labour_status"] == LabourStatus.UNEMPLOYED,
        "EECO02": long_term,
        "EECO03": lambda r: r["labour_status"] == LabourStatus.INACTIVE,
        "EECO04": lambda r: r["labour_status"] in WORKING,
        "EECO05": lambda r: True,
        "EECO06": lambda r: r["age"] < 18,
        "EECO07": lambda r: 18 <= r["age"] <= 29,
        "EECO08": lambda r: r["age"] >= 55,
        "EECO09": lambda r: r["isced"] in ("0", "1", "2"),
        "EECO10": lambda r: r["isced"] in ("3", "4"),
        "EECO11": lambda r: r["isced"] in ("5", "6", "7", "8"),
    }
    for n, name in enumerate(SENSITIVE_FIELDS, start=12):
        output[f"EECO{n:02d}"] = lambda r, name=name: r[name] == "1"
    result = {
        "EECR01": lambda r: r["labour_status"] == LabourStatus.INACTIVE
        and r["exit_situation"] == ExitSituation.JOB_SEARCHING,
        "EECR02": lambda r: r["exit_situation"] == ExitSituation.EDUCATION_TRAINING,
        "EECR03": lambda r: r["qualification_gained"] is True,
        "EECR04": lambda r: r["exit_situation"] in IN_WORK,
        "EECR05": lambda r: r["situation_6_months"] in IN_WORK,
        "EECR06": lambda r: r["improved_situation_6_months"] is True,
    }
    data: dict = {"operation": operation.operation_ref,
                  "period": {"from": date_from.isoformat(), "to": date_to.isoformat()}}
    for key in OUTPUT_KEYS:
        data[key] = _count([r for r in entered if output[key](r)])
    for key in RESULT_KEYS:
        data[key] = _count([r for r in leavers if result[key](r)])
    data["leavers"] = len(leavers)
    data["six_months_known"] = sum(bool(r["situation_6_months"]) for r in leavers)
    incomplete = sum(not _complete(r, date_to) for r in entered)
    share = Fraction(incomplete, len(entered)) if entered else None
    data["completeness"] = {"participants": len(entered), "incomplete": incomplete,
                            "incomplete_share": share,
                            "correction_risk": share is not None and share > CORRECTION_THRESHOLD}
    return data


@dataclass
class ReferentClaim:
    referent: str
    minutes: int
    staff_cost: Fraction


@dataclass
class Claim:
    operation: Operation
    date_from: date
    date_to: date
    esf_rate: Fraction
    referents: list[ReferentClaim]
    appointments_without_duration: int
    referents_without_cost: list[str]

    @property
    def direct_staff_costs(self) -> Fraction:
        return sum((r.staff_cost for r in self.referents), Fraction(0))

    @property
    def flat_rate_costs(self) -> Fraction:
        return FLAT_RATE * self.direct_staff_costs

    @property
    def total_eligible(self) -> Fraction:
        return self.direct_staff_costs + self.flat_rate_costs

    @property
    def esf_due(self) -> Fraction:
        return self.total_eligible * self.esf_rate


def _referent_key(email: str | None, ref: str) -> str:
    return email or ref


def esf_claim_compute(*, operation: Operation, date_from: date, date_to: date) -> Claim:
    """The payment claim of `operation` over [date_from, date_to]: the referents' eligible time, costed per calendar
    year at each referent's hourly rate, plus the 40 % flat rate (docs/spec/esf.md)."""
    start, end = max(date_from, operation.start_date), min(date_to, operation.end_date)
    windows: dict[int, tuple[date, date]] = {}
    if start <= end:
        for person, entry, exit_ in _participants(operation).values_list("participant_id", "entry_date",
                                                                         "exit_date"):
            low, high = max(start, entry), min(end, exit_ or date_to)
            if low <= high:
                windows[person] = (low, high)
    minutes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    without_duration = 0
    if windows:
        # The beneficiary claims its own referents' time only: pathways it operates.
        common = {"pathway__operator_id": operation.beneficiary_id, "date__range": (start, end)}
        fields = ("pathway__participant_id", "date", "duration_minutes", "pathway__referent__email",
                  "pathway__referent_ref")
        sources = [Appointment.objects.filter(**common), ReceptionInterview.objects.filter(**common)]
        people = list(windows)
        for qs in sources:
            for i in range(0, len(people), 900):
                chunk = people[i:i + 900]
                for person, day, duration, email, ref in qs.filter(
                        pathway__participant_id__in=chunk).values_list(*fields).iterator(chunk_size=5000):
                    low, high = windows[person]
                    referent = _referent_key(email, ref)
                    if not (low <= day <= high) or not referent:
                        continue
                    if duration is None:
                        without_duration += 1
                        continue
                    if duration == 0:
                        continue  # no eligible minute: the referent is not listed for it
                    minutes[referent][day.year] += duration
    costs: dict[tuple[str, int], Fraction] = {}
    years = sorted({year for by_year in minutes.values() for year in by_year})
    if years:
        for email, ref, year, annual, share in ReferentCost.objects.filter(
                territory_id=operation.beneficiary.territory_id, year__in=years).values_list(
                "referent__email", "referent_ref", "year", "annual_gross_cost", "work_time_share"):
            costs[(_referent_key(email, ref), year)] = Fraction(annual) / (HOURS_PER_YEAR * Fraction(share))
    referents, without_cost = [], set()
    for referent in sorted(minutes):
        total_cost, total_minutes = Fraction(0), 0
        for year, count in sorted(minutes[referent].items()):
            total_minutes += count
            rate = costs.get((referent, year))
            if rate is None:
                without_cost.add(referent)
                continue
            total_cost += Fraction(count, 60) * rate
        referents.append(ReferentClaim(referent=referent, minutes=total_minutes, staff_cost=total_cost))
    return Claim(operation=operation, date_from=date_from, date_to=date_to,
                 esf_rate=Fraction(operation.esf_amount) / Fraction(operation.total_eligible_cost),
                 referents=referents, appointments_without_duration=without_duration,
                 referents_without_cost=sorted(without_cost))


def esf_claim_data(claim: Claim) -> dict:
    """The claim as the command prints it (key order of the spec's example), amounts rounded to the cent."""
    def money(value: Fraction) -> float:
        return float(amount_round(value))
    return {
        "operation": claim.operation.operation_ref,
        "period": {"from": claim.date_from.isoformat(), "to": claim.date_to.isoformat()},
        "esf_rate": float(claim.esf_rate),
        "referents": [{"referent": r.referent, "minutes": r.minutes,
                       "hours": float(amount_round(Fraction(r.minutes, 60))), "staff_cost": money(r.staff_cost)}
                      for r in claim.referents],
        "direct_staff_costs": money(claim.direct_staff_costs), "flat_rate_costs": money(claim.flat_rate_costs),
        "total_eligible": money(claim.total_eligible), "esf_due": money(claim.esf_due),
        "appointments_without_duration": claim.appointments_without_duration,
        "referents_without_cost": claim.referents_without_cost,
    }
