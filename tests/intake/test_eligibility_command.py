"""`parcours eligibility`: JSON in, decision out; bad input names the field and exits non-zero."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parcours.territory.models import Territory
from tests import factories

BASE = {"reference_date": "2025-06-15", "birth_date": "1980-01-01", "commune_insee": "63113", "qpv_code": None,
        "situations": ["rsa"]}


def run(payload, *args) -> dict:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    out = io.StringIO()
    call_command("eligibility", *args, stdin=io.StringIO(raw), stdout=out)
    return json.loads(out.getvalue())


def refused(payload, *args) -> str:
    with pytest.raises(CommandError) as caught:
        run(payload, *args)
    return str(caught.value)


def with_(**changes) -> dict:
    return {**BASE, **changes}


def test_resident_adult_with_a_situation_is_eligible(territory):
    result = run(BASE)
    assert result["eligible"] is True
    assert result["reasons"] == []
    assert [c["criterion"] for c in result["checks"]] == ["residence", "age", "situation"]
    assert all(c["passed"] for c in result["checks"])
    assert result["suggested_orientation"] is None


def test_turning_26_on_the_reference_date_is_eligible(territory):
    result = run(with_(birth_date="1999-06-15"))
    assert result["eligible"] is True


def test_the_day_before_26_is_too_young_and_oriented_to_the_mission_locale(territory):
    result = run(with_(birth_date="1999-06-16"))
    assert result["eligible"] is False
    assert result["reasons"] == ["age"]
    assert result["suggested_orientation"] == "mission_locale"


def test_resident_of_25_is_oriented_to_the_mission_locale(territory):
    result = run(with_(birth_date="2000-01-01"))
    assert result == {**result, "eligible": False, "reasons": ["age"], "suggested_orientation": "mission_locale"}


def test_under_16_gets_no_orientation(territory):
    result = run(with_(birth_date="2010-01-01"))
    assert result["reasons"] == ["age"]
    assert result["suggested_orientation"] is None


def test_non_resident_fails_on_residence_without_orientation(territory):
    result = run(with_(commune_insee="75056", birth_date="2001-01-01"))
    assert "residence" in result["reasons"]
    assert result["suggested_orientation"] is None


def test_non_resident_adult_fails_on_residence_only(territory):
    result = run(with_(commune_insee="75056"))
    assert result["reasons"] == ["residence"]


def test_unknown_commune_is_not_resident(territory):
    assert run(with_(commune_insee=None))["reasons"] == ["residence"]
    payload = dict(BASE)
    del payload["commune_insee"]
    assert run(payload)["reasons"] == ["residence"]


def test_qpv_alone_satisfies_the_situation(territory):
    result = run(with_(situations=[], qpv_code="croix-de-neyrat"))
    assert result["eligible"] is True
    assert "Croix-de-Neyrat" in result["checks"][2]["detail"]


def test_qpv_without_commune_implies_residence(territory):
    result = run(with_(situations=[], qpv_code="croix-de-neyrat", commune_insee=None))
    assert result["eligible"] is True


def test_qpv_does_not_count_when_the_territory_says_so(territory):
    factories.plie_rules_set(territory, qpv_residence_eligible=False)
    assert run(with_(situations=[], qpv_code="croix-de-neyrat"))["reasons"] == ["situation"]


def test_no_situation_fails(territory):
    assert run(with_(situations=[]))["reasons"] == ["situation"]


def test_situation_not_accepted_by_the_territory_fails(territory):
    factories.plie_rules_set(territory, eligible_situations=["rsa"])
    assert run(with_(situations=["rqth"]))["reasons"] == ["situation"]


def test_multiple_failures_are_all_reported(territory):
    result = run(with_(commune_insee="75056", birth_date="2001-01-01", situations=[]))
    assert result["eligible"] is False
    assert result["reasons"] == ["residence", "age", "situation"]


def test_corsican_insee_code_is_well_formed(territory):
    assert run(with_(commune_insee="2A004"))["reasons"] == ["residence"]


@pytest.mark.parametrize("field, value, words", [
    ("birth_date", "2023-02-30", "date impossible"),
    ("reference_date", "2025-13-01", "date impossible"),
    ("birth_date", "01/02/1980", "format de date invalide"),
    ("birth_date", "19800101", "format de date invalide"),
    ("birth_date", 19800101, "format de date invalide"),
    ("commune_insee", "6311", "mal formé"),
    ("commune_insee", "2C004", "mal formé"),
    ("commune_insee", "ABCDE", "mal formé"),
    ("commune_insee", 63113, "chaîne"),
    ("qpv_code", "inconnu", "n'a pas de QPV"),
    ("situations", ["rsa", "chomage"], "situation inconnue : chomage"),
    ("situations", "rsa", "liste"),
    ("situations", None, "liste"),
])
def test_bad_field_is_named(territory, field, value, words):
    message = refused(with_(**{field: value}))
    assert message.startswith(f"{field} :")
    assert words in message


def test_missing_date_is_named(territory):
    payload = dict(BASE)
    del payload["birth_date"]
    assert refused(payload).startswith("birth_date : champ obligatoire manquant")


def test_birth_after_reference_is_refused(territory):
    assert refused(with_(birth_date="2026-01-01")).startswith("birth_date :")


def test_qpv_of_another_commune_is_refused(territory):
    assert "n'est pas situé dans la commune 63124" in refused(with_(commune_insee="63124",
                                                                      qpv_code="croix-de-neyrat"))


def test_invalid_json_is_refused(territory):
    assert refused('{"reference_date": ').startswith("entrée : JSON invalide")
    assert refused("[1, 2]").startswith("entrée : un objet JSON est attendu")


def test_no_territory_loaded():
    assert not Territory.objects.exists()
    assert refused(BASE).startswith("territoire : aucun territoire")


def test_territory_chosen_by_name_when_several(territory):
    other = factories.TerritoryFactory(name="Autre PLIE")
    factories.plie_rules_set(other, min_age=50)
    assert "plusieurs territoires" in refused(BASE)
    assert run(BASE, "--territory", "Autre PLIE")["reasons"] == ["age"]
    assert run(BASE, "--territory", territory.name)["eligible"] is True
    assert "aucun territoire nommé" in refused(BASE, "--territory", "Nulle part")


def test_command_exits_non_zero_from_the_shell(territory, capsys, monkeypatch):
    from parcours.__main__ import main

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(with_(birth_date="2023-02-30"))))
    monkeypatch.setattr("sys.argv", ["parcours", "eligibility"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code != 0
    assert "birth_date : date impossible" in capsys.readouterr().err


def test_a_nul_character_is_an_unknown_qpv_or_territory_not_a_crash(territory):
    """PostgreSQL refuses NUL in a query: the answer is the same French refusal as any unknown code."""
    assert refused(with_(qpv_code="croix\u0000")).startswith("qpv_code : le territoire n'a pas de QPV")
    assert "aucun territoire nommé" in refused(BASE, "--territory", "Clermont\x00")


def test_deld_is_not_one_of_the_listed_situations(territory):
    # DELD is a PLIE criterion asked apart (the application's own box), not a situation that opens the PLIE.
    assert refused(with_(situations=["deld"])) == "situations : situation inconnue : deld."
