import json
from datetime import date

import pytest

from parcours.interchange.importer import dataset_import
from parcours.reporting.indicators import indicators_compute
from tests import factories
from tests.interchange.generate import generate_set
from tests.interchange.helpers import run
from tests.reporting.dataset import EXPECTED, import_dataset


@pytest.fixture
def two_plie(tmp_path):
    first = factories.TerritoryFactory(name="PLIE A")
    factories.OrganisationFactory(territory=first, plie=True, name="PLIE de A")
    second = factories.TerritoryFactory(name="PLIE B")
    import_dataset(tmp_path / "a", first)
    generate_set(tmp_path / "b", 300, seed=7)
    dataset_import(tmp_path / "b", territory=second)
    import_dataset(tmp_path / "b2", second, prefix="B")  # same shapes, other refs
    return first, second


def export(tmp_path, territory, name):
    path = tmp_path / name
    code, out, err = run("consolidation_export", "--from", "2024-01-01", "--to", "2024-12-31",
                         "--territory", territory.name, "--output", str(path))
    assert code == 0, err
    return path


def test_consolidating_the_exports_gives_the_indicators_of_the_union(tmp_path, two_plie):
    first, second = two_plie
    files = [export(tmp_path, first, "a.json"), export(tmp_path, second, "b.json")]
    code, out, err = run("consolidate", *map(str, files))
    assert code == 0, err
    union = indicators_compute(territory_ids=[first.pk, second.pk], date_from=date(2024, 1, 1),
                               date_to=date(2024, 12, 31))
    assert json.loads(out) == union
    assert union["entries"] > EXPECTED["entries"]


def test_one_export_consolidated_alone_gives_its_indicators(tmp_path, two_plie):
    first, _ = two_plie
    code, out, err = run("consolidate", str(export(tmp_path, first, "a.json")))
    assert json.loads(out) == EXPECTED


def test_an_export_holds_counts_only(tmp_path, two_plie):
    first, _ = two_plie
    data = json.loads(export(tmp_path, first, "a.json").read_text(encoding="utf-8"))
    assert (data["format"], data["format_version"], data["plie"]) == ("parcours-consolidation", 1, "PLIE de A")
    assert data["pathway_duration_days_sum"] == 1056
    assert data["exits_by_category"]["men"] == {"exits": 3, "positive": 1}
    assert "rates" not in data and "mean_pathway_duration_days" not in data
    assert "per_participant" not in data["steps"]
    text = json.dumps(data)
    for personal in ("Martin", "Awa", "1998-03-10", "1960-01-01", "P1", "W1", "Association Emploi 63"):
        assert personal not in text

    def numbers(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from numbers(v)
        else:
            yield value

    counts = {k: v for k, v in data.items() if k not in ("format", "format_version", "plie", "period")}
    assert all(isinstance(n, int) for n in numbers(counts))


def test_export_to_stdout(territory, tmp_path):
    import_dataset(tmp_path / "a", territory)
    code, out, err = run("consolidation_export", "--from", "2024-01-01", "--to", "2024-12-31")
    assert code == 0 and json.loads(out)["entries"] == 5 and json.loads(out)["plie"] == territory.name


def test_consolidate_refuses_bad_files(tmp_path, territory):
    import_dataset(tmp_path / "a", territory)
    good = export(tmp_path, territory, "good.json")
    other_period = tmp_path / "other.json"
    run("consolidation_export", "--from", "2023-01-01", "--to", "2023-12-31", "--output", str(other_period))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    data["entries_profile"].pop("qpv")
    wrong.write_text(json.dumps(data), encoding="utf-8")
    negative = tmp_path / "negative.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    data["entries"] = -1
    negative.write_text(json.dumps(data), encoding="utf-8")
    for files, message in [
        ([good, other_period], "différente de celle des autres fichiers"),
        ([broken], "JSON illisible"),
        ([wrong], "les compteurs ne correspondent pas au format 1"),
        ([negative], "« entries » doit être un entier positif ou nul"),
        ([tmp_path / "absent.json"], "fichier introuvable"),
        ([], "FICHIER : au moins un export de consolidation est attendu"),
    ]:
        code, out, err = run("consolidate", *map(str, files))
        assert code == 1 and message in err, (files, err)


def test_consolidation_export_checks_its_arguments(territory):
    code, out, err = run("consolidation_export", "--from", "2024-01-01")
    assert code == 1 and "--to : argument obligatoire" in err


def test_hyphenated_command_name_resolves():
    import os
    import subprocess
    import sys

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="parcours.settings_test")
    result = subprocess.run([sys.executable, "-m", "parcours", "consolidation-export", "--help"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--output" in result.stdout
