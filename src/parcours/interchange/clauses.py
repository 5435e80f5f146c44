"""The social clauses' files of the interchange data set (docs/spec/clauses.md): buyers.csv, contracts.csv,
beneficiaries.csv, clause_hours.csv — their columns, the checks across rows, files and the database, the writes
and the export. The reader, the importer and the exporter call these; the rules of the format (CSV, errors as
`file:line: column: message`, all or nothing, idempotence) are theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from parcours.clauses.enums import BuyerKind, LegalBasis, Modality, Public, WorkContractType
from parcours.clauses.models import (
    Beneficiary, Buyer, ClauseContract, HoursStatement, contract_period_problem, month_label, month_parse,
    participant_taken_problem, publics_sorted, statement_kept_problem, statement_month_problem,
)
from parcours.participants.enums import Sex
from parcours.territory.models import Territory

from . import reader
from .reader import (
    BENEFICIARIES, BUYERS, CLAUSE_HOURS, CONTRACTS, Column, DataSet, Existing, ImportError_, ParseContext,
    _birth_date, _choice, _decimal, _event_date, _insee, _money, _name, _period_date, _qpv, _ref, _siret,
)

def _month(raw: str, ctx: ParseContext):
    """`YYYY-MM` (from 1990), kept as the first day of the month."""
    value = month_parse(raw)
    return (value, None) if value else (None, f"« {raw} » n'est pas un mois au format AAAA-MM (à partir de 1990)")


def _hours(raw: str, ctx: ParseContext):
    value, problem = _decimal(raw, ctx)
    if problem is None and value == 0:
        return None, "le nombre d'heures doit être positif (> 0)"
    return value, problem


def _hours_required(raw: str, ctx: ParseContext):
    value, problem = _money(raw, ctx)
    if problem or value >= 10 ** 8:   # the column holds eight digits before the point
        return None, f"« {raw} » n'est pas un nombre d'heures positif ou nul (point décimal, 2 décimales au plus)"
    return value, None


def _publics(raw: str, ctx: ParseContext):
    """The eligibility grounds, `;`-separated, at least one, each known (a ground given twice counts once)."""
    codes = [code.strip() for code in raw.split(";")]
    unknown = [code for code in codes if code not in Public.values]
    if unknown:
        shown = ", ".join(f"« {code} »" for code in unknown)
        return None, f"motif(s) {shown} inconnu(s) (valeurs admises, séparées par « ; » : {', '.join(Public.values)})"
    return publics_sorted(codes), None


COLUMNS: dict[str, tuple[Column, ...]] = {
    BUYERS: (
        Column("buyer_ref", _ref, True),
        Column("name", _name(200), True),
        Column("kind", _choice(BuyerKind), True),
    ),
    CONTRACTS: (
        Column("contract_ref", _ref, True),
        Column("buyer_ref", _ref, True),
        Column("title", _name(300), True),
        Column("legal_basis", _choice(LegalBasis), True),
        Column("awardee_siret", _siret, True),
        Column("awardee_name", _name(200), True),
        Column("amount_excl_tax", _money),
        Column("start_date", _period_date, True),
        Column("end_date", _period_date),
        Column("hours_required", _hours_required, True),
    ),
    BENEFICIARIES: (
        Column("beneficiary_ref", _ref, True),
        Column("participant_ref", _ref),
        Column("sex", _choice(Sex), True),
        Column("birth_date", _birth_date, True),
        Column("commune_insee", _insee),
        Column("qpv_code", _qpv),
        Column("publics", _publics, True),
        Column("eligibility_date", _event_date, True),
    ),
    CLAUSE_HOURS: (
        Column("line_ref", _ref, True),
        Column("contract_ref", _ref, True),
        Column("beneficiary_ref", _ref, True),
        Column("month", _month, True),
        Column("employer_siret", _siret, True),
        Column("modality", _choice(Modality), True),
        Column("contract_type", _choice(WorkContractType), True),
        Column("hours", _hours, True),
    ),
}
REF_COLUMN = {BUYERS: "buyer_ref", CONTRACTS: "contract_ref", BENEFICIARIES: "beneficiary_ref",
              CLAUSE_HOURS: "line_ref"}
# The reader knows the files by these tables (registered once, when the reader is loaded).
reader.COLUMNS.update(COLUMNS)
reader.REF_COLUMN.update(REF_COLUMN)

BUYER_FIELDS = ["name", "kind"]
CONTRACT_FIELDS = ["buyer_id", "title", "legal_basis", "awardee_siret", "awardee_name", "amount_excl_tax",
                   "start_date", "end_date", "hours_required"]
BENEFICIARY_FIELDS = ["participant_id", "sex", "birth_date", "commune_id", "qpv_id", "publics", "eligibility_date"]
STATEMENT_FIELDS = ["contract_id", "beneficiary_id", "month", "employer_siret", "modality", "contract_type", "hours"]


@dataclass
class ClauseRecords:
    """The territory's clause records, read once each, and the participants the beneficiaries may name."""

    buyers: dict[int, dict]
    contracts: dict[int, dict]
    beneficiaries: dict[int, dict]
    statements: dict[int, dict]
    pks: dict[str, dict[str, int]]                       # file -> ref -> pk
    # participant_ref of beneficiaries.csv -> the person already in Parcours (by ref or generated ref).
    participant_pks: dict[str, int] = field(default_factory=dict)


def clauses_existing(dataset: DataSet, territory: Territory, existing: Existing, participants) -> ClauseRecords:
    """Read the territory's clause records (four queries) and the refs other territories hold (by batches)."""
    from .importer import _foreign_by  # the importer calls this module: imported when it runs

    buyers = {r["id"]: r for r in Buyer.objects.filter(territory=territory).values("id", "buyer_ref", *BUYER_FIELDS)}
    contracts = {r["id"]: r for r in ClauseContract.objects.filter(buyer__territory=territory).values(
        "id", "contract_ref", *CONTRACT_FIELDS)}
    beneficiaries = {r["id"]: r for r in Beneficiary.objects.filter(territory=territory).values(
        "id", "beneficiary_ref", *BENEFICIARY_FIELDS)}
    statements = {r["id"]: r for r in HoursStatement.objects.filter(contract__buyer__territory=territory).values(
        "id", "line_ref", *STATEMENT_FIELDS)}
    records = ClauseRecords(buyers=buyers, contracts=contracts, beneficiaries=beneficiaries, statements=statements,
                            pks={})
    for file, rows, model in ((BUYERS, buyers, Buyer), (CONTRACTS, contracts, ClauseContract),
                              (BENEFICIARIES, beneficiaries, Beneficiary), (CLAUSE_HOURS, statements, HoursStatement)):
        column = REF_COLUMN[file]
        known = records.pks[file] = {r[column]: pk for pk, r in rows.items()}
        unmatched = [row[column] for row in dataset.rows[file] if row[column] and row[column] not in known]
        existing.foreign_refs[file] = _foreign_by(model, column, unmatched)
    in_file = {row["participant_ref"] for row in dataset.rows[reader.PARTICIPANTS] if row["participant_ref"]}
    for row in dataset.rows[BENEFICIARIES]:
        ref = row["participant_ref"]
        if ref and ref not in in_file:
            pk = participants.match(ref, lambda record: True)
            if pk is not None:
                records.participant_pks[ref] = pk
    return records


@dataclass
class _Contract:
    ref: str
    start: date | None
    end: date | None
    line: int | None = None   # in contracts.csv; None when only in Parcours


@dataclass
class _Beneficiary:
    ref: str
    eligibility: date | None
    line: int | None = None


def clauses_check(dataset: DataSet, existing: Existing, records: ClauseRecords) -> list[ImportError_]:
    """The rules of docs/spec/clauses.md across rows, files and what Parcours already holds."""
    errors: list[ImportError_] = []
    buyer_refs = set(records.pks[BUYERS]) | {row["buyer_ref"] for row in dataset.rows[BUYERS] if row["buyer_ref"]}

    contracts = {r["contract_ref"]: _Contract(r["contract_ref"], r["start_date"], r["end_date"])
                 for r in records.contracts.values()}
    for row in dataset.rows[CONTRACTS]:
        if row["buyer_ref"] and "buyer_ref" not in row.bad and row["buyer_ref"] not in buyer_refs:
            errors.append(ImportError_(CONTRACTS, row.line, "buyer_ref",
                                       f"acheteur « {row['buyer_ref']} » absent de buyers.csv et de Parcours"))
        start, end = row["start_date"], row["end_date"]
        if start is not None and (problem := contract_period_problem(start, end)):
            errors.append(ImportError_(CONTRACTS, row.line, "end_date", problem))
        if row["contract_ref"]:
            # A refused period (a cell, or an end before the start) is reported once, not on every month.
            bad = bool(row.bad & {"start_date", "end_date"}) or (start is not None and end is not None and end < start)
            contracts[row["contract_ref"]] = _Contract(row["contract_ref"], None if bad else start,
                                                       None if bad else end, row.line)

    people = dataset.by_ref(reader.PARTICIPANTS)
    beneficiaries = {r["beneficiary_ref"]: _Beneficiary(r["beneficiary_ref"], r["eligibility_date"])
                     for r in records.beneficiaries.values()}
    # One beneficiary per participant: the file's links, and those Parcours keeps for beneficiaries it leaves out.
    linked: dict[tuple, tuple[str, int | None]] = {}
    in_file = {row["beneficiary_ref"] for row in dataset.rows[BENEFICIARIES]}
    for r in records.beneficiaries.values():
        if r["participant_id"] and r["beneficiary_ref"] not in in_file:
            linked[("pk", r["participant_id"])] = (r["beneficiary_ref"], None)
    for row in dataset.rows[BENEFICIARIES]:
        ref, person = row["beneficiary_ref"], row["participant_ref"]
        if ref:
            beneficiaries[ref] = _Beneficiary(ref, row["eligibility_date"], row.line)
        if not person or "participant_ref" in row.bad:
            continue
        if person in people:
            key: tuple = (("pk", existing.participant_pks[person]) if person in existing.participant_pks
                          else ("new", person))
        elif person in records.participant_pks:
            key = ("pk", records.participant_pks[person])
        else:
            errors.append(ImportError_(BENEFICIARIES, row.line, "participant_ref",
                                       f"personne « {person} » absente de participants.csv et de Parcours"))
            continue
        if key in linked:
            other, line = linked[key]
            where = f"ligne {line}" if line else "déjà enregistré·e dans Parcours"
            errors.append(ImportError_(BENEFICIARIES, row.line, "participant_ref",
                                       participant_taken_problem(person, other, where)))
            continue
        linked[key] = (ref, row.line)

    def month_problem(month: date, contract: _Contract, beneficiary: _Beneficiary) -> str | None:
        if contract.start is None or beneficiary.eligibility is None:
            return None  # a refused cell, already reported
        return statement_month_problem(month, contract_ref=contract.ref, start=contract.start, end=contract.end,
                                       beneficiary_ref=beneficiary.ref, eligibility_date=beneficiary.eligibility)

    in_file = set()
    for row in dataset.rows[CLAUSE_HOURS]:
        in_file.add(row["line_ref"])
        contract = contracts.get(row["contract_ref"]) if row["contract_ref"] else None
        beneficiary = beneficiaries.get(row["beneficiary_ref"]) if row["beneficiary_ref"] else None
        if row["contract_ref"] and "contract_ref" not in row.bad and contract is None:
            errors.append(ImportError_(CLAUSE_HOURS, row.line, "contract_ref",
                                       f"marché « {row['contract_ref']} » absent de contracts.csv et de Parcours"))
        if row["beneficiary_ref"] and "beneficiary_ref" not in row.bad and beneficiary is None:
            errors.append(ImportError_(CLAUSE_HOURS, row.line, "beneficiary_ref",
                                       f"bénéficiaire « {row['beneficiary_ref']} » absent·e de beneficiaries.csv "
                                       "et de Parcours"))
        if row["month"] is not None and contract is not None and beneficiary is not None:
            if problem := month_problem(row["month"], contract, beneficiary):
                errors.append(ImportError_(CLAUSE_HOURS, row.line, "month", problem))

    # Statements already in Parcours that the file leaves out must still fit the contracts and beneficiaries it
    # changes (reported once per changed row).
    contract_ref = {pk: r["contract_ref"] for pk, r in records.contracts.items()}
    beneficiary_ref = {pk: r["beneficiary_ref"] for pk, r in records.beneficiaries.items()}
    reported: set[tuple[str, int]] = set()
    for r in records.statements.values():
        if r["line_ref"] in in_file:
            continue
        contract, beneficiary = contracts[contract_ref[r["contract_id"]]], beneficiaries[
            beneficiary_ref[r["beneficiary_id"]]]
        if contract.line is None and beneficiary.line is None:
            continue
        problem = month_problem(r["month"], contract, beneficiary)
        if problem is None:
            continue
        # The contract's period when it alone refuses the month, else the beneficiary's eligibility.
        outside = month_problem(r["month"], contract, _Beneficiary(beneficiary.ref, date.min))
        file, line, column = ((CONTRACTS, contract.line, "start_date") if outside
                              else (BENEFICIARIES, beneficiary.line, "eligibility_date"))
        if line is None or (file, line) in reported:
            continue
        reported.add((file, line))
        errors.append(ImportError_(file, line, column, statement_kept_problem(r["line_ref"], problem)))
    return errors


def clauses_write(dataset: DataSet, *, territory: Territory, report, records: ClauseRecords, person_pks: dict,
                  communes: dict, qpvs: dict, writer) -> None:
    """Create or update the four files' rows by ref (bulk, a fixed number of queries)."""
    from .importer import _apply

    def apply(file, model, rows, fields, records_of, extra):
        return {**records.pks[file], **_apply(model, rows, records_of, fields, report.files[file],
                                              extra_create=extra, versioned=False, writer=writer)}

    buyer_pks = apply(BUYERS, Buyer, [
        ({"name": row["name"], "kind": row["kind"]}, records.pks[BUYERS].get(row["buyer_ref"]), row["buyer_ref"])
        for row in dataset.rows[BUYERS]], BUYER_FIELDS, records.buyers,
        lambda ref: {"buyer_ref": ref, "territory": territory})

    rows = []
    for row in dataset.rows[CONTRACTS]:
        values = {"buyer_id": buyer_pks[row["buyer_ref"]], "title": row["title"], "legal_basis": row["legal_basis"],
                  "awardee_siret": row["awardee_siret"], "awardee_name": row["awardee_name"],
                  "amount_excl_tax": row["amount_excl_tax"], "start_date": row["start_date"],
                  "end_date": row["end_date"], "hours_required": row["hours_required"]}
        rows.append((values, records.pks[CONTRACTS].get(row["contract_ref"]), row["contract_ref"]))
    contract_pks = apply(CONTRACTS, ClauseContract, rows, CONTRACT_FIELDS, records.contracts,
                         lambda ref: {"contract_ref": ref})

    rows = []
    for row in dataset.rows[BENEFICIARIES]:
        person = row["participant_ref"]
        values = {"participant_id": (person_pks.get(person) or records.participant_pks.get(person)) if person else None,
                  "sex": row["sex"], "birth_date": row["birth_date"], "commune_id": communes.get(row["commune_insee"]),
                  "qpv_id": qpvs.get(row["qpv_code"]), "publics": row["publics"],
                  "eligibility_date": row["eligibility_date"]}
        rows.append((values, records.pks[BENEFICIARIES].get(row["beneficiary_ref"]), row["beneficiary_ref"]))
    beneficiary_pks = apply(BENEFICIARIES, Beneficiary, rows, BENEFICIARY_FIELDS, records.beneficiaries,
                            lambda ref: {"beneficiary_ref": ref, "territory": territory})

    rows = []
    for row in dataset.rows[CLAUSE_HOURS]:
        values = {"contract_id": contract_pks[row["contract_ref"]],
                  "beneficiary_id": beneficiary_pks[row["beneficiary_ref"]], "month": row["month"],
                  "employer_siret": row["employer_siret"], "modality": row["modality"],
                  "contract_type": row["contract_type"], "hours": row["hours"]}
        rows.append((values, records.pks[CLAUSE_HOURS].get(row["line_ref"]), row["line_ref"]))
    apply(CLAUSE_HOURS, HoursStatement, rows, STATEMENT_FIELDS, records.statements, lambda ref: {"line_ref": ref})


def clauses_export(territory: Territory, person_ref: dict[int, str]) -> dict[str, list[list]]:
    """The four files' rows for `parcours export` (the exporter writes and sorts them); `person_ref` names the
    participants the export writes (every participant a beneficiary links to is among them)."""
    buyers = Buyer.objects.filter(territory=territory)
    contracts = ClauseContract.objects.filter(buyer__in=buyers)
    tables: dict[str, list[list]] = {
        BUYERS: [list(r) for r in buyers.values_list("buyer_ref", "name", "kind")],
        CONTRACTS: [list(r) for r in contracts.values_list(
            "contract_ref", "buyer__buyer_ref", "title", "legal_basis", "awardee_siret", "awardee_name",
            "amount_excl_tax", "start_date", "end_date", "hours_required")],
    }
    rows = []
    for ref, participant_id, *rest, publics, eligibility in Beneficiary.objects.filter(territory=territory).values_list(
            "beneficiary_ref", "participant_id", "sex", "birth_date", "commune__insee", "qpv__code", "publics",
            "eligibility_date"):
        rows.append([ref, person_ref[participant_id] if participant_id else "", *rest, ";".join(publics_sorted(publics)),
                     eligibility])
    tables[BENEFICIARIES] = rows
    rows = []
    for line_ref, contract, beneficiary, month, *rest in HoursStatement.objects.filter(contract__in=contracts).values_list(
            "line_ref", "contract__contract_ref", "beneficiary__beneficiary_ref", "month", "employer_siret", "modality",
            "contract_type", "hours"):
        rows.append([line_ref, contract, beneficiary, month_label(month), *rest])
    tables[CLAUSE_HOURS] = rows
    return tables
