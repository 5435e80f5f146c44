import json
from datetime import date

import pytest

from parcours.organisations.models import Organisation
from parcours.pathways.models import Pathway
from parcours.reporting.indicators import indicators_compute
from tests.interchange.helpers import run
from tests.reporting.dataset import EXPECTED, ZERO_REASONS, ZERO_TYPES, import_dataset

D1, D2 = date(2024, 1, 1), date(2024, 12, 31)


@pytest.fixture
def dataset(tmp_path, territory):
    import_dataset(tmp_path / "set", territory)
    return territory


def test_every_figure_matches_the_hand_computed_expectations(dataset):
    assert indicators_compute(territory_ids=[dataset.pk], date_from=D1, date_to=D2) == EXPECTED


def test_json_command_prints_exactly_the_spec_shape(dataset):
    code, out, err = run("indicators", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == EXPECTED
    assert list(json.loads(out)) == ["period", "entries", "participants_in_pathway", "exits", "rates",
                                     "mean_pathway_duration_days", "entries_profile", "steps",
                                     "positive_exit_rate_by_category"]


def test_empty_period_has_zeros_everywhere_and_null_rates(dataset):
    data = indicators_compute(territory_ids=[dataset.pk], date_from=date(1990, 1, 1), date_to=date(1990, 12, 31))
    assert data["entries"] == 0 and data["participants_in_pathway"] == 0
    assert data["exits"] == {"total": 0, "positive": 0, "neutralised": 0, "by_reason": ZERO_REASONS}
    assert data["rates"] == {"positive_exit_rate": None, "positive_exit_rate_excluding_moves": None,
                             "positive_exits_per_entry": None}
    assert data["mean_pathway_duration_days"] is None
    assert data["steps"] == {"started": 0, "per_participant": None, "by_type": ZERO_TYPES}
    assert set(data["positive_exit_rate_by_category"].values()) == {None}


def test_one_day_period_counts_entry_and_exit_on_that_day(dataset):
    data = indicators_compute(territory_ids=[dataset.pk], date_from=D1, date_to=D1)
    assert data["entries"] == 1  # W1
    assert data["exits"]["by_reason"]["moved"] == 1 and data["exits"]["total"] == 1  # W4 exits on D1
    assert data["participants_in_pathway"] == 3  # P1 (entry D1), P4 (exit D1), P8 (W8 open)
    assert data["mean_pathway_duration_days"] == 306.0


def test_filters_by_operator_and_referent(dataset, referent):
    operator = Organisation.objects.get(territory=dataset, name="Maison de l'emploi")
    data = indicators_compute(territory_ids=[dataset.pk], date_from=D1, date_to=D2, operator=operator)
    assert data["entries"] == 1 and data["participants_in_pathway"] == 1 and data["steps"]["started"] == 1
    Pathway.objects.filter(external_ref="W2").update(referent=referent)
    data = indicators_compute(territory_ids=[dataset.pk], date_from=D1, date_to=D2, referent=referent.pk)
    assert data["entries"] == 1 and data["entries_profile"]["age_26_44"] == 1 and data["exits"]["total"] == 0


def test_other_territories_are_not_counted(dataset, tmp_path):
    from tests import factories

    other = factories.TerritoryFactory(name="Autre PLIE")
    assert indicators_compute(territory_ids=[other.pk], date_from=D1, date_to=D2)["entries"] == 0


def test_a_scoped_queryset_can_be_passed_instead_of_territories(dataset):
    qs = Pathway.objects.filter(external_ref__in=["W3", "W6"])
    data = indicators_compute(queryset=qs, date_from=D1, date_to=D2)
    assert data["entries"] == 2 and data["exits"]["positive"] == 2 and data["mean_pathway_duration_days"] == 207.5


def test_constant_number_of_queries(dataset, tmp_path, django_assert_num_queries):
    with django_assert_num_queries(2):
        indicators_compute(territory_ids=[dataset.pk], date_from=D1, date_to=D2)
    import_dataset(tmp_path / "more", dataset, prefix="X")
    with django_assert_num_queries(2):
        data = indicators_compute(territory_ids=[dataset.pk], date_from=D1, date_to=D2)
    assert data["entries"] == 10


def test_csv_has_one_dotted_row_per_figure(dataset):
    code, out, err = run("indicators", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "key,value"
    assert "exits.by_reason.moved,1" in lines
    assert "rates.positive_exit_rate,0.5" in lines
    assert "positive_exit_rate_by_category.low_qualification," in lines
    assert "steps.by_type.geiq,0" in lines
    assert len(lines) == 1 + 2 + 2 + 3 + 9 + 3 + 1 + 12 + 2 + 16 + 7


def test_text_is_a_french_report(dataset):
    code, out, err = run("indicators", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "text")
    assert code == 0, err
    assert "Indicateurs du PLIE du 01/01/2024 au 31/12/2024" in out
    assert "Entrées en parcours : 5" in out
    assert "Sorties positives / total des sorties : 50,0 %" in out
    assert "Durée moyenne des parcours : 264,0 jours (8,7 mois)" in out
    assert "Peu qualifié·es (V) : —" in out


@pytest.mark.parametrize("args, message", [
    (["--to", "2024-12-31"], "--from : argument obligatoire"),
    (["--from", "2024-01-01"], "--to : argument obligatoire"),
    (["--from", "2024-02-30", "--to", "2024-12-31"], "--from : « 2024-02-30 » n'est pas une date valide"),
    (["--from", "2024-01-01", "--to", "31/12/2024"], "--to : « 31/12/2024 » n'est pas une date valide"),
    (["--from", "2024-12-31", "--to", "2024-01-01"], "--from : le début (2024-12-31) est postérieur à la fin --to"),
    (["--from", "2024-01-01", "--to", "2024-12-31", "--format", "xml"], "--format : format « xml » inconnu"),
])
def test_bad_arguments_are_refused_in_french(territory, args, message):
    code, out, err = run("indicators", *args)
    assert code == 1 and message in err and out == ""


def test_generated_set_agrees_with_a_python_computation(tmp_path, territory):
    """Ages (29 February included), durations and people in pathway, recomputed row by row in Python."""
    from parcours.interchange.importer import dataset_import
    from parcours.plie.eligibility import age_on
    from tests.interchange.generate import generate_set

    generate_set(tmp_path / "gen", 400, seed=11)
    dataset_import(tmp_path / "gen", territory=territory)
    d1, d2 = date(2022, 1, 1), date(2022, 12, 31)
    rows = list(Pathway.objects.select_related("participant"))
    entries = [p for p in rows if p.entry_date and d1 <= p.entry_date <= d2]
    exits = [p for p in rows if p.exit_date and d1 <= p.exit_date <= d2]
    ages = [age_on(p.participant.birth_date, p.entry_date) for p in entries]
    data = indicators_compute(territory_ids=[territory.pk], date_from=d1, date_to=d2)
    assert data["entries"] == len(entries)
    assert data["entries_profile"]["under_26"] == sum(a < 26 for a in ages)
    assert data["entries_profile"]["age_26_44"] == sum(26 <= a <= 44 for a in ages)
    assert data["entries_profile"]["age_45_plus"] == sum(a >= 45 for a in ages)
    assert data["participants_in_pathway"] == len({p.participant_id for p in rows if p.entry_date
                                                   and p.entry_date <= d2 and (not p.exit_date or p.exit_date >= d1)})
    assert data["mean_pathway_duration_days"] == sum((p.exit_date - p.entry_date).days for p in exits) / len(exits)


def _main_figures(full: dict) -> dict:
    """What a point of the series holds, taken from indicators_compute's output."""
    return {"period": full["period"], "entries": full["entries"],
            "participants_in_pathway": full["participants_in_pathway"],
            "exits": {"total": full["exits"]["total"], "positive": full["exits"]["positive"]},
            "rates": {"positive_exit_rate": full["rates"]["positive_exit_rate"]},
            "steps": {"started": full["steps"]["started"]}}


def test_the_period_and_its_series_come_from_the_same_two_queries(tmp_path, territory, django_assert_num_queries):
    """What the page computes: the period exactly as indicators_compute; each year (plus one-day and empty
    periods) with indicators_compute's main figures for that year; on a generated set of 400 people."""
    from parcours.interchange.importer import dataset_import
    from parcours.reporting.indicators import indicators_compute_with_series
    from tests.interchange.generate import generate_set

    generate_set(tmp_path / "gen", 400, seed=12)
    dataset_import(tmp_path / "gen", territory=territory)
    period = (date(2022, 3, 1), date(2023, 2, 28))
    periods = [(date(year, 1, 1), date(year, 12, 31)) for year in range(2018, 2025)]
    periods += [(date(2022, 3, 1), date(2022, 3, 1)), (date(1990, 1, 1), date(1990, 12, 31))]
    with django_assert_num_queries(2):
        data, series = indicators_compute_with_series(date_from=period[0], date_to=period[1], periods=periods,
                                                      territory_ids=[territory.pk])
    assert data == indicators_compute(territory_ids=[territory.pk], date_from=period[0], date_to=period[1])
    assert sum(point["entries"] for point in series) > 0
    for (date_from, date_to), point in zip(periods, series, strict=True):
        full = indicators_compute(territory_ids=[territory.pk], date_from=date_from, date_to=date_to)
        assert point == _main_figures(full), (date_from, date_to)
    assert indicators_compute_with_series(date_from=period[0], date_to=period[1], periods=[],
                                          territory_ids=[territory.pk]) == (data, [])


def test_the_series_applies_the_operator_and_referent_filters(dataset, referent):
    from parcours.reporting.indicators import indicators_compute_with_series

    operator = Organisation.objects.get(territory=dataset, name="Maison de l'emploi")
    _data, (point,) = indicators_compute_with_series(date_from=D1, date_to=D2, periods=[(D1, D2)],
                                                     territory_ids=[dataset.pk], operator=operator)
    assert point["entries"] == 1 and point["participants_in_pathway"] == 1 and point["steps"]["started"] == 1
    Pathway.objects.filter(external_ref="W2").update(referent=referent)
    _data, (point,) = indicators_compute_with_series(date_from=D1, date_to=D2, periods=[(D1, D2)],
                                                     territory_ids=[dataset.pk], referent=referent.pk)
    assert point["entries"] == 1 and point["exits"]["total"] == 0
