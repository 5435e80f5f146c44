"""What `parcours import` writes: mapping to the models, idempotence, updates, performance smoke."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.organisations.enums import OrganisationKind
from parcours.organisations.models import Organisation
from parcours.participants.models import Participant, ParticipantSituation
from parcours.pathways.enums import EntryRoute
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, Pathway, Step
from tests import factories
from tests.clauses.dataset import beneficiary as clause_beneficiary, buyer as clause_buyer
from tests.clauses.dataset import contract as clause_contract, hours as clause_hours
from tests.interchange.generate import generate_set
from tests.interchange.helpers import (
    appointment, cofinancing, operation, participation, pathway, person, referent_cost, run, step, write_set,
)


def full_set(directory, **overrides):
    return write_set(directory,
                     participants=overrides.get("participants", [person("P-1", qpv_code="croix-de-neyrat",
                                                                        phone="+33612345678",
                                                                        email="awa.martin@example.org"),
                                                                 person("P-2", sex="M", education_level="")]),
                     pathways=overrides.get("pathways", [
                         pathway("PW-1", "P-1", referent="Referent@Example.org"),
                         pathway("PW-2", "P-2", referent="jdupont@ancien-si.fr", decision="", entry_date=""),
                         pathway("PW-3", "P-2", decision="refused", entry_date="", operator=""),
                         pathway("PW-4", "P-2", decision="", entry_date="", referent="", application_date="2024-01-01",
                                 commission_date=""),
                     ]),
                     steps=overrides.get("steps", [step("S-1", "PW-1", employer_siret="12345678901234",
                                                        contract_type="cdi", social_clause="1")]),
                     appointments=overrides.get("appointments", [appointment("A-1", "PW-1"),
                                                                 appointment("A-2", "PW-1", date="2023-03-02")]),
                     operations=overrides.get("operations", [operation("OP-1")]),
                     cofinancing=overrides.get("cofinancing", [
                         cofinancing("OP-1"),
                         cofinancing("OP-1", funder_kind="departement", funder="Conseil départemental du Puy-de-Dôme",
                                     planned="10359.84", actual="10000")]),
                     referent_costs=overrides.get("referent_costs", [
                         referent_cost("Referent@Example.org"), referent_cost("jdupont@ancien-si.fr",
                                                                              work_time_share="0.8")]),
                     participations=overrides.get("participations", [
                         participation("PA-1", "P-1"),
                         participation("PA-2", "P-2", labour_status="employed", unemployment_months="",
                                       entry_date="2023-03-01", exit_date="2023-06-30", exit_situation="employed",
                                       qualification_gained="1", situation_6_months="employed",
                                       improved_situation_6_months="1", isced="")]),
                     # The social clauses' files (tests/clauses): a PLIE participant working clause hours.
                     buyers=overrides.get("buyers", [clause_buyer()]),
                     contracts=overrides.get("contracts", [clause_contract()]),
                     beneficiaries=overrides.get("beneficiaries", [clause_beneficiary(participant_ref="P-1")]),
                     clause_hours=overrides.get("clause_hours", [clause_hours()]))


def test_import_maps_the_format_to_the_models(tmp_path, territory):
    user = factories.UserFactory(email="referent@example.org")
    code, out, err = run("import", str(full_set(tmp_path / "set")))
    assert code == 0, err
    assert "participants.csv : 2 créé(s), 0 modifié(s), 0 inchangé(s)" in out
    assert "pathways.csv : 4 créé(s), 0 modifié(s), 0 inchangé(s)" in out
    assert "structures référentes créées : 1" in out

    awa = Participant.objects.get(external_ref="P-1")
    assert (awa.territory, awa.commune.insee, awa.qpv.code, awa.education_level) == (territory, "63113",
                                                                                     "croix-de-neyrat", "V")
    assert (awa.situation("rsa"), awa.situation("ass"), awa.situation("aah"), awa.situation("single_parent")) == (True, False, None, False)
    operator = Organisation.objects.get(territory=territory, name="Association Emploi 63")
    assert operator.kind == OrganisationKind.OPERATOR

    pw1 = Pathway.objects.get(external_ref="PW-1")
    assert (pw1.status, pw1.entry_route, pw1.referent, pw1.referent_ref, pw1.operator) == (
        PathwayStatus.ACTIVE, EntryRoute.IMPORT, user, "", operator)
    assert pw1.last_contact_date == date(2023, 3, 2)
    pw2 = Pathway.objects.get(external_ref="PW-2")
    assert (pw2.status, pw2.referent, pw2.referent_ref) == (PathwayStatus.ASSIGNED, None, "jdupont@ancien-si.fr")
    assert Pathway.objects.get(external_ref="PW-3").status == PathwayStatus.REFUSED
    assert Pathway.objects.get(external_ref="PW-4").status == PathwayStatus.SUBMITTED

    s1 = Step.objects.get(external_ref="S-1")
    assert (s1.pathway, s1.employer_siret, s1.contract_type, s1.social_clause, s1.hours) == (
        pw1, "12345678901234", "cdi", True, Decimal("35.5"))
    a1 = Appointment.objects.get(external_ref="A-1")
    assert (a1.pathway, a1.kind, a1.mode, a1.duration_minutes) == (pw1, "individual", "in_person", 45)


def test_exited_status(tmp_path, territory):
    directory = full_set(tmp_path / "set", pathways=[pathway("PW-1", "P-1", exit_date="2024-01-31",
                                                              exit_reason="qualifying_training")])
    assert run("import", str(directory))[0] == 0
    assert Pathway.objects.get(external_ref="PW-1").status == PathwayStatus.EXITED


def test_second_import_changes_nothing(tmp_path, territory, django_assert_max_num_queries):
    directory = full_set(tmp_path / "set")
    assert run("import", str(directory))[0] == 0
    stamps = sorted(Pathway.objects.values_list("pk", "updated_at", "version"))
    code, out, err = run("import", str(directory))
    assert code == 0, err
    for file, count in (("participants", 2), ("pathways", 4), ("steps", 1), ("appointments", 2)):
        assert f"{file}.csv : 0 créé(s), 0 modifié(s), {count} inchangé(s)" in out
    assert "structures référentes créées : 0" in out
    assert "rien n'a changé" in out
    assert sorted(Pathway.objects.values_list("pk", "updated_at", "version")) == stamps


def test_changed_rows_are_updated_and_counted(tmp_path, territory):
    directory = full_set(tmp_path / "set")
    assert run("import", str(directory))[0] == 0
    full_set(directory, participants=[person("P-1", qpv_code="croix-de-neyrat", last_name="Martin-Diallo"),
                                      person("P-2", sex="M", education_level=""), person("P-3")],
             pathways=[pathway("PW-1", "P-1", referent="Referent@Example.org", exit_date="2024-02-01",
                               exit_reason="sustainable_employment"),
                       pathway("PW-2", "P-2", referent="jdupont@ancien-si.fr", decision="", entry_date=""),
                       pathway("PW-3", "P-2", decision="refused", entry_date="", operator=""),
                       pathway("PW-4", "P-2", decision="", entry_date="", referent="", application_date="2024-01-01",
                               commission_date="")])
    code, out, err = run("import", str(directory))
    assert code == 0, err
    assert "participants.csv : 1 créé(s), 1 modifié(s), 1 inchangé(s)" in out
    assert "pathways.csv : 0 créé(s), 1 modifié(s), 3 inchangé(s)" in out
    pw1 = Pathway.objects.get(external_ref="PW-1")
    assert (pw1.status, pw1.exit_reason, pw1.version) == (PathwayStatus.EXITED, "sustainable_employment", 2)
    assert Participant.objects.get(external_ref="P-1").last_name == "Martin-Diallo"


def test_closing_a_pathway_and_opening_the_next_in_one_import(tmp_path, territory):
    directory = full_set(tmp_path / "set", pathways=[pathway("PW-1", "P-1")])
    assert run("import", str(directory))[0] == 0
    full_set(directory, pathways=[
        pathway("PW-1", "P-1", exit_date="2023-06-30", exit_reason="abandonment"),
        pathway("PW-9", "P-1", application_date="2024-01-02", commission_date="2024-01-03", entry_date="2024-01-04"),
    ], steps=[], appointments=[])
    code, out, err = run("import", str(directory))
    assert code == 0, err
    assert Pathway.objects.get(external_ref="PW-9").status == PathwayStatus.ACTIVE


def test_finer_states_of_parcours_are_kept_when_the_file_agrees(tmp_path, territory):
    directory = full_set(tmp_path / "set")
    assert run("import", str(directory))[0] == 0
    Pathway.objects.filter(external_ref="PW-1").update(status=PathwayStatus.FOLLOWUP)
    Pathway.objects.filter(external_ref="PW-2").update(status=PathwayStatus.ASSESSED)
    code, out, err = run("import", str(directory))
    assert "pathways.csv : 0 créé(s), 0 modifié(s), 4 inchangé(s)" in out
    assert Pathway.objects.get(external_ref="PW-1").status == PathwayStatus.FOLLOWUP


def test_territory_must_be_named_when_there_are_several(tmp_path, territory):
    factories.TerritoryFactory(name="PLIE voisin")
    directory = full_set(tmp_path / "set")
    code, out, err = run("import", str(directory))
    assert code == 1 and "--territory : plusieurs territoires sont chargés, précisez lequel avec --territory NOM" in err
    code, out, err = run("import", str(directory), "--territory", "Inconnu")
    assert code == 1 and "--territory : aucun territoire nommé « Inconnu »" in err
    assert run("import", str(directory), "--territory", territory.name)[0] == 0


def test_generated_set_goes_through_with_a_bounded_number_of_queries(tmp_path, territory):
    counts = generate_set(tmp_path / "gen", 1500)
    with CaptureQueriesContext(connection) as queries:
        code, out, err = run("import", str(tmp_path / "gen"))
    assert code == 0, err
    assert Participant.objects.count() == 1500 and Step.objects.count() == counts["steps"]
    assert Appointment.objects.count() == counts["appointments"]
    # Batches only (SQLite caps a batch at 999 parameters): far fewer queries than the 10,500 rows.
    assert len(queries) < 300
    code, out, err = run("import", str(tmp_path / "gen"))
    assert "rien n'a changé" in out


def test_the_situation_columns_are_the_person_s_rows_and_only_changed_cells_move(tmp_path, territory):
    assert run("import", str(full_set(tmp_path / "first")))[0] == 0
    awa = Participant.objects.get(external_ref="P-1")
    kept = ParticipantSituation.objects.get(participant=awa, code="deld")
    assert awa.situation_values() == {"rsa": True, "ass": False, "deld": True, "single_parent": False, "rqth": False}

    # RSA becomes unknown, AAH becomes no, the rest as it was.
    changed = full_set(tmp_path / "second", participants=[person("P-1", qpv_code="croix-de-neyrat", rsa="", aah="0"),
                                                          person("P-2", sex="M", education_level="")])
    code, out, err = run("import", str(changed))
    assert code == 0, err
    assert "participants.csv : 0 créé(s), 1 modifié(s), 1 inchangé(s)" in out
    awa = Participant.objects.get(pk=awa.pk)
    assert awa.situation_values() == {"ass": False, "aah": False, "deld": True, "single_parent": False, "rqth": False}
    assert awa.version == 2
    assert ParticipantSituation.objects.get(participant=awa, code="deld").pk == kept.pk   # left as it was
