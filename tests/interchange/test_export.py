"""`parcours export`: every column in the spec's order, generated refs, and lossless round trips."""

import csv
from datetime import date, timedelta

from parcours.interchange.reader import FILES, YOUTH_FILES, column_names
from parcours.organisations.models import Organisation
from parcours.participants.models import Participant
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, Pathway, Step
from parcours.esf.models import Cofinancing, Operation, Participation, ReferentCost
from parcours.clauses.models import Beneficiary, Buyer, ClauseContract, HoursStatement
from tests import factories
from tests.interchange.helpers import run
from tests.interchange.test_import import full_set


def read(directory):
    return {file: (directory / file).read_text(encoding="utf-8") for file in FILES}


def rows(directory, file):
    with open(directory / file, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def wipe():
    for model in (HoursStatement, Beneficiary, ClauseContract, Buyer):
        model.objects.all().delete()
    Participation.objects.all().delete()
    Cofinancing.objects.all().delete()
    ReferentCost.objects.all().delete()
    Operation.objects.all().delete()
    Step.objects.all().delete()
    Appointment.objects.all().delete()
    Pathway.objects.all().delete()
    Participant.objects.all().delete()


def test_import_export_import_is_lossless(tmp_path, territory):
    factories.UserFactory(email="referent@example.org")
    source = full_set(tmp_path / "in")
    assert run("import", str(source))[0] == 0
    assert run("export", str(tmp_path / "out"))[0] == 0
    exported = read(tmp_path / "out")
    for file in FILES:
        assert exported[file].splitlines()[0] == ",".join(column_names(file))
        if file in YOUTH_FILES:   # no Mission Locale record in this set (tests/youth/test_import.py has them)
            assert exported[file].splitlines()[1:] == []
            continue
        # Same rows as the source, except the referent's e-mail spelt as the account stores it.
        assert sorted(exported[file].splitlines()[1:]) == sorted(
            (source / file).read_text(encoding="utf-8").replace("Referent@Example.org", "referent@example.org")
            .splitlines()[1:])
    code, out, err = run("import", str(tmp_path / "out"))
    assert "rien n'a changé" in out, out
    wipe()
    assert run("import", str(tmp_path / "out"))[0] == 0
    assert run("export", str(tmp_path / "again"))[0] == 0
    assert read(tmp_path / "again") == exported


def parcours_made(territory, referent, operator):
    """Records created in Parcours itself: no external_ref, some states the format cannot spell."""
    today = date.today()
    active = factories.PathwayFactory(active=True, referent=referent, operator=operator,
                                      participant=factories.ParticipantFactory(territory=territory, qpv=None))
    factories.StepFactory(pathway=active, hours="12.50", employer_siret="12345678901234")
    factories.AppointmentFactory(pathway=active)
    pending = factories.PathwayFactory(status=PathwayStatus.ADMITTED, decision="admitted",
                                       commission_date=today - timedelta(days=5), referent=referent,
                                       participant=factories.ParticipantFactory(territory=territory))
    return active, pending


def test_parcours_records_get_generated_refs_and_pending_admission(tmp_path, territory, referent, operator):
    active, pending = parcours_made(territory, referent, operator)
    assert run("export", str(tmp_path / "out"))[0] == 0
    pathways = {r["pathway_ref"]: r for r in rows(tmp_path / "out", "pathways.csv")}
    assert pathways[f"PW{active.pk}"]["participant_ref"] == f"P{active.participant_id}"
    assert pathways[f"PW{active.pk}"]["referent"] == referent.email
    assert pathways[f"PW{active.pk}"]["operator"] == operator.name
    # Admitted, contract not signed: no entry date, so the decision is exported as pending.
    assert (pathways[f"PW{pending.pk}"]["decision"], pathways[f"PW{pending.pk}"]["entry_date"]) == ("", "")
    step = rows(tmp_path / "out", "steps.csv")[0]
    assert (step["step_ref"], step["hours"]) == (f"S{active.steps.get().pk}", "12.5")
    assert rows(tmp_path / "out", "appointments.csv")[0]["appointment_ref"] == f"A{active.appointments.get().pk}"

    # Back into the same database: the generated refs find their records, nothing changes.
    code, out, err = run("import", str(tmp_path / "out"))
    assert code == 0, err
    assert "rien n'a changé" in out, out
    pending.refresh_from_db()
    assert (pending.status, pending.decision, pending.external_ref) == (PathwayStatus.ADMITTED, "admitted", "")

    # Into an empty database: the generated refs become refs, the files come out identical.
    exported = read(tmp_path / "out")
    wipe()
    assert run("import", str(tmp_path / "out"))[0] == 0
    assert run("export", str(tmp_path / "again"))[0] == 0
    assert read(tmp_path / "again") == exported


def test_a_generated_ref_never_takes_over_a_stranger(tmp_path, territory):
    stranger = factories.ParticipantFactory(territory=territory, birth_date=date(1950, 1, 1))
    full_set(tmp_path / "in", participants=[{**_person(f"P{stranger.pk}")}], pathways=[], steps=[], appointments=[],
             participations=[], beneficiaries=[], clause_hours=[])
    assert run("import", str(tmp_path / "in"))[0] == 0
    assert Participant.objects.filter(external_ref=f"P{stranger.pk}").exists()
    stranger.refresh_from_db()
    assert stranger.external_ref == "" and stranger.birth_date == date(1950, 1, 1)


def _person(ref):
    from tests.interchange.helpers import person

    return person(ref)


def test_anonymised_export_has_no_names(tmp_path, territory):
    assert run("import", str(full_set(tmp_path / "in")))[0] == 0
    assert run("export", str(tmp_path / "out"), "--anonymise")[0] == 0
    people = rows(tmp_path / "out", "participants.csv")
    assert {(p["last_name"], p["first_name"]) for p in people} == {("", "")}
    assert "Martin" not in read(tmp_path / "out")["participants.csv"]


def test_export_reads_a_constant_number_of_queries(tmp_path, territory, referent, operator,
                                                   django_assert_num_queries):
    parcours_made(territory, referent, operator)
    # One query per file (the ESF+ files' four and the clauses' four and the Mission Locale's seven included) and the territory's.
    with django_assert_num_queries(20):
        run("export", str(tmp_path / "a"), "--territory", territory.name)
    parcours_made(territory, referent, Organisation.objects.create(territory=territory, name="Autre", kind="operator"))
    with django_assert_num_queries(20):
        run("export", str(tmp_path / "b"), "--territory", territory.name)
