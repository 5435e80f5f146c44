"""The ESF+ files through `parcours import`: what is written, idempotence, and each refusal (docs/spec/esf.md)."""

import pytest

from parcours.esf.models import Cofinancing, Operation, Participation, ReferentCost
from parcours.participants.models import Participant
from tests.esf.dataset import claim_set, imported
from tests.interchange.helpers import cofinancing, error_lines, operation, participation, person, run

pytestmark = pytest.mark.django_db


def test_import_writes_the_esf_files_and_a_second_import_changes_nothing(tmp_path, territory):
    directory = claim_set(tmp_path / "set", participants=[
        person("P-1", phone="06 12 34 56 78", email="awa@example.org"), person("P-2", sex="M"), person("P-3"),
        person("P-4")])
    imported(directory)
    assert Participant.objects.get(external_ref="P-1").phone == "+33612345678"   # stored in E.164
    assert Operation.objects.get().beneficiary.name == "Association Emploi 63"
    assert Cofinancing.objects.count() == 3 and ReferentCost.objects.count() == 3
    pa2 = Participation.objects.get(participation_ref="PA-2")
    assert (pa2.labour_status, pa2.unemployment_months, pa2.isced, pa2.foreign_background) == (
        "unemployed", 8, "2", "refused")
    ids = sorted(Cofinancing.objects.values_list("pk", flat=True))
    code, out, err = run("import", str(directory))
    assert code == 0, err
    assert "rien n'a changé" in out, out
    assert "cofinancing.csv : 0 créé(s), 0 modifié(s), 3 inchangé(s)" in out
    assert sorted(Cofinancing.objects.values_list("pk", flat=True)) == ids


def test_a_file_without_contact_columns_keeps_the_phone(tmp_path, territory):
    imported(claim_set(tmp_path / "set"))
    (tmp_path / "set" / "participants.csv").write_text(
        "participant_ref,sex,birth_date\r\nP-1,F,1985-03-02\r\nP-2,M,2004-06-01\r\nP-3,F,1985-03-02\r\n"
        "P-4,F,1965-01-01\r\n", encoding="utf-8")
    imported(tmp_path / "set")
    assert Participant.objects.get(external_ref="P-1").phone == "+33612345678"


REFUSALS = [
    ({"operations": [operation("OP-1", start_date="2024-12-31", end_date="2023-01-01", total_eligible_cost="10000",
                               esf_amount="6000")]},
     "operations.csv:2: end_date: la fin (2023-01-01) précède le début (2024-12-31)"),
    ({"operations": [operation("OP-1", start_date="2023-01-01", end_date="2024-12-31", total_eligible_cost="5000",
                               esf_amount="6000")]},
     "operations.csv:2: esf_amount: le montant FSE+ (6000.00 €) dépasse le coût total éligible (5000.00 €)"),
    ({"operations": [operation("OP-1", start_date="2023-01-01", end_date="2024-12-31", total_eligible_cost="10000",
                               esf_amount="0")], "cofinancing": []},
     "operations.csv:2: esf_amount: le montant FSE+ doit être positif"),
    ({"cofinancing": [cofinancing("OP-1", planned="3000"), cofinancing("OP-1", year="2024", planned="2999.99"),
                      cofinancing("OP-1", funder_kind="state", planned="4000")]},
     "cofinancing.csv:2: planned: opération « OP-1 » : les lignes « esf » totalisent 5999.99 €, le montant FSE+ "
     "de l'opération est 6000.00 €"),
    ({"cofinancing": [cofinancing("OP-1", planned="6000"), cofinancing("OP-1", funder_kind="state", planned="3000")]},
     "cofinancing.csv:2: planned: opération « OP-1 » : les lignes prévues totalisent 9000.00 €, le coût total "
     "éligible de l'opération est 10000.00 €"),
    ({"cofinancing": [cofinancing("OP-1", planned="6000", year="2025"),
                      cofinancing("OP-1", funder_kind="state", planned="4000")]},
     "cofinancing.csv:2: year: l'année 2025 est hors de la période de l'opération « OP-1 » (2023-01-01 – 2024-12-31)"),
    ({"cofinancing": [cofinancing("OP-9")]},
     "cofinancing.csv:2: operation_ref: opération « OP-9 » absente de operations.csv et de Parcours"),
    ({"referent_costs": [{"referent": "r1@example.org", "year": "2023", "annual_gross_cost": "43000",
                          "work_time_share": "1.2"}]},
     "referent_costs.csv:2: work_time_share: « 1.2 » n'est pas une quotité dans ]0, 1] (1 pour un temps plein, "
     "0.8…, 4 décimales au plus)"),
    ({"referent_costs": [{"referent": "r1@example.org", "year": "2023", "annual_gross_cost": "43000",
                          "work_time_share": "1"}] * 2},
     "referent_costs.csv:3: referent: ligne en double pour r1@example.org, 2023 (déjà ligne 2)"),
    ({"participations": [participation("PA-1", "P-1", entry_date="2022-12-31")]},
     "participations.csv:2: entry_date: l'entrée (2022-12-31) est hors de la période de l'opération « OP-1 » "
     "(2023-01-01 – 2024-12-31)"),
    ({"participations": [participation("PA-1", "P-1", entry_date="2023-03-01", exit_date="2023-02-01")]},
     "participations.csv:2: exit_date: la sortie (2023-02-01) précède l'entrée (2023-03-01)"),
    ({"participations": [participation("PA-1", "P-1", unemployment_months="")]},
     "participations.csv:2: unemployment_months: durée du chômage obligatoire quand labour_status est « unemployed »"),
    ({"participations": [participation("PA-1", "P-1", improved_situation_6_months="1")]},
     "participations.csv:2: improved_situation_6_months: seulement pour une personne « employed » ou "
     "« self_employed » à l'entrée (ici « unemployed »)"),
    ({"participations": [participation("PA-1", "P-1"), participation("PA-2", "P-1", entry_date="2024-01-10")]},
     "participations.csv:3: operation_ref: la personne a déjà une participation à l'opération « OP-1 » (« PA-1 », "
     "ligne 2)"),
    ({"participations": [participation("PA-1", "P-9")]},
     "participations.csv:2: participant_ref: personne « P-9 » absente de participants.csv"),
    ({"participations": [participation("PA-1", "P-1", disability="maybe")]},
     "participations.csv:2: disability: code « maybe » inconnu (valeurs admises : 1, 0, refused)"),
    ({"participants": [person("P-1", phone="12"), person("P-2"), person("P-3"), person("P-4")]},
     "participants.csv:2: phone: Numéro de téléphone invalide : indiquez un numéro français à 10 chiffres "
     "(06 12 34 56 78) ou un numéro étranger précédé de son indicatif (+32 …)."),
    ({"participants": [person("P-1", email="pas-une-adresse"), person("P-2"), person("P-3"), person("P-4")]},
     "participants.csv:2: email: adresse électronique « pas-une-adresse » invalide"),
]


@pytest.mark.parametrize(("overrides", "expected"), REFUSALS)
def test_each_rule_refuses_the_import_and_nothing_is_written(tmp_path, territory, overrides, expected):
    code, out, err = run("import", str(claim_set(tmp_path / "set", **overrides)))
    assert code != 0
    assert expected in error_lines(err), err
    assert not Operation.objects.exists() and not Participant.objects.exists()


def test_two_operations_of_the_same_beneficiary_never_overlap_for_a_person(tmp_path, territory):
    operations = [operation("OP-1", start_date="2023-01-01", end_date="2024-12-31", total_eligible_cost="10000",
                            esf_amount="6000"),
                  operation("OP-2", start_date="2023-01-01", end_date="2024-12-31", total_eligible_cost="10000",
                            esf_amount="6000"),
                  operation("OP-3", beneficiary="Autre structure", start_date="2023-01-01", end_date="2024-12-31",
                            total_eligible_cost="10000", esf_amount="6000")]
    directory = claim_set(tmp_path / "set", operations=operations, cofinancing=[], participations=[
        participation("PA-1", "P-1", exit_date="2023-06-30"),
        participation("PA-2", "P-1", operation_ref="OP-3", entry_date="2023-03-01"),     # another beneficiary: fine
        participation("PA-3", "P-1", operation_ref="OP-2", entry_date="2023-06-30"),
    ])
    code, out, err = run("import", str(directory))
    assert error_lines(err) == [
        "participations.csv:4: entry_date: chevauche la participation « PA-1 » (ligne 2) de la même personne à "
        "l'opération « OP-1 » du même bénéficiaire « Association Emploi 63 »"]
    directory = claim_set(tmp_path / "set", operations=operations, cofinancing=[], participations=[
        participation("PA-1", "P-1", exit_date="2023-06-30"),
        participation("PA-3", "P-1", operation_ref="OP-2", entry_date="2023-07-01")])
    imported(directory)


def test_a_re_import_cannot_move_an_operation_away_from_its_participations(tmp_path, territory):
    imported(claim_set(tmp_path / "set"))
    directory = claim_set(tmp_path / "second", participants=[person("P-1")], pathways=[], appointments=[],
                          cofinancing=[], referent_costs=[], participations=[],
                          operations=[operation("OP-1", start_date="2023-06-01", end_date="2024-12-31",
                                                total_eligible_cost="10000", esf_amount="6000")])
    code, out, err = run("import", str(directory))
    assert code != 0
    assert ("operations.csv:2: start_date: la participation « PA-1 » déjà enregistrée dans Parcours (2023-01-10) "
            "sortirait de la période de l'opération") in error_lines(err), err
