"""`parcours clauses-report` on the hand-built data set: every figure computed by hand (docs/spec/clauses.md)."""

from datetime import date

import pytest

from parcours.clauses.selectors import clauses_report_compute

from tests.clauses.dataset import beneficiary, clauses_set, hours
from tests.esf.dataset import command_json, imported
from tests.interchange.helpers import run

pytestmark = pytest.mark.django_db

ZERO_MODALITIES = {"direct_hire": 0.0, "temporary_work_insertion": 0.0, "temporary_work": 0.0, "provision_ai": 0.0,
                   "geiq": 0.0, "subcontracting_siae": 0.0, "co_contracting_siae": 0.0, "training": 0.0}
ZERO_KINDS = {"commune": 0.0, "epci": 0.0, "departement": 0.0, "region": 0.0, "state": 0.0, "social_landlord": 0.0,
              "hospital": 0.0, "public_company": 0.0, "other": 0.0}
ZERO_BASES = {"execution_condition": 0.0, "insertion_service": 0.0, "reserved_siae": 0.0, "reserved_disability": 0.0,
              "award_criterion": 0.0}
ZERO_PUBLICS = {"deld": 0, "rsa": 0, "ass": 0, "aah": 0, "rqth": 0, "youth_low_qualification": 0, "senior_50": 0,
                "siae_employee": 0, "plie_participant": 0, "validated_by_facilitator": 0}


def report(*args):
    return command_json("clauses_report", *args)


def test_the_first_half_of_2025(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    # Counted (month in 2025-01 – 2025-06): L-02 120.5, L-03 80.33, L-05 70.07, L-06 140, L-07 151.67, L-10 12.12.
    assert report("--from", "2025-01-01", "--to", "2025-06-30") == {
        "period": {"from": "2025-01-01", "to": "2025-06-30"},
        "hours": 574.69,
        "fte": 0.36,                      # 574.69 / 1607 = 0.3576…
        "beneficiaries": 3,               # BE-1, BE-2, BE-3 (BE-4 works in July only)
        # (BE-1, awardee, cdd, M-1), (BE-2, ETTI, ctt, M-2), (BE-2, GEIQ, professionalisation, M-2),
        # (BE-3, awardee, cdi, M-3), (BE-3, AI, cddi, M-1)
        "work_contracts": 5,
        "employers": 4,                   # the awardee, the ETTI, the GEIQ, the AI
        "awardees": 2,                    # M-1 and M-3 were won by the same company
        "contracts": 3,
        "buyers": 2,
        "hours_by_modality": {**ZERO_MODALITIES, "direct_hire": 352.5, "temporary_work_insertion": 70.07,
                              "geiq": 140.0, "provision_ai": 12.12},
        "hours_by_buyer_kind": {**ZERO_KINDS, "commune": 364.62, "social_landlord": 210.07},
        "hours_by_legal_basis": {**ZERO_BASES, "execution_condition": 212.95, "reserved_siae": 210.07,
                                 "award_criterion": 151.67},
        # BE-1 (F, 25 on 2025-01-01, P-1), BE-2 (M, 50 on 2025-02-01: 49 in December 2024, his first month ever),
        # BE-3 (F, 26 on 2025-03-01, her first counted month; 25 on the period's first day, QPV).
        "beneficiaries_profile": {"women": 2, "under_26": 1, "age_50_plus": 1, "qpv": 1, "plie_participants": 1,
                                  "by_public": {**ZERO_PUBLICS, "deld": 2, "plie_participant": 1, "senior_50": 1,
                                                "rsa": 1, "youth_low_qualification": 1}},
        "contracts_progress": [
            # Every statement up to 2025-06-30, December 2024 included, July 2025 (L-08) not:
            # 100.25 + 120.5 + 80.33 + 35 + 12.12 = 348.2
            {"contract_ref": "M-1", "hours_required": 500, "hours_to_date": 348.2, "completion_rate": 0.6964},
            {"contract_ref": "M-2", "hours_required": 0, "hours_to_date": 210.07, "completion_rate": None},
            # 151.67 / 120, neither rounded nor capped
            {"contract_ref": "M-3", "hours_required": 120, "hours_to_date": 151.67,
             "completion_rate": 1.2639166666666666},
        ],
    }


def test_a_period_without_statements_gives_every_key_at_zero(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    assert report("--from", "2030-01-01", "--to", "2030-12-31") == {
        "period": {"from": "2030-01-01", "to": "2030-12-31"},
        "hours": 0.0, "fte": 0.0, "beneficiaries": 0, "work_contracts": 0, "employers": 0, "awardees": 0,
        "contracts": 0, "buyers": 0,
        "hours_by_modality": ZERO_MODALITIES, "hours_by_buyer_kind": ZERO_KINDS, "hours_by_legal_basis": ZERO_BASES,
        "beneficiaries_profile": {"women": 0, "under_26": 0, "age_50_plus": 0, "qpv": 0, "plie_participants": 0,
                                  "by_public": ZERO_PUBLICS},
        "contracts_progress": [],
    }


def test_a_statement_counts_by_the_first_day_of_its_month(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    # 2025-02-02 – 2025-03-01: only the months starting in it (March): L-06 140, L-07 151.67.
    data = report("--from", "2025-02-02", "--to", "2025-03-01")
    assert (data["hours"], data["beneficiaries"], data["contracts"]) == (291.67, 2, 2)
    # M-2's hours to date: everything up to 2025-03-01, February (before the period) included.
    assert data["contracts_progress"] == [
        {"contract_ref": "M-2", "hours_required": 0, "hours_to_date": 210.07, "completion_rate": None},
        {"contract_ref": "M-3", "hours_required": 120, "hours_to_date": 151.67, "completion_rate": 1.2639166666666666},
    ]
    # BE-3 counts once in her grounds, though she holds two.
    assert data["beneficiaries_profile"]["by_public"] == {**ZERO_PUBLICS, "senior_50": 1, "rsa": 1,
                                                          "youth_low_qualification": 1, "deld": 1}


def test_hours_and_fte_are_rounded_once_at_the_end(tmp_path, territory):
    # Three statements of 0.01 hour… and 1607 × 0.5 = 803.5 hours: fte 0.5 from the unrounded hours.
    imported(clauses_set(tmp_path / "set", beneficiaries=[beneficiary("BE-1", eligibility_date="2024-09-10")],
                         clause_hours=[hours("L-1", hours="0.01"), hours("L-2", hours="0.01"),
                                       hours("L-3", month="2025-02", hours="803.48")]))
    data = report("--from", "2025-01-01", "--to", "2025-12-31")
    assert (data["hours"], data["fte"], data["hours_by_modality"]["direct_hire"]) == (803.5, 0.5, 803.5)
    assert data["contracts_progress"] == [
        {"contract_ref": "M-1", "hours_required": 500, "hours_to_date": 803.5, "completion_rate": 1.607}]


def test_a_beneficiary_turning_26_or_50_on_the_first_day_of_the_first_counted_month(tmp_path, territory):
    imported(clauses_set(tmp_path / "set", beneficiaries=[
        beneficiary("BE-1", birth_date="1999-01-01", eligibility_date="2024-09-10"),   # 26 on 2025-01-01
        beneficiary("BE-2", birth_date="1999-01-02", eligibility_date="2024-09-10"),   # 25 on 2025-01-01
        beneficiary("BE-3", birth_date="1975-01-01", eligibility_date="2024-09-10"),   # 50 on 2025-01-01
        beneficiary("BE-4", birth_date="1975-01-02", eligibility_date="2024-09-10"),   # 49 on 2025-01-01
    ], clause_hours=[hours(f"L-{n}", beneficiary_ref=f"BE-{n}") for n in range(1, 5)]))
    profile = report("--from", "2025-01-01", "--to", "2025-01-31")["beneficiaries_profile"]
    assert (profile["under_26"], profile["age_50_plus"]) == (1, 1)


def test_the_territory_and_the_format_are_checked(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    code, out, err = run("clauses_report", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "xml")
    assert code == 1 and "--format : format « xml » inconnu" in err
    code, out, err = run("clauses_report", "--from", "2025-01-01", "--to", "2025-06-30", "--territory", "Ailleurs")
    assert code == 1 and "--territory : aucun territoire nommé « Ailleurs »" in err
    code, out, err = run("clauses_report", "--from", "2025-07-01", "--to", "2025-06-30")
    assert code == 1 and "--from" in err
    code, out, err = run("clauses_report", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "text")
    assert code == 0 and "hours : 574.69\n" in out and "contracts_progress[1].completion_rate : —\n" in out


def test_the_figures_cost_a_fixed_number_of_queries(tmp_path, territory, django_assert_num_queries):
    imported(clauses_set(tmp_path / "set"))
    with django_assert_num_queries(8):
        clauses_report_compute(territory_ids=[territory.pk], date_from=date(2025, 1, 1), date_to=date(2025, 6, 30))
