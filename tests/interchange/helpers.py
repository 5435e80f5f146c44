"""Data sets written as CSV folders in tmp_path, and running the commands."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from parcours.interchange.reader import FILES, column_names


def write_set(directory: Path, **files: list[dict]) -> Path:
    """files: participants=[{...}], pathways=[...], steps=[...], appointments=[...]; columns in spec order."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        file = f"{name}.csv"
        assert file in FILES
        with open(directory / file, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=column_names(file), lineterminator="\r\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
    return directory


def run(*args) -> tuple[int, str, str]:
    """Run a command; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ".csv:" in line]


def person(ref="P-1", **extra) -> dict:
    row = {"participant_ref": ref, "last_name": "Martin", "first_name": "Awa", "sex": "F",
           "birth_date": "1985-03-02", "commune_insee": "63113", "qpv_code": "", "education_level": "V",
           "rsa": "1", "ass": "0", "aah": "", "deld": "1", "inactive_12m": "", "single_parent": "0", "rqth": "0"}
    row.update(extra)
    return row


def pathway(ref="PW-1", person_ref="P-1", **extra) -> dict:
    row = {"pathway_ref": ref, "participant_ref": person_ref, "operator": "Association Emploi 63",
           "referent": "", "prescriber_type": "france_travail", "application_date": "2023-01-10",
           "commission_date": "2023-02-01", "decision": "admitted", "entry_date": "2023-02-15",
           "exit_date": "", "exit_reason": ""}
    row.update(extra)
    return row


def step(ref="S-1", pathway_ref="PW-1", **extra) -> dict:
    row = {"step_ref": ref, "pathway_ref": pathway_ref, "step_type": "mobilisation", "start_date": "2023-03-01",
           "end_date": "2023-04-30", "operator": "Organisme de formation", "employer_siret": "",
           "contract_type": "", "social_clause": "", "hours": "35.5"}
    row.update(extra)
    return row


def appointment(ref="A-1", pathway_ref="PW-1", **extra) -> dict:
    row = {"appointment_ref": ref, "pathway_ref": pathway_ref, "date": "2023-02-20", "kind": "individual",
           "mode": "in_person", "duration_minutes": "45", "place": "Permanence, Croix-de-Neyrat"}
    row.update(extra)
    return row


# --- ESF+ files (docs/spec/esf.md) ---------------------------------------------------------------------------------

def operation(ref="OP-1", **extra) -> dict:
    row = {"operation_ref": ref, "title": "Accompagnement renforcé des parcours", "beneficiary": "Association Emploi 63",
           "start_date": "2023-01-01", "end_date": "2023-12-31", "total_eligible_cost": "25899.6",
           "esf_amount": "15539.76"}
    row.update(extra)
    return row


def cofinancing(operation_ref="OP-1", **extra) -> dict:
    row = {"operation_ref": operation_ref, "funder_kind": "esf", "funder": "", "year": "2023",
           "planned": "15539.76", "actual": ""}
    row.update(extra)
    return row


def referent_cost(referent="referent@example.org", **extra) -> dict:
    row = {"referent": referent, "year": "2023", "annual_gross_cost": "43000", "work_time_share": "1"}
    row.update(extra)
    return row


def participation(ref="PA-1", person_ref="P-1", operation_ref="OP-1", **extra) -> dict:
    row = {"participation_ref": ref, "participant_ref": person_ref, "operation_ref": operation_ref,
           "entry_date": "2023-02-15", "exit_date": "", "labour_status": "unemployed", "unemployment_months": "14",
           "in_education_or_training": "", "isced": "3", "disability": "0", "third_country_national": "0",
           "foreign_background": "refused", "minority": "0", "homeless": "0", "rural": "1",
           "exit_situation": "", "qualification_gained": "", "situation_6_months": "",
           "improved_situation_6_months": ""}
    row.update(extra)
    return row
