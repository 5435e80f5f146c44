"""`parcours load-territory`: checked first, refused whole, idempotent."""

import json

import pytest
from django.core.management import CommandError, call_command

from parcours.audit.models import AuditEvent
from parcours.organisations.enums import OrganisationKind, PrescriberType
from parcours.organisations.models import Organisation
from parcours.territory.models import Commune, Helpdesk, Qpv, Territory
from parcours.plie.territory_loader import DEFAULT_TERRITORY_FILE, territory_file_check


@pytest.fixture
def clermont() -> dict:
    return json.loads(DEFAULT_TERRITORY_FILE.read_text(encoding="utf-8"))


def write(tmp_path, data) -> str:
    path = tmp_path / "territoire.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def load(*args) -> tuple[str, str]:
    from io import StringIO
    out, err = StringIO(), StringIO()
    call_command("load_territory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loads_the_clermont_territory():
    out, _err = load()
    territory = Territory.objects.get()
    assert (territory.name, territory.siren) == ("Clermont Auvergne Métropole", "246300701")
    assert Commune.objects.filter(territory=territory).count() == 21
    assert Qpv.objects.filter(territory=territory).count() == 6
    assert Organisation.objects.filter(kind=OrganisationKind.OPERATOR).count() == 8
    plie = Organisation.objects.get(kind=OrganisationKind.PLIE)
    assert plie.prescriber_type == PrescriberType.PLIE
    assert plie.name == "PLIE de Clermont Auvergne Métropole"
    ml = Organisation.objects.get(prescriber_type=PrescriberType.MISSION_LOCALE)
    assert ml.kind == OrganisationKind.PRESCRIBER
    # the agency, the eight operators, and the Mission Locale's fifteen permanences and antennas
    assert Helpdesk.objects.count() == 9 + 15
    infa = Helpdesk.objects.get(name="INFA Auvergne")
    assert infa.address == "107 avenue de la Libération, Clermont-Ferrand"
    assert infa.organisation.kind == OrganisationKind.OPERATOR
    clermont_ferrand = Commune.objects.get(insee="63113")
    assert clermont_ferrand.postal_codes == ["63000", "63100"]
    assert Qpv.objects.get(code="cournon-lac-sud").commune.insee == "63124"
    assert "Communes : 21 créé(s), 0 mis à jour, 0 inchangé(s)" in out


def test_second_load_changes_nothing():
    load()
    audit_rows = AuditEvent.objects.count()
    before = {m: m.objects.count() for m in (Territory, Commune, Qpv, Helpdesk, Organisation)}
    out, _err = load()
    assert {m: m.objects.count() for m in before} == before
    assert AuditEvent.objects.count() == audit_rows
    assert "Communes : 0 créé(s), 0 mis à jour, 21 inchangé(s)" in out
    assert "Structures : 0 créé(s), 0 mis à jour, 10 inchangé(s)" in out


def test_a_changed_file_updates_by_natural_key(tmp_path, clermont):
    load()
    clermont["communes"][0]["name"] = "Aubière (63)"
    clermont["operators"][0]["address"] = "1 rue Neuve, Clermont-Ferrand"
    out, _err = load(write(tmp_path, clermont))
    assert Commune.objects.count() == 21
    assert Commune.objects.get(insee="63014").name == "Aubière (63)"
    assert Organisation.objects.get(name="INFA Auvergne").address == "1 rue Neuve, Clermont-Ferrand"
    assert "Communes : 0 créé(s), 1 mis à jour, 20 inchangé(s)" in out


def test_a_bad_file_is_refused_whole_with_the_field_named(tmp_path, clermont):
    clermont["communes"][3]["insee"] = "6304"
    clermont["qpv"][0]["commune_insee"] = "99999"
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        load(write(tmp_path, clermont))
    assert not Territory.objects.exists()
    assert not Organisation.objects.exists()
    assert territory_file_check(clermont) == [
        "communes[3].insee : code INSEE invalide",
        "qpv[0].commune_insee : commune absente de la liste des communes",
    ]


def test_the_error_is_printed_in_french(tmp_path, clermont, capsys):
    clermont["communes"][3]["insee"] = "ABCDE"
    from io import StringIO
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_territory", write(tmp_path, clermont), stdout=StringIO(), stderr=err)
    assert "communes[3].insee : code INSEE invalide" in err.getvalue()


@pytest.mark.parametrize("change, message", [
    (lambda d: d["territory"].pop("name"), "territory.name : champ obligatoire"),
    (lambda d: d["territory"].update(siren="24630070"), "territory.siren : SIREN invalide (9 chiffres attendus)"),
    (lambda d: d["communes"][1].update(insee="63014"), "communes[1].insee : code INSEE en double (63014)"),
    (lambda d: d["communes"][2]["postal_codes"].append("6311"),
     "communes[2].postal_codes[1] : code postal invalide (5 chiffres attendus)"),
    (lambda d: d["qpv"][2].update(code="les vergnes"), "qpv[2].code : code invalide (lettres, chiffres et tirets)"),
    (lambda d: d["operators"][4].update(name=""), "operators[4].name : champ obligatoire"),
    (lambda d: d.pop("plie"), "plie : champ obligatoire"),
    (lambda d: d.update(communes={}), "communes : liste attendue"),
    (lambda d: d["communes"][0].update(name="Aulnat\x00"), "communes[0].name : caractère nul (U+0000) interdit"),
])
def test_each_rule_names_its_field(clermont, change, message):
    change(clermont)
    assert message in territory_file_check(clermont)


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(CommandError):
        load(str(tmp_path / "absent.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{ pas du json", encoding="utf-8")
    from io import StringIO
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_territory", str(broken), stdout=StringIO(), stderr=err)
    assert "fichier : JSON invalide" in err.getvalue()
    assert territory_file_check([]) == ["fichier : un objet JSON est attendu"]


def test_another_plie_loads_its_own_file(tmp_path):
    data = {
        "territory": {"name": "Grand Exemple", "siren": "200000001"},
        "communes": [{"insee": "2A004", "name": "Ajaccio", "postal_codes": ["20000"]}],
        "qpv": [],
        "plie": {"name": "PLIE du Grand Exemple", "address": "1 place de la Mairie"},
        "operators": [{"name": "Association Exemple"}],
    }
    load(write(tmp_path, data))
    territory = Territory.objects.get(name="Grand Exemple")
    assert territory.communes.get().insee == "2A004"
    assert Organisation.objects.filter(territory=territory).count() == 2
