"""The Mission Locale's files through `parcours import` / `parcours export`: writes, idempotence, round trip, and
each refusal (docs/spec/youth.md)."""

import pytest

from parcours.participants.models import Participant
from parcours.youth.models import (
    Aid, SchemeEnrolment, WorkshopRegistration, WorkshopSession, YouthEvent, YouthFile, YouthSituation,
)
from tests.interchange.helpers import error_lines, run
from tests.youth.dataset import (
    aid, event, registration, scheme, session, situation, sites_make, young, youth_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(territory):
    sites_make(territory)
    return territory


def full_set(directory, **overrides):
    files = dict(
        young_people=[young("J-1", antenna="montagne", qpv_code="croix-de-neyrat", commune_insee="63113",
                            education_level="V"),
                      young("J-2", sex="M", birth_date="2007-06-30", first_reception_date="2024-01-05")],
        events=[event("E-1", site="remote", duration_minutes="45"), event("E-2", "J-2", date="2024-01-05",
                                                                          kind="phone")],
        schemes=[scheme("S-1", end_date="2024-06-30", exit_situation="work_study"),
                 scheme("S-2", scheme="cej", start_date="2024-07-01", collective_start="1"),
                 scheme("S-3", "J-2", scheme="cej", start_date="2024-02-01")],
        situations=[situation("SI-1", category="employment", contract_type="cdd", employer_siret="12345678901234",
                              end_date="2024-12-31"),
                    situation("SI-2", "J-2", category="pmsmp", pmsmp_aim="discover_trade", end_date="2024-03-10")],
        aids=[aid("AI-1", amount="150.5", purpose="mobility"), aid("AI-2", "J-2", fund="cej_allowance",
                                                                   amount="528.22")],
        workshop_sessions=[session("WS-1", capacity="12"), session("WS-2", theme="health", date="2024-06-01")],
        workshop_registrations=[registration("WS-1", "J-1"), registration("WS-1", "J-2", "absent"),
                                registration("WS-2", "J-2", "prescribed")],
    )
    files.update(overrides)
    return youth_set(directory, **files)


def test_a_mission_locale_set_imports_without_participants_or_pathways(tmp_path, sites):
    code, out, err = run("import", str(full_set(tmp_path / "set")))
    assert code == 0, err
    assert "young_people.csv : 2 créé(s), 0 modifié(s), 0 inchangé(s)" in out
    assert "participants.csv : absent" in out
    j1 = YouthFile.objects.get(youth_ref="J-1")
    assert (j1.antenna.code, j1.participant.qpv.code, j1.participant.education_level,
            j1.participant.external_ref) == ("montagne", "croix-de-neyrat", "V", "")
    assert Participant.objects.count() == 2
    assert YouthEvent.objects.get(event_ref="E-1").site.code == "remote"
    assert YouthEvent.objects.get(event_ref="E-2").site is None
    assert SchemeEnrolment.objects.get(scheme_ref="S-2").collective_start is True
    assert SchemeEnrolment.objects.get(scheme_ref="S-1").exit_situation == "work_study"
    assert YouthSituation.objects.get(situation_ref="SI-2").pmsmp_aim == "discover_trade"
    assert str(Aid.objects.get(aid_ref="AI-1").amount) == "150.50"
    assert WorkshopSession.objects.count() == 2 and WorkshopRegistration.objects.count() == 3

    code, out, err = run("import", str(tmp_path / "set"))
    assert code == 0, err
    assert "rien n'a changé" in out, out
    assert "young_people.csv : 0 créé(s), 0 modifié(s), 2 inchangé(s)" in out
    assert "workshop_registrations.csv : 0 créé(s), 0 modifié(s), 3 inchangé(s)" in out


def test_a_changed_person_counts_as_one_updated_row(tmp_path, sites):
    run("import", str(full_set(tmp_path / "set")))
    full_set(tmp_path / "set", young_people=[young("J-1", last_name="Diallo-Sow", antenna="montagne",
                                                   qpv_code="croix-de-neyrat", commune_insee="63113",
                                                   education_level="V"),
                                             young("J-2", sex="M", birth_date="2007-06-30",
                                                   first_reception_date="2024-01-05")])
    code, out, err = run("import", str(tmp_path / "set"))
    assert code == 0, err
    assert "young_people.csv : 0 créé(s), 1 modifié(s), 1 inchangé(s)" in out
    assert YouthFile.objects.get(youth_ref="J-1").participant.last_name == "Diallo-Sow"
    assert Participant.objects.count() == 2


def test_export_then_import_round_trips(tmp_path, sites):
    run("import", str(full_set(tmp_path / "set")))
    code, out, err = run("export", str(tmp_path / "out"))
    assert code == 0, err
    assert "young_people.csv : 2 ligne(s)" in out
    first = {f.name: f.read_text(encoding="utf-8") for f in (tmp_path / "out").iterdir()}
    assert first["schemes.csv"].splitlines()[1:] == [
        "S-1,J-1,pacea,2024-01-15,2024-06-30,,work_study", "S-2,J-1,cej,2024-07-01,,1,", "S-3,J-2,cej,2024-02-01,,,"]
    assert first["aids.csv"].splitlines()[1:] == ["AI-1,J-1,faj,2024-04-02,150.50,mobility",
                                                  "AI-2,J-2,cej_allowance,2024-04-02,528.22,"]
    assert first["workshop_registrations.csv"].splitlines() == [
        "session_ref,youth_ref,status", "WS-1,J-1,present", "WS-1,J-2,absent", "WS-2,J-2,prescribed"]
    # The export holds participants.csv (empty: no PLIE person) beside the Mission Locale's files.
    assert first["participants.csv"].splitlines()[1:] == []
    code, out, err = run("import", str(tmp_path / "out"))
    assert code == 0, err
    assert "rien n'a changé" in out, out
    run("export", str(tmp_path / "again"))
    assert {f.name: f.read_text(encoding="utf-8") for f in (tmp_path / "again").iterdir()} == first


def test_the_anonymised_export_leaves_the_names_empty(tmp_path, sites):
    run("import", str(full_set(tmp_path / "set")))
    run("export", str(tmp_path / "out"), "--anonymise")
    lines = (tmp_path / "out" / "young_people.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "J-1,,,F,2005-03-10,63113,croix-de-neyrat,V,2023-09-01,montagne"


REFUSALS = [
    ({"young_people": [young(antenna="champratel")]},
     "young_people.csv:2: antenna: le lieu « champratel » n'est pas une antenne (type « permanence »)"),
    ({"young_people": [young(antenna="nowhere")]},
     "young_people.csv:2: antenna: antenne « nowhere » absente des lieux de la Mission Locale du territoire"),
    ({"events": [event(youth_ref="J-9")]},
     "events.csv:2: youth_ref: jeune « J-9 » absent de young_people.csv et de Parcours"),
    ({"events": [event(date="2023-08-31")]},
     "events.csv:2: date: l'événement (2023-08-31) précède le premier accueil du jeune (2023-09-01)"),
    ({"events": [event(site="nowhere")]},
     "events.csv:2: site: lieu « nowhere » absent des lieux de la Mission Locale du territoire"),
    ({"events": [event(kind="visit")]},
     "events.csv:2: kind: code « visit » inconnu (valeurs admises : individual_interview, phone, email_or_message, "
     "workshop, information_session, outreach, third_party_contact)"),
    ({"schemes": [scheme(end_date="2024-01-14", exit_situation="moved")]},
     "schemes.csv:2: end_date: la fin (2024-01-14) précède le début (2024-01-15)"),
    ({"schemes": [scheme(end_date="2024-03-01")]},
     "schemes.csv:2: exit_situation: situation de sortie obligatoire quand la date de fin est indiquée"),
    ({"schemes": [scheme(exit_situation="moved")]},
     "schemes.csv:2: exit_situation: situation de sortie sans date de fin"),
    ({"schemes": [scheme(scheme="cej", start_date="2023-01-31", end_date="2024-08-01", exit_situation="moved")]},
     "schemes.csv:2: end_date: un « cej » dure 18 mois au plus : la fin (2024-08-01) dépasse le 2024-07-31"),
    ({"schemes": [scheme(start_date="2022-02-28", end_date="2024-02-29", exit_situation="moved")]},
     "schemes.csv:2: end_date: un « pacea » dure 24 mois au plus : la fin (2024-02-29) dépasse le 2024-02-28"),
    ({"schemes": [scheme("S-1"), scheme("S-2", start_date="2024-03-01")]},
     "schemes.csv:3: start_date: le jeune a déjà une inscription « pacea » sur ces jours (« S-1 », ligne 2) : une "
     "seule à la fois par dispositif"),
    ({"schemes": [scheme("S-1", end_date="2024-03-01", exit_situation="job_seeking"),
                  scheme("S-2", scheme="cej", start_date="2024-03-01")]},
     "schemes.csv:3: start_date: un PACEA et un CEJ ne se cumulent pas : l'inscription « S-1 » (« pacea », ligne 2) "
     "couvre des mêmes jours"),
    ({"situations": [situation(category="employment")]},
     "situations.csv:2: contract_type: type de contrat obligatoire pour une situation « employment »"),
    ({"situations": [situation(category="pmsmp")]},
     "situations.csv:2: pmsmp_aim: objet de l'immersion obligatoire pour une situation « pmsmp »"),
    ({"situations": [situation(start_date="2024-03-01", end_date="2024-02-01")]},
     "situations.csv:2: end_date: la fin (2024-02-01) précède le début (2024-03-01)"),
    ({"situations": [situation(employer_siret="1234")]},
     "situations.csv:2: employer_siret: SIRET « 1234 » invalide : 14 chiffres attendus"),
    ({"aids": [aid(amount="0")]}, "aids.csv:2: amount: le montant doit être positif"),
    ({"aids": [aid(amount="12.345")]},
     "aids.csv:2: amount: « 12.345 » n'est pas un montant en euros (nombre positif, point décimal, 2 décimales au "
     "plus)"),
    ({"workshop_registrations": [registration("WS-9")]},
     "workshop_registrations.csv:2: session_ref: séance « WS-9 » absente de workshop_sessions.csv et de Parcours"),
    ({"workshop_registrations": [registration(), registration(status="absent")]},
     "workshop_registrations.csv:3: session_ref: ligne en double pour WS-1, J-1 (déjà ligne 2)"),
]


@pytest.mark.parametrize("files, message", REFUSALS)
def test_each_rule_refuses_the_whole_set(tmp_path, sites, files, message):
    base = {"young_people": [young()], "workshop_sessions": [session()]}
    code, out, err = run("import", str(youth_set(tmp_path / "set", **{**base, **files})))
    assert code == 1
    assert error_lines(err) == [message]
    assert not YouthFile.objects.exists() and not Participant.objects.exists()


def test_rules_read_what_parcours_already_holds(tmp_path, sites):
    run("import", str(youth_set(tmp_path / "a", young_people=[young()], events=[event(date="2023-10-01")],
                                schemes=[scheme("S-1", scheme="cej", start_date="2024-01-01")])))
    code, out, err = run("import", str(youth_set(tmp_path / "b", schemes=[scheme("S-2", start_date="2024-06-01")],
                                                 events=[event("E-2", date="2024-05-01")])))
    assert error_lines(err) == [
        "schemes.csv:2: start_date: un PACEA et un CEJ ne se cumulent pas : l'inscription « S-1 » (« cej », déjà "
        "enregistrée dans Parcours) couvre des mêmes jours"]
    code, out, err = run("import", str(youth_set(tmp_path / "c", young_people=[
        young(first_reception_date="2023-11-01")])))
    assert error_lines(err) == [
        "young_people.csv:2: first_reception_date: l'événement « E-1 » déjà enregistré dans Parcours (2023-10-01) "
        "précéderait le premier accueil"]
    assert YouthFile.objects.get().first_reception_date.isoformat() == "2023-09-01"


def test_a_dry_run_writes_nothing(tmp_path, sites):
    from parcours.interchange.importer import dataset_import
    report = dataset_import(full_set(tmp_path / "set"), territory=sites, dry_run=True)
    assert report.files["young_people.csv"].created == 2
    assert report.files["workshop_registrations.csv"].created == 3
    assert not Participant.objects.exists() and not YouthFile.objects.exists()
