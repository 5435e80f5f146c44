"""The social clauses' files through `parcours import` / `parcours export`: what is written, idempotence, the
round trip, and each refusal (docs/spec/clauses.md)."""

from datetime import date
from decimal import Decimal

import pytest

from parcours.clauses.models import Beneficiary, Buyer, ClauseContract, HoursStatement
from parcours.participants.models import Participant
from tests.clauses.dataset import beneficiary, buyer, clauses_set, contract, hours
from tests.esf.dataset import imported
from tests.factories import ParticipantFactory, TerritoryFactory
from tests.interchange.helpers import error_lines, person, run, write_set

pytestmark = pytest.mark.django_db


def test_import_writes_the_four_files_and_a_second_import_changes_nothing(tmp_path, territory):
    directory = clauses_set(tmp_path / "set")
    imported(directory)
    assert Buyer.objects.count() == 3 and ClauseContract.objects.count() == 4
    m2 = ClauseContract.objects.get(contract_ref="M-2")
    assert (m2.buyer.buyer_ref, m2.end_date, m2.amount_excl_tax, m2.hours_required) == ("B-2", None, None, 0)
    be1 = Beneficiary.objects.get(beneficiary_ref="BE-1")
    assert be1.participant == Participant.objects.get(external_ref="P-1")
    assert be1.publics == ["deld", "plie_participant"] and be1.territory == territory
    # Stored in the list's order, whatever the file's.
    assert Beneficiary.objects.get(beneficiary_ref="BE-2").publics == ["rsa", "senior_50"]
    assert Beneficiary.objects.get(beneficiary_ref="BE-3").qpv.code == "croix-de-neyrat"
    l03 = HoursStatement.objects.get(line_ref="L-03")
    assert (l03.month, l03.hours, l03.contract.contract_ref) == (date(2025, 2, 1), Decimal("80.33"), "M-1")
    ids = sorted(HoursStatement.objects.values_list("pk", "updated_at"))
    code, out, err = run("import", str(directory))
    assert code == 0, err
    assert "rien n'a changé" in out, out
    assert "clause_hours.csv : 0 créé(s), 0 modifié(s), 10 inchangé(s)" in out
    assert sorted(HoursStatement.objects.values_list("pk", "updated_at")) == ids


def test_a_changed_row_is_updated_by_its_ref(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    imported(clauses_set(tmp_path / "set", buyers=[buyer(kind="epci")],
                         contracts=[contract(hours_required="650.5")], beneficiaries=[beneficiary(publics="rsa")],
                         clause_hours=[hours("L-02", hours="7.25")]))
    assert Buyer.objects.get(buyer_ref="B-1").kind == "epci"
    assert ClauseContract.objects.get(contract_ref="M-1").hours_required == Decimal("650.5")
    be1 = Beneficiary.objects.get(beneficiary_ref="BE-1")
    assert (be1.publics, be1.participant) == (["rsa"], None)
    assert HoursStatement.objects.get(line_ref="L-02").hours == Decimal("7.25")
    assert HoursStatement.objects.count() == 10    # the rows the file leaves out stay


def test_export_then_import_elsewhere_gives_the_same_files(tmp_path, territory, django_db_blocker):
    imported(clauses_set(tmp_path / "set"))
    code, out, err = run("export", str(tmp_path / "out"))
    assert code == 0, err
    first = {name: (tmp_path / "out" / name).read_text(encoding="utf-8")
             for name in ("buyers.csv", "contracts.csv", "beneficiaries.csv", "clause_hours.csv")}
    assert first["clause_hours.csv"].splitlines()[1] == "L-01,M-1,BE-1,2024-12,11111111100011,direct_hire,cdd,100.25"
    assert "BE-1,P-1,F,1999-12-15,63113,,deld;plie_participant,2024-09-10" in first["beneficiaries.csv"]
    assert "M-2,B-2,Entretien des espaces verts,reserved_siae,22222222200022,Jardins d'insertion,,2025-02-15,,0" in \
        first["contracts.csv"]
    # The exported set imports into an empty instance and exports the same files again.
    HoursStatement.objects.all().delete()
    Beneficiary.objects.all().delete()
    ClauseContract.objects.all().delete()
    Buyer.objects.all().delete()
    imported(tmp_path / "out")
    code, out, err = run("export", str(tmp_path / "again"))
    assert code == 0, err
    for name, text in first.items():
        assert (tmp_path / "again" / name).read_text(encoding="utf-8") == text, name
    # And the exported set is idempotent on the instance it came from.
    code, out, err = run("import", str(tmp_path / "out"))
    assert code == 0 and "rien n'a changé" in out, out + err


def test_a_facilitators_set_needs_no_participants_file_and_may_name_a_person_already_in_parcours(tmp_path, territory):
    imported(write_set(tmp_path / "plie", participants=[person("P-9")], pathways=[]))
    directory = clauses_set(tmp_path / "set", beneficiaries=[beneficiary("BE-1", participant_ref="P-9")],
                            clause_hours=[hours("L-1")])
    (directory / "participants.csv").unlink()
    imported(directory)
    assert Beneficiary.objects.get().participant.external_ref == "P-9"


def test_a_person_created_in_parcours_is_named_by_the_generated_ref(tmp_path, territory):
    pk = ParticipantFactory(territory=territory).pk
    directory = clauses_set(tmp_path / "set", beneficiaries=[beneficiary("BE-1", participant_ref=f"P{pk}")],
                            clause_hours=[hours("L-1")])
    (directory / "participants.csv").unlink()
    imported(directory)
    assert Beneficiary.objects.get().participant_id == pk


REFUSALS = [
    ({"contracts": [contract(buyer_ref="B-9")]},
     "contracts.csv:2: buyer_ref: acheteur « B-9 » absent de buyers.csv et de Parcours"),
    ({"contracts": [contract(start_date="2025-01-01", end_date="2024-12-31")]},
     "contracts.csv:2: end_date: la fin (2024-12-31) précède le début (2025-01-01)"),
    ({"contracts": [contract(awardee_siret="1234")]},
     "contracts.csv:2: awardee_siret: SIRET « 1234 » invalide : 14 chiffres attendus"),
    ({"contracts": [contract(hours_required="-3")]},
     "contracts.csv:2: hours_required: « -3 » n'est pas un nombre d'heures positif ou nul (point décimal, "
     "2 décimales au plus)"),
    ({"contracts": [contract(hours_required="100000000")]},
     "contracts.csv:2: hours_required: « 100000000 » n'est pas un nombre d'heures positif ou nul (point décimal, "
     "2 décimales au plus)"),
    ({"contracts": [contract(legal_basis="mixed")]},
     "contracts.csv:2: legal_basis: code « mixed » inconnu (valeurs admises : execution_condition, insertion_service, "
     "reserved_siae, reserved_disability, award_criterion)"),
    ({"buyers": [buyer(kind="company")]},
     "buyers.csv:2: kind: code « company » inconnu (valeurs admises : commune, epci, departement, region, state, "
     "social_landlord, hospital, public_company, other)"),
    ({"beneficiaries": [beneficiary(publics="")]}, "beneficiaries.csv:2: publics: valeur obligatoire manquante"),
    ({"beneficiaries": [beneficiary(publics="rsa;chomeur")]},
     "beneficiaries.csv:2: publics: motif(s) « chomeur » inconnu(s) (valeurs admises, séparées par « ; » : deld, rsa, "
     "ass, aah, rqth, youth_low_qualification, senior_50, siae_employee, plie_participant, validated_by_facilitator)"),
    ({"beneficiaries": [beneficiary(participant_ref="P-7")]},
     "beneficiaries.csv:2: participant_ref: personne « P-7 » absente de participants.csv et de Parcours"),
    ({"beneficiaries": [beneficiary("BE-1", participant_ref="P-1"), beneficiary("BE-2", participant_ref="P-1")]},
     "beneficiaries.csv:3: participant_ref: la personne « P-1 » est déjà le ou la bénéficiaire « BE-1 » (ligne 2)"),
    ({"beneficiaries": [beneficiary(sex="X")]},
     "beneficiaries.csv:2: sex: code « X » inconnu (valeurs admises : F, M)"),
    ({"clause_hours": [hours(contract_ref="M-9")]},
     "clause_hours.csv:2: contract_ref: marché « M-9 » absent de contracts.csv et de Parcours"),
    ({"clause_hours": [hours(beneficiary_ref="BE-9")]},
     "clause_hours.csv:2: beneficiary_ref: bénéficiaire « BE-9 » absent·e de beneficiaries.csv et de Parcours"),
    # Months are compared, not days: M-2 starts on 2025-02-15, January is outside, February inside.
    ({"clause_hours": [hours("L-1", "M-2", "BE-2", month="2025-01"), hours("L-2", "M-2", "BE-2", month="2025-02")]},
     "clause_hours.csv:2: month: le mois 2025-01 est hors de la période du marché « M-2 » (2025-02 – …)"),
    ({"clause_hours": [hours(month="2026-01")]},
     "clause_hours.csv:2: month: le mois 2026-01 est hors de la période du marché « M-1 » (2024-09 – 2025-12)"),
    # BE-3 was found eligible on 2025-02-20: February counts, January does not.
    ({"clause_hours": [hours("L-1", beneficiary_ref="BE-3", month="2025-01"),
                       hours("L-2", beneficiary_ref="BE-3", month="2025-02")]},
     "clause_hours.csv:2: month: le mois 2025-01 précède l'éligibilité de « BE-3 » (vérifiée le 2025-02-20)"),
    ({"clause_hours": [hours(hours="0")]}, "clause_hours.csv:2: hours: le nombre d'heures doit être positif (> 0)"),
    ({"clause_hours": [hours(hours="7.125")]},
     "clause_hours.csv:2: hours: « 7.125 » n'est pas un nombre positif (point décimal, 2 décimales au plus, "
     "moins de 100 000)"),
    ({"clause_hours": [hours(month="2025-13")]}, "clause_hours.csv:2: month: « 2025-13 » n'est pas un mois au format AAAA-MM (à partir de 1990)"),
    ({"clause_hours": [hours(month="2025-01-01")]},
     "clause_hours.csv:2: month: « 2025-01-01 » n'est pas un mois au format AAAA-MM (à partir de 1990)"),
    ({"clause_hours": [hours(employer_siret="123 456 789 00012")]},
     "clause_hours.csv:2: employer_siret: SIRET « 123 456 789 00012 » invalide : 14 chiffres attendus"),
    ({"clause_hours": [hours(modality="interim")]},
     "clause_hours.csv:2: modality: code « interim » inconnu (valeurs admises : direct_hire, temporary_work_insertion, "
     "temporary_work, provision_ai, geiq, subcontracting_siae, co_contracting_siae, training)"),
    ({"clause_hours": [hours(contract_type="cui")]},
     "clause_hours.csv:2: contract_type: code « cui » inconnu (valeurs admises : cdi, cdd, cddi, ctt, apprenticeship, "
     "professionalisation, other)"),
    ({"clause_hours": [hours("L-1"), hours("L-1", month="2025-02")]},
     "clause_hours.csv:3: line_ref: identifiant « L-1 » en double (déjà ligne 2)"),
]


@pytest.mark.parametrize(("overrides", "expected"), REFUSALS, ids=[e.split(": ", 2)[-1][:40] for _, e in REFUSALS])
def test_each_refusal_names_file_line_and_column_and_writes_nothing(tmp_path, territory, overrides, expected):
    if set(overrides) != {"clause_hours"}:
        # One buyer, contract, beneficiary and statement, so that the file changed holds the only error.
        overrides = {"buyers": [buyer()], "contracts": [contract()], "beneficiaries": [beneficiary()],
                     "clause_hours": [hours()], **overrides}
    code, out, err = run("import", str(clauses_set(tmp_path / "set", **overrides)))
    assert code == 1
    assert error_lines(err) == [expected]
    assert not Buyer.objects.exists() and not HoursStatement.objects.exists()


def test_statements_already_in_parcours_must_fit_a_contract_or_an_eligibility_the_file_changes(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    code, out, err = run("import", str(clauses_set(
        tmp_path / "again", contracts=[contract(start_date="2025-01-15")],
        beneficiaries=[beneficiary("BE-2", sex="M", birth_date="1974-12-15", publics="rsa",
                                   eligibility_date="2025-03-01")], clause_hours=[])))
    assert code == 1
    assert error_lines(err) == [
        "beneficiaries.csv:2: eligibility_date: le relevé « L-05 » déjà enregistré dans Parcours ne tiendrait plus : "
        "le mois 2025-02 précède l'éligibilité de « BE-2 » (vérifiée le 2025-03-01)",
        "contracts.csv:2: start_date: le relevé « L-01 » déjà enregistré dans Parcours ne tiendrait plus : "
        "le mois 2024-12 est hors de la période du marché « M-1 » (2025-01 – 2025-12)",
    ]


def test_a_participant_already_a_beneficiary_in_parcours_cannot_be_another(tmp_path, territory):
    imported(clauses_set(tmp_path / "set"))
    code, out, err = run("import", str(clauses_set(
        tmp_path / "again", beneficiaries=[beneficiary("BE-7", participant_ref="P-1")], clause_hours=[])))
    assert code == 1
    assert error_lines(err) == ["beneficiaries.csv:2: participant_ref: la personne « P-1 » est déjà le ou la "
                                "bénéficiaire « BE-1 » (déjà enregistré·e dans Parcours)"]


def test_a_ref_held_in_another_territory_is_refused(tmp_path, territory):
    other = TerritoryFactory(name="Ailleurs")
    Buyer.objects.create(territory=other, buyer_ref="B-1", name="Autre ville", kind="commune")
    code, out, err = run("import", str(clauses_set(tmp_path / "set")), "--territory", territory.name)
    assert code == 1
    assert "buyers.csv:2: buyer_ref: identifiant « B-1 » déjà porté par une fiche d'un autre territoire" in err
