"""Each rule of `parcours import` refuses the set with the exact `file:line: column: message` lines."""

import pytest

from parcours.participants.models import Participant
from parcours.pathways.models import Pathway
from tests import factories
from tests.interchange.helpers import appointment, error_lines, pathway, person, run, step, write_set


def refused(directory, *options) -> list[str]:
    before = (Participant.objects.count(), Pathway.objects.count())
    code, out, err = run("import", str(directory), *options)
    assert code == 1, out
    assert "Import refusé, rien n'a été enregistré" in err
    assert (Participant.objects.count(), Pathway.objects.count()) == before
    return error_lines(err)


def one_set(tmp_path, participants=None, pathways=None, steps=None, appointments=None):
    files = {"participants": participants if participants is not None else [person()],
             "pathways": pathways if pathways is not None else [pathway()]}
    if steps is not None:
        files["steps"] = steps
    if appointments is not None:
        files["appointments"] = appointments
    return write_set(tmp_path / "set", **files)


@pytest.fixture(autouse=True)
def _territory(territory):
    return territory


def test_required_file_missing(tmp_path):
    write_set(tmp_path / "set", participants=[person()])
    assert refused(tmp_path / "set") == ["pathways.csv:0: -: fichier obligatoire absent du dossier"]


def test_unknown_and_missing_columns(tmp_path):
    directory = one_set(tmp_path)
    (directory / "participants.csv").write_text("participant_ref,nom,birth_date\r\nP-1,Martin,1985-03-02\r\n",
                                                encoding="utf-8")
    assert refused(directory) == ["participants.csv:1: nom: colonne inconnue",
                                  "participants.csv:1: sex: colonne obligatoire absente"]


def test_columns_in_any_order_bom_and_absent_optional_columns_are_accepted(tmp_path):
    directory = one_set(tmp_path)
    (directory / "participants.csv").write_bytes(
        "\ufeffsex,birth_date,participant_ref,last_name\r\nF,1985-03-02,P-1,\"Martin, dite « Awa »\"\r\n"
        .encode("utf-8"))
    code, out, err = run("import", str(directory))
    assert code == 0, err
    assert Participant.objects.get(external_ref="P-1").last_name == "Martin, dite « Awa »"


def test_not_utf8(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1"), person("P-2", last_name="Lefèvre")])
    data = (directory / "participants.csv").read_text(encoding="utf-8").encode("latin-1")
    (directory / "participants.csv").write_bytes(data)
    assert refused(directory) == ["participants.csv:3: -: encodage invalide : le fichier doit être en UTF-8"]


def test_wrong_number_of_fields_and_physical_lines_with_multiline_cells(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1", last_name="Sur\ndeux lignes"), person("P-2")])
    with open(directory / "participants.csv", "a", encoding="utf-8", newline="") as handle:
        handle.write("P-3,Durand\r\n")
        handle.write("P-4,Petit,Luc,X,1980-01-01,,,,,,,,,,,,\r\n")
    assert refused(directory) == [
        "participants.csv:5: -: 2 champ(s) au lieu de 17 (selon l'en-tête)",
        "participants.csv:6: sex: code « X » inconnu (valeurs admises : F, M)",
    ]


@pytest.mark.parametrize("column, value, message", [
    ("birth_date", "02/03/1985", "« 02/03/1985 » n'est pas une date au format AAAA-MM-JJ"),
    ("birth_date", "1985-02-30", "la date « 1985-02-30 » n'existe pas"),
    ("birth_date", "2999-01-01", "la date « 2999-01-01 » est dans le futur"),
    ("birth_date", "", "valeur obligatoire manquante"),
    ("participant_ref", "", "valeur obligatoire manquante"),
    ("participant_ref", "x" * 65, "identifiant trop long (65 caractères, 64 au plus)"),
    ("sex", "H", "code « H » inconnu (valeurs admises : F, M)"),
    ("education_level", "Vbis", "code « Vbis » inconnu (valeurs admises : VI, VBIS, V, IV, III, II, I)"),
    ("rsa", "oui", "« oui » n'est pas un booléen (0 ou 1 attendu)"),
    ("commune_insee", "6311", "code INSEE « 6311 » mal formé : 5 caractères attendus "
                              "(chiffres, ou 2A/2B suivi de 3 chiffres)"),
    ("commune_insee", "75056", "commune « 75056 » inconnue du territoire « Clermont Auvergne Métropole »"),
    ("qpv_code", "la-defense", "QPV « la-defense » inconnu du territoire « Clermont Auvergne Métropole »"),
    ("last_name", "x" * 151, "texte trop long (151 caractères, 150 au plus)"),
])
def test_participant_cells(tmp_path, column, value, message):
    directory = one_set(tmp_path, participants=[person(**{column: value})], pathways=[])
    assert refused(directory) == [f"participants.csv:2: {column}: {message}"]


def test_duplicate_refs(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1"), person("P-2"), person("P-1")], pathways=[])
    assert refused(directory) == ["participants.csv:4: participant_ref: identifiant « P-1 » en double (déjà ligne 2)"]


@pytest.mark.parametrize("column, value, message", [
    ("prescriber_type", "pole_emploi", "code « pole_emploi » inconnu (valeurs admises : france_travail, "
                                       "mission_locale, ccas, departement, caf, siae, association, plie, self, other)"),
    ("decision", "accepted", "code « accepted » inconnu (valeurs admises : admitted, refused, reoriented)"),
    ("exit_reason", "job", "code « job » inconnu (valeurs admises : sustainable_employment, qualifying_training, "
                           "other_positive, abandonment, moved, deceased, retired, reorientation, "
                           "other_without_outcome)"),
    ("operator", "x" * 201, "texte trop long (201 caractères, 200 au plus)"),
])
def test_pathway_cells(tmp_path, column, value, message):
    extra = {"exit_date": "2024-01-01"} if column == "exit_reason" else {}
    directory = one_set(tmp_path, pathways=[pathway(**{column: value, **extra})])
    assert refused(directory) == [f"pathways.csv:2: {column}: {message}"]


def test_unknown_participant_of_a_pathway(tmp_path):
    directory = one_set(tmp_path, pathways=[pathway(person_ref="P-404")])
    assert refused(directory) == ["pathways.csv:2: participant_ref: personne « P-404 » absente de participants.csv"]


def test_entry_date_iff_admitted(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1"), person("P-2")], pathways=[
        pathway("PW-1", "P-1", entry_date=""),
        pathway("PW-2", "P-2", decision="", entry_date="2023-02-15"),
    ])
    assert refused(directory) == [
        "pathways.csv:2: entry_date: date d'entrée obligatoire quand la décision est « admitted »",
        "pathways.csv:3: entry_date: date d'entrée sans décision « admitted »",
    ]


def test_exit_reason_iff_exit_date_and_exit_needs_entry(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1"), person("P-2"), person("P-3")], pathways=[
        pathway("PW-1", "P-1", exit_date="2024-01-01"),
        pathway("PW-2", "P-2", exit_reason="moved"),
        pathway("PW-3", "P-3", decision="", entry_date="", exit_date="2024-01-01", exit_reason="moved"),
    ])
    assert refused(directory) == [
        "pathways.csv:2: exit_reason: motif de sortie obligatoire quand la date de sortie est indiquée",
        "pathways.csv:3: exit_reason: motif de sortie sans date de sortie",
        "pathways.csv:4: exit_date: date de sortie sans date d'entrée",
    ]


def test_dates_in_order(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1"), person("P-2"), person("P-3"), person("P-4")], pathways=[
        pathway("PW-1", "P-1", application_date="2023-02-02", commission_date="2023-02-01"),
        pathway("PW-2", "P-2", entry_date="2023-01-31"),
        pathway("PW-3", "P-3", exit_date="2023-02-14", exit_reason="moved"),
        pathway("PW-4", "P-4", commission_date="", entry_date="2023-01-09"),
    ])
    assert refused(directory) == [
        "pathways.csv:2: commission_date: la commission (2023-02-01) précède la candidature (2023-02-02)",
        "pathways.csv:3: entry_date: l'entrée (2023-01-31) précède la commission (2023-02-01)",
        "pathways.csv:4: exit_date: la sortie (2023-02-14) précède l'entrée (2023-02-15)",
        "pathways.csv:5: entry_date: l'entrée (2023-01-09) précède la candidature (2023-01-10)",
    ]


def test_same_day_everywhere_is_allowed(tmp_path):
    day = "2023-02-15"
    directory = one_set(tmp_path, pathways=[pathway(application_date=day, commission_date=day, entry_date=day,
                                                    exit_date=day, exit_reason="abandonment")],
                        steps=[step(start_date=day, end_date=day)], appointments=[appointment(date=day)])
    code, out, err = run("import", str(directory))
    assert code == 0, err


def test_refused_or_reoriented_pathway_has_no_entry_exit_step_or_appointment(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1"), person("P-2")], pathways=[
        pathway("PW-1", "P-1", decision="refused", exit_date="2023-03-01", exit_reason="abandonment"),
        pathway("PW-2", "P-2", decision="reoriented", entry_date=""),
    ], steps=[step("S-1", "PW-2")], appointments=[appointment("A-1", "PW-2")])
    assert refused(directory) == [
        "appointments.csv:2: pathway_ref: le parcours « PW-2 » est « reoriented » : il n'a ni étape ni rendez-vous",
        "pathways.csv:2: entry_date: un parcours « refused » n'a pas de date d'entrée",
        "pathways.csv:2: exit_date: un parcours « refused » n'a pas de date de sortie",
        "steps.csv:2: pathway_ref: le parcours « PW-2 » est « reoriented » : il n'a ni étape ni rendez-vous",
    ]


def test_step_or_appointment_on_a_pathway_without_entry(tmp_path):
    directory = one_set(tmp_path, pathways=[pathway(decision="", entry_date="")], steps=[step()],
                        appointments=[appointment()])
    assert refused(directory) == [
        "appointments.csv:2: pathway_ref: le parcours « PW-1 » n'a pas de date d'entrée : "
        "le rendez-vous ne peut pas s'y rattacher",
        "steps.csv:2: pathway_ref: le parcours « PW-1 » n'a pas de date d'entrée : l'étape ne peut pas s'y rattacher",
    ]


def test_one_open_pathway_per_person_in_the_file(tmp_path):
    directory = one_set(tmp_path, pathways=[
        pathway("PW-1"), pathway("PW-2", application_date="", commission_date="", entry_date="2024-01-01"),
        pathway("PW-3", application_date="", commission_date="", entry_date="2020-01-01", exit_date="2021-01-01",
                exit_reason="moved"),
    ])
    assert refused(directory) == [
        "pathways.csv:3: participant_ref: la personne « P-1 » a déjà un parcours en cours (« PW-1 », ligne 2)",
    ]


def test_one_open_pathway_per_person_with_the_database(tmp_path, territory):
    known = factories.ParticipantFactory(territory=territory, external_ref="P-1", birth_date="1985-03-02")
    factories.PathwayFactory(participant=known, active=True, external_ref="OLD-1")
    directory = one_set(tmp_path)
    assert refused(directory) == [
        "pathways.csv:2: participant_ref: la personne « P-1 » a déjà un parcours en cours "
        "(« OLD-1 », déjà enregistré dans Parcours)",
    ]


def test_steps_and_appointments_between_entry_and_exit(tmp_path):
    directory = one_set(tmp_path, pathways=[pathway(exit_date="2023-06-30", exit_reason="abandonment")], steps=[
        step("S-1", start_date="2023-02-14"), step("S-2", start_date="2023-07-01", end_date=""),
        step("S-3", start_date="2023-03-01", end_date="2023-02-28"), step("S-4", pathway_ref="PW-404"),
        step("S-5", step_type="stage", employer_siret="1234", contract_type="cdd", hours="35,5"),
    ], appointments=[appointment("A-1", date="2023-02-14"), appointment("A-2", date="2023-07-01"),
                     appointment("A-3", kind="group", mode="mail", duration_minutes="-5", place="x" * 201)])
    assert refused(directory) == [
        "appointments.csv:2: date: le rendez-vous (2023-02-14) précède l'entrée en parcours (2023-02-15)",
        "appointments.csv:3: date: le rendez-vous (2023-07-01) suit la sortie du parcours (2023-06-30)",
        "appointments.csv:4: kind: code « group » inconnu (valeurs admises : individual, collective)",
        "appointments.csv:4: mode: code « mail » inconnu (valeurs admises : in_person, phone, video, home_visit, "
        "outreach)",
        "appointments.csv:4: duration_minutes: « -5 » n'est pas un nombre entier positif ou nul",
        "appointments.csv:4: place: texte trop long (201 caractères, 200 au plus)",
        "steps.csv:2: start_date: l'étape (2023-02-14) précède l'entrée en parcours (2023-02-15)",
        "steps.csv:3: start_date: l'étape (2023-07-01) suit la sortie du parcours (2023-06-30)",
        "steps.csv:4: end_date: la fin (2023-02-28) précède le début (2023-03-01)",
        "steps.csv:5: pathway_ref: parcours « PW-404 » absent de pathways.csv et de Parcours",
        "steps.csv:6: step_type: code « stage » inconnu (valeurs admises : mobilisation, employment_mediation, "
        "social_support, training_qualifying, training_certifying, training_non_qualifying, iae_aci, iae_ei, "
        "iae_etti, iae_ai, geiq, regie_quartier, subsidised_contract, unsubsidised_employment, immersion, "
        "business_creation)",
        "steps.csv:6: employer_siret: SIRET « 1234 » invalide : 14 chiffres attendus",
        "steps.csv:6: hours: « 35,5 » n'est pas un nombre positif (point décimal, 2 décimales au plus, "
        "moins de 100 000)",
    ]


def test_a_step_already_in_parcours_must_still_fit_the_new_dates(tmp_path, territory):
    directory = one_set(tmp_path, steps=[step("S-1", start_date="2023-02-20")])
    assert run("import", str(directory))[0] == 0
    write_set(directory, participants=[person()], pathways=[pathway(entry_date="2023-03-01")],
              steps=[step("S-2", start_date="2023-03-02")])
    assert refused(directory) == [
        "pathways.csv:2: entry_date: l'étape « S-1 » déjà enregistré(e) dans Parcours (2023-02-20) ne tiendrait "
        "plus : elle précède l'entrée (2023-03-01)",
    ]


def test_refs_of_another_territory(tmp_path, territory):
    other = factories.TerritoryFactory(name="PLIE voisin")
    factories.PathwayFactory(participant=factories.ParticipantFactory(territory=other), external_ref="PW-1")
    directory = one_set(tmp_path)
    assert refused(directory, "--territory", territory.name) == [
        "pathways.csv:2: pathway_ref: identifiant « PW-1 » déjà porté par une fiche d'un autre territoire",
    ]


def test_every_error_of_every_file_sorted_by_file_then_line(tmp_path):
    directory = one_set(tmp_path, participants=[person("P-1", sex="X"), person("P-2", rsa="2")],
                        pathways=[pathway("PW-1", decision="ok"), pathway("PW-2", "P-9", decision="")],
                        steps=[step("S-1", start_date="2023-13-01")],
                        appointments=[appointment("A-1", kind="")])
    assert refused(directory) == [
        "appointments.csv:2: kind: valeur obligatoire manquante",
        "participants.csv:2: sex: code « X » inconnu (valeurs admises : F, M)",
        "participants.csv:3: rsa: « 2 » n'est pas un booléen (0 ou 1 attendu)",
        "pathways.csv:2: decision: code « ok » inconnu (valeurs admises : admitted, refused, reoriented)",
        "pathways.csv:3: participant_ref: personne « P-9 » absente de participants.csv",
        "pathways.csv:3: entry_date: date d'entrée sans décision « admitted »",
        "steps.csv:2: start_date: la date « 2023-13-01 » n'existe pas",
    ]


def test_bad_quoting(tmp_path):
    directory = one_set(tmp_path)
    (directory / "pathways.csv").write_text(
        'pathway_ref,participant_ref\r\nPW-1,P-1\r\nPW-2,"P-1"x\r\n', encoding="utf-8")
    lines = refused(directory)
    assert len(lines) == 1 and lines[0].startswith("pathways.csv:3: -: guillemets mal placés")


def test_a_nul_character_is_refused_naming_its_cell(tmp_path, territory):
    """PostgreSQL cannot store U+0000: refused up front on both databases, not a crash at write time."""
    folder = write_set(tmp_path / "set", participants=[person(last_name="Mar\x00tin")], pathways=[pathway()])
    code, _, err = run("import", str(folder))
    assert code == 1
    assert "participants.csv:2: last_name: caractère nul (U+0000) interdit" in error_lines(err)
