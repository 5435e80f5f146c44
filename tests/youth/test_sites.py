"""The Mission Locale's sites in the territory file: checked with the rest of the file, loaded idempotently."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from parcours.plie.territory_loader import DEFAULT_TERRITORY_FILE, territory_file_check
from parcours.territory.models import Territory
from parcours.youth.enums import SiteKind
from parcours.youth.models import Site


@pytest.fixture
def clermont() -> dict:
    return json.loads(DEFAULT_TERRITORY_FILE.read_text(encoding="utf-8"))


def load(*args) -> str:
    out = StringIO()
    call_command("load_territory", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_clermont_sites_are_loaded_once():
    out = load()
    assert "Lieux de la Mission Locale : 18 créé(s), 0 mis à jour, 0 inchangé(s)" in out
    territory = Territory.objects.get()
    assert Site.objects.filter(territory=territory).count() == 18
    montagne = Site.objects.get(code="montagne")
    assert (montagne.name, montagne.kind, montagne.interviews_2024) == (
        "Antenne Clermont Montagne", SiteKind.ANTENNA, None)
    remote = Site.objects.get(code="remote")
    assert (remote.kind, remote.interviews_2024) == (SiteKind.REMOTE, 6638)
    assert Site.objects.get(code="entreprise").kind == SiteKind.PARTNER
    out = load()
    assert "Lieux de la Mission Locale : 0 créé(s), 0 mis à jour, 18 inchangé(s)" in out
    assert Site.objects.count() == 18


def test_a_changed_site_is_updated_by_code(tmp_path, clermont):
    load()
    clermont["mission_locale"]["sites"][0]["name"] = "Maison de quartier de Champratel"
    path = tmp_path / "t.json"
    path.write_text(json.dumps(clermont), encoding="utf-8")
    out = load(str(path))
    assert "Lieux de la Mission Locale : 0 créé(s), 1 mis à jour, 17 inchangé(s)" in out
    assert Site.objects.get(code="champratel").name == "Maison de quartier de Champratel"


@pytest.mark.parametrize("change, message", [
    (lambda s: s[1].update(code="champratel"), "mission_locale.sites[1].code : code en double (champratel)"),
    (lambda s: s[0].update(code="Champ ratel"),
     "mission_locale.sites[0].code : code invalide (lettres minuscules, chiffres et _, 64 au plus)"),
    (lambda s: s[2].pop("name"), "mission_locale.sites[2].name : champ obligatoire"),
    (lambda s: s[3].update(kind="office"),
     "mission_locale.sites[3].kind : type inconnu (valeurs admises : permanence, antenna, remote, partner)"),
    (lambda s: s[4].update(interviews_2024=-1),
     "mission_locale.sites[4].interviews_2024 : nombre entier positif ou nul attendu"),
    (lambda s: s[4].update(interviews_2024="12"),
     "mission_locale.sites[4].interviews_2024 : nombre entier positif ou nul attendu"),
    (lambda s: s.append("montagne"), "mission_locale.sites[18] : objet attendu"),
])
def test_each_site_rule_names_its_field(tmp_path, clermont, change, message):
    change(clermont["mission_locale"]["sites"])
    assert territory_file_check(clermont) == [message]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(clermont), encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        load(str(path))
    assert not Site.objects.exists()
    assert not Territory.objects.exists()


def test_sites_must_be_a_list(clermont):
    clermont["mission_locale"]["sites"] = {"code": "x"}
    assert territory_file_check(clermont) == ["mission_locale.sites : liste attendue"]
