"""`parcours export DIR`: the territory's people, pathways, steps and appointments in the interchange format.

Every column of the spec, in the spec's order; rows sorted by ref so that the same data always gives
the same files. Records created in Parcours (no external_ref) get a stable generated ref: P<id>,
PW<id>, S<id>, A<id>, which `parcours import` recognises (docs/interchange.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db.models import Exists, OuterRef

from parcours.plie.definition import PLIE
from parcours.participants.models import Participant
from parcours.participants.selectors import situation_subquery
from parcours.pathways.enums import Decision
from parcours.pathways.models import Appointment, Pathway, Step
from parcours.territory.models import Territory

from .importer import GENERATED_PREFIX
from parcours.esf.enums import SENSITIVE_FIELDS
from parcours.esf.models import Cofinancing, Operation, Participation, ReferentCost
from parcours.clauses.models import Beneficiary

from .clauses import clauses_export

from .reader import (
    APPOINTMENTS, BOOLEAN_SITUATIONS, COFINANCING, FILES, OPERATIONS, PARTICIPANTS, PARTICIPATIONS, PATHWAYS,
    REFERENT_COSTS, STEPS, WORKSHOP_REGISTRATIONS, column_names,
)
from .youth import youth_export


class ExportError(Exception):
    pass


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # 35.00 -> "35", 7.50 -> "7.5": the shortest spelling, so that a round trip gives the same text.
        text = format(value.normalize(), "f")
        return text
    return str(value)


@dataclass
class ExportReport:
    rows: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{file} : {count} ligne(s)" for file, count in self.rows.items()]


def _ref(file: str, external_ref: str, pk: int) -> str:
    return external_ref or f"{GENERATED_PREFIX[file]}{pk}"


def _check_unique(file: str, rows: list[list[str]]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row[0] in seen:
            raise ExportError(f"{file} : l'identifiant « {row[0]} » serait en double (un identifiant d'origine "
                              "ressemble à un identifiant généré) ; corrigez l'identifiant d'origine")
        seen.add(row[0])


def dataset_export(directory: Path, *, territory: Territory, anonymise: bool = False) -> ExportReport:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[list[str]]] = {}

    # The interchange format is the PLIE's: its people are those with a pathway in the territory's PLIE.
    # ... and those taking part in one of its ESF+ operations, or working the hours of its social clauses.
    people = Participant.objects.filter(territory=territory).filter(
        Exists(Pathway.objects.filter(participant=OuterRef("pk"), programme_kind=PLIE))
        | Exists(Participation.objects.filter(participant=OuterRef("pk")))
        | Exists(Beneficiary.objects.filter(participant=OuterRef("pk"))))
    person_ref = {}
    rows = []
    # The criteria are rows; the file keeps their columns (BOOLEAN_SITUATIONS), read in the same query.
    people = people.annotate(**{name: situation_subquery(name) for name in BOOLEAN_SITUATIONS})
    for r in people.values("pk", "external_ref", "last_name", "first_name", "sex", "birth_date", "commune__insee",
                           "qpv__code", "education_level", *BOOLEAN_SITUATIONS, "phone", "email"
                           ).iterator(chunk_size=5000):
        ref = person_ref[r["pk"]] = _ref(PARTICIPANTS, r["external_ref"], r["pk"])
        names = ("", "") if anonymise else (r["last_name"], r["first_name"])
        contact = ("", "") if anonymise else (r["phone"], r["email"])
        rows.append([ref, *names, r["sex"], r["birth_date"], r["commune__insee"], r["qpv__code"],
                     r["education_level"], *(r[name] for name in BOOLEAN_SITUATIONS), *contact])
    tables[PARTICIPANTS] = rows

    pathway_ref = {}
    rows = []
    for r in (Pathway.objects.filter(territory=territory, programme_kind=PLIE)
              .values("pk", "external_ref", "participant_id", "operator__name", "referent__email", "referent_ref",
                      "prescriber_type", "application_date", "commission_date", "decision", "entry_date",
                      "exit_date", "exit_reason").iterator(chunk_size=5000)):
        ref = pathway_ref[r["pk"]] = _ref(PATHWAYS, r["external_ref"], r["pk"])
        decision = r["decision"]
        if decision == Decision.ADMITTED and r["entry_date"] is None:
            # Admitted, contract not signed: the spec requires an entry date with "admitted", so the
            # decision stays pending in the file (the import keeps the admission it already knows).
            decision = ""
        rows.append([ref, person_ref[r["participant_id"]], r["operator__name"],
                     r["referent__email"] or r["referent_ref"], r["prescriber_type"], r["application_date"],
                     r["commission_date"], decision, r["entry_date"], r["exit_date"], r["exit_reason"]])
    tables[PATHWAYS] = rows

    rows = []
    for r in (Step.objects.filter(pathway__territory=territory, pathway__programme_kind=PLIE)
              .values("pk", "external_ref", "pathway_id", "step_type", "start_date", "end_date", "operator_name",
                      "employer_siret", "contract_type", "social_clause", "hours").iterator(chunk_size=5000)):
        rows.append([_ref(STEPS, r["external_ref"], r["pk"]), pathway_ref[r["pathway_id"]], r["step_type"],
                     r["start_date"], r["end_date"], r["operator_name"], r["employer_siret"], r["contract_type"],
                     r["social_clause"], r["hours"]])
    tables[STEPS] = rows

    rows = []
    for r in (Appointment.objects.filter(pathway__territory=territory, pathway__programme_kind=PLIE)
              .values("pk", "external_ref", "pathway_id", "date", "kind", "mode", "duration_minutes", "place")
              .iterator(chunk_size=5000)):
        rows.append([_ref(APPOINTMENTS, r["external_ref"], r["pk"]), pathway_ref[r["pathway_id"]], r["date"],
                     r["kind"], r["mode"], r["duration_minutes"], r["place"]])
    tables[APPOINTMENTS] = rows

    # ESF+ (docs/spec/esf.md): the operations carried by the territory's structures.
    operations = Operation.objects.filter(beneficiary__territory=territory)
    tables[OPERATIONS] = [list(r) for r in operations.values_list(
        "operation_ref", "title", "beneficiary__name", "start_date", "end_date", "total_eligible_cost", "esf_amount")]
    tables[COFINANCING] = [list(r) for r in Cofinancing.objects.filter(operation__in=operations).values_list(
        "operation__operation_ref", "funder_kind", "funder", "year", "planned", "actual")]
    rows = []
    for email, ref, *rest in ReferentCost.objects.filter(territory=territory).values_list(
            "referent__email", "referent_ref", "year", "annual_gross_cost", "work_time_share"):
        rows.append([email or ref, *rest])
    tables[REFERENT_COSTS] = rows
    rows = []
    for r in Participation.objects.filter(operation__in=operations).values(
            "participation_ref", "participant_id", "operation__operation_ref", "entry_date", "exit_date",
            "labour_status", "unemployment_months", "in_education_or_training", "isced", *SENSITIVE_FIELDS,
            "exit_situation", "qualification_gained", "situation_6_months", "improved_situation_6_months"):
        r["participant_id"] = person_ref[r["participant_id"]]
        rows.append(list(r.values()))
    tables[PARTICIPATIONS] = rows
    tables.update(youth_export(territory, anonymise=anonymise))  # the Mission Locale's (docs/spec/youth.md)
    tables.update(clauses_export(territory, person_ref))

    report = ExportReport()
    for file in FILES:
        rows = [[_cell(v) for v in row] for row in tables[file]]
        if file in (COFINANCING, REFERENT_COSTS, WORKSHOP_REGISTRATIONS):
            rows.sort(key=lambda row: (row[0], row[3] if file == COFINANCING else row[1], row))  # no ref of their own
        else:
            _check_unique(file, rows)
            rows.sort(key=lambda row: row[0])
        with open(directory / file, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(column_names(file))
            writer.writerows(rows)
        report.rows[file] = len(rows)
    return report
