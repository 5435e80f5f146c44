"""A hand-built ESF+ data set, written as CSV files and imported with `parcours import` (docs/spec/esf.md)."""

from __future__ import annotations

import json

from tests.interchange.helpers import (
    appointment, cofinancing, operation, participation, pathway, person, referent_cost, run, write_set,
)

BENEFICIARY = "Association Emploi 63"
OTHER = "Autre structure"


def _pathway(ref, person_ref, **extra):
    return pathway(ref, person_ref, application_date="2022-12-01", commission_date="2022-12-15", **extra)


def claim_set(directory, **overrides):
    """Two referents, two years (one without a cost), a collective share, an appointment without duration, minutes
    on another structure's pathway, a one-day participation."""
    files = dict(
        participants=[person("P-1", phone="+33612345678"), person("P-2", sex="M", birth_date="2004-06-01"),
                      person("P-3"), person("P-4", birth_date="1965-01-01", email="p4@example.org")],
        pathways=[
            _pathway("PW-1", "P-1", referent="r1@example.org", entry_date="2023-01-10"),
            _pathway("PW-5", "P-2", referent="r1@example.org", operator=OTHER, entry_date="2023-01-02",
                     exit_date="2023-02-28", exit_reason="abandonment"),
            _pathway("PW-2", "P-2", referent="r2@example.org", entry_date="2023-03-01"),
            _pathway("PW-3", "P-3", referent="r1@example.org", entry_date="2023-05-01"),
            _pathway("PW-4", "P-4", referent="r1@example.org", operator=OTHER, entry_date="2023-01-20"),
        ],
        appointments=[
            appointment("A-1", "PW-1", date="2023-02-01", duration_minutes="90"),
            appointment("A-2", "PW-1", date="2023-06-01", kind="collective", duration_minutes="20"),
            appointment("A-3", "PW-1", date="2024-02-01", duration_minutes="60"),
            appointment("A-4", "PW-1", date="2023-07-01", duration_minutes=""),
            appointment("A-5", "PW-2", date="2023-04-01", duration_minutes="45"),
            appointment("A-6", "PW-2", date="2024-03-15", duration_minutes="30"),
            appointment("A-7", "PW-2", date="2024-05-01", duration_minutes="30"),      # after the exit
            appointment("A-8", "PW-5", date="2023-02-01", duration_minutes="60"),      # another structure's
            appointment("A-9", "PW-3", date="2023-05-01", duration_minutes="60"),      # one-day participation
            appointment("A-10", "PW-4", date="2023-03-01", duration_minutes="60"),     # another structure's
        ],
        operations=[operation("OP-1", start_date="2023-01-01", end_date="2024-12-31", total_eligible_cost="10000",
                              esf_amount="6000")],
        cofinancing=[cofinancing("OP-1", planned="3000"), cofinancing("OP-1", year="2024", planned="3000"),
                     cofinancing("OP-1", funder_kind="departement", funder="Conseil départemental", planned="4000")],
        referent_costs=[referent_cost("r1@example.org", annual_gross_cost="43000"),
                        referent_cost("r2@example.org", annual_gross_cost="30000", work_time_share="0.8"),
                        referent_cost("r2@example.org", year="2024", annual_gross_cost="36000")],
        participations=[
            participation("PA-1", "P-1", entry_date="2023-01-10"),
            participation("PA-2", "P-2", entry_date="2023-01-15", exit_date="2024-03-31", unemployment_months="8",
                          isced="2"),
            participation("PA-3", "P-3", entry_date="2023-05-01", exit_date="2023-05-01"),
            participation("PA-4", "P-4", entry_date="2023-02-01", labour_status="inactive", unemployment_months="",
                          isced="6", disability="1", exit_date="2023-10-31", exit_situation="job_searching",
                          qualification_gained="1", situation_6_months="employed"),
        ],
    )
    files.update(overrides)
    return write_set(directory, **files)


def imported(directory) -> None:
    code, out, err = run("import", str(directory))
    assert code == 0, err


def command_json(name: str, *args: str) -> dict:
    code, out, err = run(name, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)
