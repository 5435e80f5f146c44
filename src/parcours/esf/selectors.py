"""Reads of the ESF+ contract (docs/spec/esf.md): the common indicators and the payment claim of an operation.

Both read their rows in a fixed number of queries (no per-participation query) and count in Python: ages in
completed years and the claim's per-year costs are exact arithmetic (fractions of the Decimal inputs), rounded
once, when printed (`amount_round`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from parcours.pathways.models import Appointment, Pathway
from parcours.plie.intake.models import ReceptionInterview

from .enums import SENSITIVE_FIELDS, ExitSituation, LabourStatus
from .models import Cofinancing, Operation, Participation, ReferentCost

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


GAP_LABELS = {
    "sex": _("sexe"), "birth_date": _("date de naissance"), "contact": _("téléphone ou courriel"),
    "labour_status": _("situation sur le marché du travail"), "unemployment_months": _("durée du chômage"),
    "isced": _("niveau CITE"), "sensitive": _("réponses sensibles (une au moins non recueillie)"),
    "exit_situation": _("situation à la sortie"), "qualification_gained": _("qualification obtenue"),
}


def completeness_gaps(row: dict, date_to: date) -> list[str]:
    """Why an entered participation is incomplete over a period ending `date_to` (docs/spec/esf.md), as codes of
    GAP_LABELS; none: complete."""
    gaps = []
    if not row["participant__sex"]:
        gaps.append("sex")
    if row["participant__birth_date"] is None:
        gaps.append("birth_date")
    if not (row["participant__phone"] or row["participant__email"]):
        gaps.append("contact")
    if not row["labour_status"]:
        gaps.append("labour_status")
    elif row["labour_status"] == LabourStatus.UNEMPLOYED and row["unemployment_months"] is None:
        gaps.append("unemployment_months")
    if not row["isced"]:
        gaps.append("isced")
    if any(not row[name] for name in SENSITIVE_FIELDS):
        gaps.append("sensitive")
    if row["exit_date"] is not None and row["exit_date"] <= date_to:
        if not row["exit_situation"]:
            gaps.append("exit_situation")
        if row["qualification_gained"] is None:
            gaps.append("qualification_gained")
    return gaps


def _complete(row: dict, date_to: date) -> bool:
    return not completeness_gaps(row, date_to)


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


def esf_claim_compute(*, operation: Operation, date_from: date, date_to: date,
                      excluded: Collection[int] = ()) -> Claim:
    """The payment claim of `operation` over [date_from, date_to]: the referents' eligible time, costed per calendar
    year at each referent's hourly rate, plus the 40 % flat rate (docs/spec/esf.md). `excluded`: participants whose
    time a control rejected (a saved claim's resubmission, docs/esf.md); the command excludes no one."""
    start, end = max(date_from, operation.start_date), min(date_to, operation.end_date)
    windows: dict[int, tuple[date, date]] = {}
    if start <= end:
        for person, entry, exit_ in _participants(operation).values_list("participant_id", "entry_date",
                                                                         "exit_date"):
            if person in excluded:
                continue
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


def claim_participations(*, operation: Operation, date_from: date, date_to: date) -> QuerySet[Participation]:
    """The participations a claim over [date_from, date_to] counts (those with a window in the period, as
    `esf_claim_compute` reads them): the population of its sampled control, in a fixed order."""
    start, end = max(date_from, operation.start_date), min(date_to, operation.end_date)
    if start > end:
        return Participation.objects.none()
    return (_participants(operation).filter(entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=start)).order_by("pk"))


# --- the pages' reads -------------------------------------------------------------------------------------------

COMPLETENESS_FIELDS = ("entry_date", "exit_date", "labour_status", "unemployment_months", "isced", *SENSITIVE_FIELDS,
                       "exit_situation", "qualification_gained", "participant__sex", "participant__birth_date",
                       "participant__phone", "participant__email")


@dataclass
class PlanRow:
    funder_kind: str
    funder: str
    label: str
    cells: list[tuple[Decimal, Decimal | None]]     # (planned, actual) per year of the operation's period
    planned: Decimal
    actual: Decimal | None


@dataclass
class Plan:
    years: list[int]
    rows: list[PlanRow]
    planned_by_year: list[Decimal]
    actual_by_year: list[Decimal | None]
    planned: Decimal
    actual: Decimal | None


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else a + b


def operation_plan(operation: Operation) -> Plan:
    """The financing plan by funder (rows) and year (columns), planned and actual, with the totals. One query."""
    years = list(range(operation.start_date.year, operation.end_date.year + 1))
    lines = list(Cofinancing.objects.filter(operation=operation).order_by("funder_kind", "funder", "year", "pk"))
    years = sorted(set(years) | {line.year for line in lines})
    index = {year: i for i, year in enumerate(years)}
    grouped: dict[tuple[str, str], list[tuple[Decimal, Decimal | None]]] = {}
    labels: dict[tuple[str, str], str] = {}
    for line in lines:
        key = (line.funder_kind, line.funder)
        cells = grouped.setdefault(key, [(Decimal(0), None)] * len(years))
        planned, actual = cells[index[line.year]]
        cells[index[line.year]] = (planned + line.planned, _add(actual, line.actual))
        labels[key] = line.get_funder_kind_display()
    rows = []
    for key, cells in grouped.items():
        row_actual: Decimal | None = None
        for cell in cells:
            row_actual = _add(row_actual, cell[1])
        rows.append(PlanRow(funder_kind=key[0], funder=key[1], label=labels[key], cells=cells,
                            planned=sum((c[0] for c in cells), Decimal(0)), actual=row_actual))
    planned_by_year = [sum((r.cells[i][0] for r in rows), Decimal(0)) for i in range(len(years))]
    actual_by_year: list[Decimal | None] = []
    for i in range(len(years)):
        total: Decimal | None = None
        for r in rows:
            total = _add(total, r.cells[i][1])
        actual_by_year.append(total)
    actual_total: Decimal | None = None
    for year_total in actual_by_year:
        actual_total = _add(actual_total, year_total)
    return Plan(years=years, rows=rows, planned_by_year=planned_by_year, actual_by_year=actual_by_year,
                planned=sum(planned_by_year, Decimal(0)), actual=actual_total)


def completeness_records(*, operation: Operation, date_from: date, date_to: date) -> list[dict]:
    """The participations that enter in the period (those the completeness counts), each with its person, the
    referent of the person's pathway at the beneficiary (the latest) and its gaps. One query."""
    referent = Pathway.objects.filter(participant_id=OuterRef("participant_id"),
                                      operator_id=operation.beneficiary_id).order_by("-created_at", "-pk")
    rows = list(_participants(operation).filter(entry_date__range=(date_from, date_to)).annotate(
        referent_first=Subquery(referent.values("referent__first_name")[:1]),
        referent_last=Subquery(referent.values("referent__last_name")[:1]),
        referent_id=Subquery(referent.values("referent_id")[:1]),
        referent_label=Subquery(referent.values("referent_ref")[:1]),
    ).values("pk", "participant_id", "participant__last_name", "participant__first_name", "referent_first",
             "referent_last", "referent_id", "referent_label", *COMPLETENESS_FIELDS).order_by(
        "participant__last_name", "participant__first_name", "pk"))
    for row in rows:
        row["gaps"] = [GAP_LABELS[code] for code in completeness_gaps(row, date_to)]
        name = f"{row['referent_first'] or ''} {row['referent_last'] or ''}".strip()
        row["referent"] = name or row["referent_label"] or ""
    return rows


def completeness_by_referent(records: list[dict]) -> list[dict]:
    """Per referent: participants, incomplete ones, the share and whether it is above the 35 % line."""
    by: dict[str, dict] = {}
    for row in records:
        entry = by.setdefault(row["referent"], {"referent": row["referent"], "participants": 0, "incomplete": 0})
        entry["participants"] += 1
        entry["incomplete"] += bool(row["gaps"])
    result = []
    for entry in sorted(by.values(), key=lambda e: (e["referent"] == "", e["referent"].casefold())):
        share = Fraction(entry["incomplete"], entry["participants"])
        result.append(entry | {"share": share, "above": share > CORRECTION_THRESHOLD})
    return result


# The 1969 French levels of the person's file, as the nearest ISCED 2011 level attained: a pre-fill the referent
# confirms (docs/esf.md).
ISCED_OF_LEVEL = {"VI": "1", "VBIS": "2", "V": "3", "IV": "3", "III": "5", "II": "6", "I": "7"}


def participation_entry_prefill(pathway: Pathway, *, day: date, sensitive: bool) -> dict:
    """The entry questionnaire as far as Parcours knows it: ISCED from the education level, the labour status from
    the PLIE's situations (long-term unemployed, inactive for 12 months), disability from the RQTH (a sensitive
    answer, only for a user who may read it)."""
    person = pathway.participant
    values = person.situation_values()
    initial: dict = {"entry_date": day, "information_given_on": day, "consent_given_on": day}
    if person.education_level in ISCED_OF_LEVEL:
        initial["isced"] = ISCED_OF_LEVEL[person.education_level]
    if values.get("deld"):
        initial["labour_status"] = LabourStatus.UNEMPLOYED
    elif values.get("inactive_12m"):
        initial["labour_status"] = LabourStatus.INACTIVE
    if sensitive and values.get("rqth") is not None:
        initial["disability"] = "1" if values["rqth"] else "0"
    return initial


def pathway_participations(pathway: Pathway) -> list[Participation]:
    """The person's participations in the operations of the pathway's territory."""
    return list(Participation.objects.filter(participant_id=pathway.participant_id,
                                             operation__beneficiary__territory_id=pathway.territory_id)
                .select_related("operation__beneficiary").order_by("-entry_date", "-pk"))


def operations_open_to(pathway: Pathway) -> QuerySet[Operation]:
    """The operations of the pathway's territory the person is not in yet."""
    return Operation.objects.filter(beneficiary__territory_id=pathway.territory_id).exclude(
        participations__participant_id=pathway.participant_id).select_related("beneficiary").order_by(
        "-start_date", "operation_ref")
