"""A hand-built social clauses data set, written as CSV files and imported with `parcours import`
(docs/spec/clauses.md). Every figure of test_report.py is computed by hand from it."""

from __future__ import annotations

from tests.interchange.helpers import person, write_set

CITY, LANDLORD, HOSPITAL = "B-1", "B-2", "B-3"
AWARDEE, AWARDEE_2, AWARDEE_3 = "11111111100011", "22222222200022", "33333333300033"
ETTI, GEIQ_SIRET, AI_SIRET = "44444444400044", "55555555500055", "66666666600066"


def buyer(ref=CITY, **extra) -> dict:
    row = {"buyer_ref": ref, "name": "Ville de Clermont-Ferrand", "kind": "commune"}
    row.update(extra)
    return row


def contract(ref="M-1", buyer_ref=CITY, **extra) -> dict:
    row = {"contract_ref": ref, "buyer_ref": buyer_ref, "title": "Réhabilitation du groupe scolaire, lot 2",
           "legal_basis": "execution_condition", "awardee_siret": AWARDEE, "awardee_name": "BTP Auvergne",
           "amount_excl_tax": "1250000", "start_date": "2024-09-01", "end_date": "2025-12-31",
           "hours_required": "500"}
    row.update(extra)
    return row


def beneficiary(ref="BE-1", **extra) -> dict:
    row = {"beneficiary_ref": ref, "participant_ref": "", "sex": "F", "birth_date": "1999-12-15",
           "commune_insee": "63113", "qpv_code": "", "publics": "deld", "eligibility_date": "2024-09-10"}
    row.update(extra)
    return row


def hours(ref="L-01", contract_ref="M-1", beneficiary_ref="BE-1", **extra) -> dict:
    row = {"line_ref": ref, "contract_ref": contract_ref, "beneficiary_ref": beneficiary_ref, "month": "2025-01",
           "employer_siret": AWARDEE, "modality": "direct_hire", "contract_type": "cdd", "hours": "35"}
    row.update(extra)
    return row


def clauses_set(directory, **overrides):
    """Three buyers, four contracts (one requiring no hours, one without an end, one finished in 2024), four
    beneficiaries (a PLIE participant; one turning 50 and one turning 26 before their first counted month; one
    working only after the period), statements before, in and after the period 2025-01-01 – 2025-06-30."""
    files = dict(
        participants=[person("P-1")],
        buyers=[buyer(), buyer(LANDLORD, name="Assemblia", kind="social_landlord"),
                buyer(HOSPITAL, name="CHU de Clermont-Ferrand", kind="hospital")],
        contracts=[
            contract(),
            contract("M-2", LANDLORD, title="Entretien des espaces verts", legal_basis="reserved_siae",
                     awardee_siret=AWARDEE_2, awardee_name="Jardins d'insertion", amount_excl_tax="",
                     start_date="2025-02-15", end_date="", hours_required="0"),
            contract("M-3", CITY, title="Nettoyage des locaux", legal_basis="award_criterion",
                     start_date="2025-01-01", end_date="2025-03-31", hours_required="120"),
            contract("M-4", HOSPITAL, title="Prestation d'insertion", legal_basis="insertion_service",
                     awardee_siret=AWARDEE_3, awardee_name="Insertion Services", start_date="2024-01-01",
                     end_date="2024-12-31", hours_required="100"),
        ],
        beneficiaries=[
            beneficiary("BE-1", participant_ref="P-1", publics="deld;plie_participant"),
            beneficiary("BE-2", sex="M", birth_date="1974-12-15", publics="senior_50;rsa",
                        eligibility_date="2024-12-20"),
            beneficiary("BE-3", birth_date="1999-02-10", qpv_code="croix-de-neyrat",
                        publics="youth_low_qualification;deld", eligibility_date="2025-02-20"),
            beneficiary("BE-4", sex="M", birth_date="1990-06-01", publics="siae_employee",
                        eligibility_date="2025-06-05"),
        ],
        clause_hours=[
            hours("L-01", month="2024-12", hours="100.25"),
            hours("L-02", month="2025-01", hours="120.5"),
            hours("L-03", month="2025-02", hours="80.33"),
            hours("L-04", "M-1", "BE-2", month="2024-12", employer_siret=ETTI, modality="temporary_work_insertion",
                  contract_type="ctt", hours="35"),
            hours("L-05", "M-2", "BE-2", month="2025-02", employer_siret=ETTI, modality="temporary_work_insertion",
                  contract_type="ctt", hours="70.07"),
            hours("L-06", "M-2", "BE-2", month="2025-03", employer_siret=GEIQ_SIRET, modality="geiq",
                  contract_type="professionalisation", hours="140"),
            hours("L-07", "M-3", "BE-3", month="2025-03", contract_type="cdi", hours="151.67"),
            hours("L-08", "M-1", "BE-4", month="2025-07", hours="50"),
            hours("L-09", "M-4", "BE-1", month="2024-10", employer_siret=AWARDEE_3, modality="training",
                  contract_type="other", hours="10"),
            hours("L-10", "M-1", "BE-3", month="2025-06", employer_siret=AI_SIRET, modality="provision_ai",
                  contract_type="cddi", hours="12.12"),
        ],
    )
    files.update(overrides)
    return write_set(directory, **files)
