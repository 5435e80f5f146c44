"""A small data set covering every rule of docs/spec/indicators.md, for the period 2024-01-01 → 2024-12-31.

Expected figures are computed by hand in EXPECTED (see the comments on each row).
"""

from pathlib import Path

from parcours.interchange.importer import dataset_import
from tests.interchange.helpers import appointment, pathway, person, step, write_set

NO = {"rsa": "0", "deld": "0", "rqth": "0", "qpv_code": ""}


def people(prefix=""):
    p = prefix
    return [
        person(f"{p}P1", sex="F", birth_date="1998-03-10", education_level="VI", **{**NO, "rsa": "1", "deld": "1",
               "qpv_code": "croix-de-neyrat"}),
        person(f"{p}P2", sex="M", birth_date="1998-12-31", education_level="V", **{**NO, "deld": "1", "rqth": "1"}),
        person(f"{p}P3", sex="F", birth_date="1979-06-15", education_level="", **{**NO, "rsa": "1"}),
        person(f"{p}P4", sex="M", birth_date="1990-01-01", education_level="IV", **{**NO, "rqth": "1"}),
        person(f"{p}P5", sex="F", birth_date="1970-05-05", education_level="III", **NO),
        person(f"{p}P6", sex="M", birth_date="2000-02-29", education_level="VBIS", **{**NO, "rsa": "1"}),
        person(f"{p}P7", sex="F", birth_date="1985-01-01", education_level="VI", **NO),
        person(f"{p}P8", sex="M", birth_date="1960-01-01", education_level="II", **{**NO, "deld": "1"}),
        person(f"{p}P9", sex="F", birth_date="1995-07-01", education_level="V", **NO),
    ]


def admitted(ref, who, entry, exit_="", reason="", operator="Association Emploi 63", **extra):
    return pathway(ref, who, operator=operator, application_date="", commission_date="", decision="admitted",
                   entry_date=entry, exit_date=exit_, exit_reason=reason, **extra)


def pathways(prefix=""):
    p = prefix
    return [
        admitted(f"{p}W1", f"{p}P1", "2024-01-01", operator="Maison de l'emploi"),  # entry on D1, age 25
        admitted(f"{p}W2", f"{p}P2", "2024-12-31"),  # entry on D2, exactly 26 on entry day
        admitted(f"{p}W3", f"{p}P3", "2024-06-15", "2024-12-31", "sustainable_employment"),  # 45 that day; exit on D2
        admitted(f"{p}W4", f"{p}P4", "2023-03-01", "2024-01-01", "moved"),  # exit on D1, neutralised
        admitted(f"{p}W5", f"{p}P5", "2022-01-10", "2023-12-31", "abandonment"),  # ended the day before D1
        admitted(f"{p}W6", f"{p}P6", "2024-02-28", "2024-10-01", "qualifying_training"),  # born 29/02: 23
        pathway(f"{p}W7", f"{p}P7", decision="refused", entry_date="", application_date="2024-02-01",
                commission_date="2024-03-01"),
        pathway(f"{p}W7b", f"{p}P7", decision="", entry_date="", application_date="2024-05-01", commission_date=""),
        admitted(f"{p}W8", f"{p}P8", "2023-06-01", "2024-05-01", "deceased"),
        admitted(f"{p}W8b", f"{p}P8", "2024-06-01"),  # second pathway of P8 in P: one person
        admitted(f"{p}W9", f"{p}P9", "2025-01-01"),  # after D2
    ]


def steps(prefix=""):
    p = prefix
    return [
        step(f"{p}S1", f"{p}W1", step_type="mobilisation", start_date="2024-01-01", end_date=""),
        step(f"{p}S2", f"{p}W4", step_type="training_qualifying", start_date="2023-12-31", end_date="2024-01-01"),
        step(f"{p}S3", f"{p}W4", step_type="iae_aci", start_date="2024-01-01", end_date=""),
        step(f"{p}S4", f"{p}W3", step_type="unsubsidised_employment", start_date="2024-12-31", end_date="",
             employer_siret="12345678901234", contract_type="cdi"),
        step(f"{p}S5", f"{p}W8b", step_type="immersion", start_date="2024-06-01", end_date="2024-06-14"),
        step(f"{p}S6", f"{p}W9", step_type="mobilisation", start_date="2025-01-02", end_date=""),
    ]


def write_dataset(directory: Path, prefix="") -> Path:
    return write_set(directory, participants=people(prefix), pathways=pathways(prefix), steps=steps(prefix),
                     appointments=[appointment(f"{prefix}A1", f"{prefix}W1", date="2024-01-05")])


def import_dataset(directory: Path, territory, prefix=""):
    return dataset_import(write_dataset(directory, prefix), territory=territory)


ZERO_REASONS = {"sustainable_employment": 0, "qualifying_training": 0, "other_positive": 0, "abandonment": 0,
                "moved": 0, "deceased": 0, "retired": 0, "reorientation": 0, "other_without_outcome": 0}
ZERO_TYPES = {t: 0 for t in ["mobilisation", "employment_mediation", "social_support", "training_qualifying",
                             "training_certifying", "training_non_qualifying", "iae_aci", "iae_ei", "iae_etti",
                             "iae_ai", "geiq", "regie_quartier", "subsidised_contract", "unsubsidised_employment",
                             "immersion", "business_creation"]}

EXPECTED = {
    "period": {"from": "2024-01-01", "to": "2024-12-31"},
    "entries": 5,  # W1, W2, W3, W6, W8b
    "participants_in_pathway": 6,  # P1, P2, P3, P4, P6, P8 (P5 ended the day before, P9 starts after, P7 never)
    "exits": {"total": 4, "positive": 2, "neutralised": 2,
              "by_reason": {**ZERO_REASONS, "sustainable_employment": 1, "qualifying_training": 1, "moved": 1,
                            "deceased": 1}},
    "rates": {"positive_exit_rate": 0.5, "positive_exit_rate_excluding_moves": 1.0, "positive_exits_per_entry": 0.4},
    "mean_pathway_duration_days": 264.0,  # (199 + 306 + 216 + 335) / 4
    "entries_profile": {"women": 2, "under_26": 2, "age_26_44": 1, "age_45_plus": 2,
                        "no_qualification": 2, "low_qualification": 1, "qualified": 1, "education_unknown": 1,
                        "rsa": 3, "deld": 3, "rqth": 1, "qpv": 1},
    "steps": {"started": 4, "per_participant": 4 / 6,
              "by_type": {**ZERO_TYPES, "mobilisation": 1, "iae_aci": 1, "unsubsidised_employment": 1,
                          "immersion": 1}},
    "positive_exit_rate_by_category": {"men": 1 / 3, "women": 1.0, "deld": 0.0, "rsa": 1.0, "no_qualification": 1.0,
                                       "low_qualification": None, "qualified": 0.0},
}
